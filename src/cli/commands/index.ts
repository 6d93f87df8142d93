import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACT_FORMAT_VERSION } from "../../artifact/artifact.js";
import { openKnowledgeBase } from "../../knowledge.js";
import { parseCommandArgs } from "../args.js";
import { type Command, println } from "../context.js";
import { terminalProgress } from "../progress.js";

/** `policybot index [--out DIR]`: rebuild INDEX_DIR now, or write a new read-only artifact for instances to load. */
export const indexCommand: Command = {
  name: "index",
  usage: "policybot index [--out DIR]",
  summary: "rebuild the index in INDEX_DIR from the seeds; --out DIR: write a read-only index artifact for instances to load",
  async run(argv, ctx) {
    const { values } = parseCommandArgs("index", argv, { out: { type: "string" } }, ctx.m);
    const out = values.out;
    // An artifact is immutable: say so before spending the build.
    if (out && existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
      println(ctx.stderr, ctx.m.indexExists(out));
      return 1;
    }
    const progress = terminalProgress(ctx.stderr);
    let kb;
    try {
      kb = await openKnowledgeBase({ config: ctx.config, logger: ctx.logger, force: true, out, onProgress: progress });
    } finally {
      progress?.done();
    }
    const m = kb.index.manifest;
    const dir = out ?? ctx.config.INDEX_DIR;
    println(ctx.stdout, ctx.m.indexBuilt(m.counts.chunks, kb.docs.length, m.embedder.id, m.embedder.dimensions, m.buildMs, dir));
    const bytes = Object.values(m.files).reduce((n, f) => n + f.bytes, 0) + (existsSync(join(dir, "manifest.json")) ? statSync(join(dir, "manifest.json")).size : 0);
    println(ctx.stdout, ctx.m.indexFigures(m.textBytes / 1e6, m.textBytes / 1e6 / Math.max(0.001, m.buildMs / 1000), bytes / 1e6, ARTIFACT_FORMAT_VERSION));
    return 0;
  },
};
