import { parseCommandArgs } from "../args.js";
import { type Command, println } from "../context.js";
import { loadPlansReported } from "../plans.js";

/** `policybot start`: the main job on its offline default. */
export const startCommand: Command = {
  name: "start",
  usage: "policybot start",
  summary: "run policybot (what `npm start` runs)",
  async run(argv, ctx) {
    parseCommandArgs("start", argv, {});
    const { docs } = loadPlansReported(ctx);
    for (const d of docs) println(ctx.stdout, `${d.id}: ${d.meta.title} (${d.units.length} units)`);
    return docs.length ? 0 : 1;
  },
};
