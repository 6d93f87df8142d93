import { readFileSync } from "node:fs";
import { z } from "zod";

/** One evaluation question (test/fixtures/eval*.jsonl). */
export const EvalItem = z.object({
  id: z.string(),
  category: z.string(),
  persona: z.string().optional(),
  /** The plan the answer must come from (file name without extension); absent = the seed set's plan. */
  doc: z.string().optional(),
  q: z.string(),
  answerable: z.boolean(),
  expect: z.object({
    /** Internal refs (task:5, part:1), as the older sets write them. */
    refs: z.array(z.string()).default([]),
    /** Printed numbering chains (一, 二（三）, 五（二）2, 第5项, （十二）, preamble, notice); see expected.ts. */
    units: z.array(z.string()).default([]),
    figures: z.array(z.string()).default([]),
    /** Key phrases a complete list answer contains. */
    items: z.array(z.string()).default([]),
  }),
  history: z.array(z.object({ q: z.string(), a: z.string().optional() })).optional(),
});
export type EvalItem = z.infer<typeof EvalItem>;

/** Reads a JSON Lines evaluation set; a bad line is an error naming the file and line. */
export function readEvalSet(path: string): EvalItem[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line)
    .map(([line, no]) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new Error(`eval: ${path}:${no}: not JSON (${(err as Error).message})`);
      }
      const parsed = EvalItem.safeParse(json);
      if (!parsed.success) throw new Error(`eval: ${path}:${no}: ${parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
      return parsed.data;
    });
}

/** A sealed set is scored in aggregate only: its misses are never printed (it is not for tuning). */
export function isSealedSet(path: string): boolean {
  return /sealed/i.test(path);
}
