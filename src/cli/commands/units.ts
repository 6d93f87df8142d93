import { parseCommandArgs } from "../args.js";
import { type Command, println } from "../context.js";
import { loadPlansReported } from "../plans.js";

/** `policybot units [--json]`: every unit of every document. */
export const unitsCommand: Command = {
  name: "units",
  usage: "policybot units [--json] [--doc ID]",
  summary: "list every citable unit (ref, label, heading, length) of every document",
  async run(argv, ctx) {
    const { values } = parseCommandArgs("units", argv, { json: { type: "boolean" }, doc: { type: "string" } }, ctx.m);
    const { docs } = loadPlansReported(ctx);
    const units = docs.filter((d) => !values.doc || d.id === values.doc).flatMap((d) => d.units);
    if (values.json) {
      const out = units.map((u) => ({ doc: u.doc, ref: u.ref, label: u.label, heading: u.heading, path: u.path, text: u.text, source: u.source, repairs: u.repairs }));
      println(ctx.stdout, JSON.stringify(out, null, 2));
      return 0;
    }
    for (const d of docs.filter((x) => !values.doc || x.id === values.doc)) {
      println(ctx.stdout, `# ${d.id}: ${d.meta.title}`);
      for (const u of d.units) println(ctx.stdout, `${u.ref.padEnd(12)} ${u.label.padEnd(10)} ${u.heading}  ${ctx.m.unitChars([...u.text].length)}`);
    }
    return docs.length ? 0 : 1;
  },
};
