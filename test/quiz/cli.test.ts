import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { quizCommand, targetsCommand, csvField } from "../../src/cli/commands/quiz.js";
import type { Command } from "../../src/cli/context.js";
import { plain } from "../../src/cli/style.js";
import { messages } from "../../src/answer/messages.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { quizDbPath, SqliteQuizStore } from "../../src/quiz/store.js";
import { repoPath } from "../helpers.js";

const dataDir = mkdtempSync(join(tmpdir(), "quiz-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(command: Command, argv: string[], input = "") {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const config = loadConfig({ SEEDS_DIR: repoPath("seeds"), DATA_DIR: dataDir });
  const code = await command.run(argv, { config, logger: createLogger({ level: "silent" }), stdout, stderr, stdin: Readable.from([input]), lang: "zh", m: messages("zh"), c: plain });
  return { code, out, err };
}

describe("policybot quiz", () => {
  it("plays a round from piped answers and records it", async () => {
    // A typo ("w") is asked again, an empty line gets the prompt back; "1" is a readable answer to any type.
    const { code, out } = await run(quizCommand, ["第5项", "--count", "3", "--seed", "1", "--user", "tester"], "w\n\n1\n1\n1\n");
    expect(code).toBe(0);
    expect(out).toMatch(/主题“第5项”有\d+个目标/);
    expect(out).toMatch(/请输入(?:一个带数字的答案|选项字母)/);
    expect(out).toContain("请输入答案；输入 q 结束。");
    expect(out.match(/^第\d\/3题/gm)).toHaveLength(3);
    expect(out.match(/原文：“[^”]+”（第5项）/g)).toHaveLength(3);
    expect(out).toMatch(/本轮得分：\d\/3。累计：\d\/3（用户：tester）/);
    const store = new SqliteQuizStore(quizDbPath(dataDir));
    expect(store.score("cli:tester").answered).toBe(3);
    store.close();
  });

  it("stops when input ends and reports what was answered", async () => {
    const { code, out } = await run(quizCommand, ["--user", "short"], "1\n");
    expect(code).toBe(0);
    expect(out).toMatch(/本轮得分：\d\/1/);
  });

  it("prints a sheet with an answer key, and JSON with the contract's fields", async () => {
    const text = await run(quizCommand, ["--sheet", "4", "--seed", "3"]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^4\. /m);
    expect(text.out).toContain("—— 答案 ——");
    const json = await run(quizCommand, ["教育", "--sheet", "5", "--json", "--seed", "3"]);
    const items = JSON.parse(json.out) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(5);
    for (const q of items) expect(Object.keys(q).sort()).toEqual(["answer", "label", "options", "question", "quote", "ref", "type"]);
    expect(JSON.parse((await run(quizCommand, ["教育", "--sheet", "5", "--json", "--seed", "3"])).out)).toEqual(items);
  });

  it("says when a topic matches nothing and rejects bad options", async () => {
    const none = await run(quizCommand, ["火星", "--sheet", "3"]);
    expect(none.code).toBe(1);
    expect(none.err).toContain("没有与“火星”相关的题目");
    await expect(run(quizCommand, ["--sheet", "0"])).rejects.toThrow(/--sheet/);
    await expect(run(quizCommand, ["--json"])).rejects.toThrow(/--sheet/);
  });
});

describe("policybot targets", () => {
  it("lists the ledger grouped by unit", async () => {
    const { code, out } = await run(targetsCommand, []);
    expect(code).toBe(0);
    expect(out).toContain("第5项 增强粮食等重要农产品供给保障能力");
    expect(out).toContain("新建和改造提升高标准农田：78万亩  “新建和改造提升高标准农田78万亩”");
    // Qualifier words read as the plan frames the value, not as a word list.
    expect(out).not.toMatch(/、(?:分别|达到|以上)/);
  });

  it("prints JSON with the contract's fields, filtered like a quiz topic", async () => {
    const all = JSON.parse((await run(targetsCommand, ["--json"])).out) as Array<Record<string, unknown>>;
    expect(all).toHaveLength(55);
    expect(Object.keys(all[0]!)).toEqual(["doc", "ref", "label", "metric", "value", "unit", "qualifier", "quote"]);
    const sixth = JSON.parse((await run(targetsCommand, ["（六）", "--json"])).out) as Array<{ ref: string }>;
    expect(new Set(sixth.map((t) => t.ref))).toEqual(new Set(["task:15", "task:17"]));
  });

  it("prints CSV with a header and quoting", async () => {
    const { out } = await run(targetsCommand, ["第7项", "--csv"]);
    const lines = out.trimEnd().split("\r\n");
    expect(lines[0]).toBe("doc,ref,label,metric,value,unit,qualifier,quote");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(",145,条,");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField(76.5)).toBe("76.5");
  });
});
