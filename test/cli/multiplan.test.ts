import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES } from "../helpers.js";
import { runCli } from "./run.js";

const env = { SEEDS_DIR: join(FIXTURES, "multiplan"), INDEX_DIR: mkdtempSync(join(tmpdir(), "policybot-cli-plans-")), DATA_DIR: mkdtempSync(join(tmpdir(), "policybot-cli-plans-data-")) };

describe("policybot with several plans", () => {
  it("ask names the plan in the answer, the terminal citations and the JSON", async () => {
    const text = await runCli(["ask", "老人助餐点怎么建"], undefined, env);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/〔社区养老[^〔〕]*·（四）〕/);
    const { out } = await runCli(["ask", "老人助餐点怎么建", "--json"], undefined, env);
    const r = JSON.parse(out);
    expect(r.citations[0]).toMatchObject({ doc: "shequ-yanglao", ref: "section:4", label: "（四）", plan: expect.stringMatching(/养老/) });
    expect(r.plans).toEqual([{ doc: "shequ-yanglao", shortName: r.citations[0].plan }]);
  });

  it("--doc restricts ask, search, targets and quiz to one plan (by id or short name)", async () => {
    const ask = JSON.parse((await runCli(["ask", "第五部分讲什么", "--doc", "nongjia-shuwu", "--json"], undefined, env)).out);
    expect(new Set(ask.citations.map((c: { doc: string }) => c.doc))).toEqual(new Set(["nongjia-shuwu"]));
    const search = JSON.parse((await runCli(["search", "资金", "--doc", "qingshui-river", "--json", "-k", "10"], undefined, env)).out);
    expect(search.units.length).toBeGreaterThan(0);
    expect(search.units.every((u: { doc: string }) => u.doc === "qingshui-river")).toBe(true);
    const targets = JSON.parse((await runCli(["targets", "--doc", "书屋", "--json"], undefined, env)).out);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.every((t: { doc: string }) => t.doc === "nongjia-shuwu")).toBe(true);
    const sheet = await runCli(["quiz", "--doc", "shequ-yanglao", "--sheet", "3", "--json", "--seed", "7"], undefined, env);
    expect(sheet.code).toBe(0);
    const quoted = JSON.parse(sheet.out).map((q: { quote: string }) => q.quote).join("");
    expect(quoted).not.toMatch(/书屋|河/);
  });

  it("a bad --doc gets a message that lists the loaded plans, for every command", async () => {
    for (const argv of [["ask", "第五部分讲什么"], ["search", "资金"], ["targets"], ["quiz", "--sheet", "2"]]) {
      const { code, err } = await runCli([...argv, "--doc", "no-such-plan"], undefined, env);
      expect(code, argv.join(" ")).toBe(2);
      expect(err).toContain("没有找到方案“no-such-plan”");
      for (const id of ["qingshui-river", "shequ-yanglao", "nongjia-shuwu"]) expect(err).toContain(id);
    }
  });
});
