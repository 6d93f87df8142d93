import { describe, expect, it } from "vitest";
import { formatSweep, sweepPlans } from "../../src/eval/sweep.js";
import { fixtureKb } from "../support/kb.js";

describe("eval --sweep", () => {
  it("asks each plan its own labels, headings, goal figures, dates and facts, and reports per plan", async () => {
    const { kb, engine } = await fixtureKb("invented-plans/dev");
    const rows = await sweepPlans(kb, engine);
    expect(rows.map((r) => r.doc).sort()).toEqual(kb.docs.map((d) => d.id).sort());
    for (const r of rows) {
      expect(r.label.n).toBeGreaterThan(10);
      expect(r.label.right).toBe(r.label.n);
      expect(r.meta.right).toBe(r.meta.n);
      expect(r.grounded.right).toBe(r.grounded.n);
      expect(r.figure.right / r.figure.n).toBeGreaterThan(0.85);
    }
    const table = formatSweep(rows);
    for (const r of rows) expect(table).toContain(r.doc.slice(0, 32));
  }, 120_000);
});
