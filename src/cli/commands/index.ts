import { openKnowledgeBase } from "../../knowledge.js";
import { parseCommandArgs } from "../args.js";
import { type Command, println } from "../context.js";

/** `policybot index`: rebuild the vector index now. */
export const indexCommand: Command = {
  name: "index",
  usage: "policybot index",
  summary: "rebuild the vector index in INDEX_DIR from the seeds",
  async run(argv, ctx) {
    parseCommandArgs("index", argv, {}, ctx.m);
    const kb = await openKnowledgeBase({ config: ctx.config, logger: ctx.logger, force: true });
    const m = kb.index.manifest;
    println(ctx.stdout, ctx.m.indexBuilt(m.chunkCount, kb.docs.length, m.embedder.id, m.embedder.dimensions, Math.round(kb.index.ms), ctx.config.INDEX_DIR));
    return 0;
  },
};
