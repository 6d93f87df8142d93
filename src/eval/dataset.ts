import { readFileSync } from "node:fs";
import { z } from "zod";

/** One evaluation question (test/fixtures/eval.jsonl). */
export const EvalItem = z.object({
  id: z.string(),
  category: z.string(),
  q: z.string(),
  answerable: z.boolean(),
  expect: z.object({ refs: z.array(z.string()), figures: z.array(z.string()).default([]) }),
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
      const parsed = EvalItem.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`eval: ${path}:${no}: ${parsed.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
      return parsed.data;
    });
}
