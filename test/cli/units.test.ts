import { describe, expect, it } from "vitest";
import { runCli as run } from "./run.js";

describe("policybot units", () => {
  it("prints every unit as JSON with the contract's field names", async () => {
    const { code, out } = await run(["units", "--json"]);
    expect(code).toBe(0);
    const units = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(units).toHaveLength(43);
    for (const u of units) for (const k of ["doc", "ref", "label", "heading", "path", "text"]) expect(typeof u[k]).toBe("string");
    expect(units.find((u) => u.ref === "task:5")).toMatchObject({ doc: "zhejiang-2026-qianwan-plan", label: "第5项" });
  });

  it("lists units as a table", async () => {
    const { code, out } = await run(["units"]);
    expect(code).toBe(0);
    expect(out).toMatch(/task:23\s+第23项\s+促进农民稳定增收/);
  });

  it("rejects unknown options with a usage message", async () => {
    const { code, err } = await run(["units", "--bogus"]);
    expect(code).toBe(2);
    expect(err).toMatch(/policybot units：参数不对（没有选项 --bogus）/);
  });
});
