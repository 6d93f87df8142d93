import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run.js";

const env = { INDEX_DIR: mkdtempSync(join(tmpdir(), "policybot-cli-lang-")) };
/** Latin words other than command names, options, placeholders in <> and env and product names, which stay as typed. */
const englishWords = (text: string) =>
  text
    .replace(/policybot(?: \w+)?|--?[a-z][\w-]*|\b[A-Z_]{2,}\b|quiz\|feedback|README\.md|Telegram|PostgreSQL|SQLite|HTTP|API|npx|npm|Ctrl-[A-Z]|zh|en|KB|jsonl?|csv|hit@\d|MRR|seeds|INDEX_DIR|\/\w+/g, "")
    .match(/[A-Za-z]{3,}/g) ?? [];

describe("the CLI speaks the user's language", () => {
  it("prints help and errors in Chinese for Chinese users (the default)", async () => {
    const help = await runCli(["help"], undefined, env);
    expect(help.code).toBe(0);
    expect(help.out).toContain("用法：");
    expect(help.out).toContain("回答一个问题并附引用");
    expect(englishWords(help.out)).toEqual([]);

    const unknown = await runCli(["frobnicate"], undefined, env);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("没有“frobnicate”这个命令");

    const badOption = await runCli(["targets", "--bogus"], undefined, env);
    expect(badOption.err).toMatch(/^policybot targets：参数不对（没有选项 --bogus）/);
    const missing = await runCli(["search"], undefined, env);
    expect(missing.err).toMatch(/请给出问题/);
    const badCount = await runCli(["quiz", "--count", "0"], undefined, env);
    expect(badCount.err).toMatch(/--count 需要 1 到 500 的整数/);
    const noTopic = await runCli(["quiz", "火星探测", "--sheet", "2"], undefined, env);
    expect(noTopic.err).toContain("没有与“火星探测”相关的题目");
    expect(englishWords(noTopic.err + badCount.err + missing.err)).toEqual([]);
  });

  it("switches to English with --lang en, anywhere on the line", async () => {
    const help = await runCli(["--lang", "en", "help"], undefined, env);
    expect(help.out).toContain("Usage:");
    expect(help.out).toContain("answer a question with citations");
    expect(help.out).not.toMatch(/[\u4e00-\u9fff]/);
    const err = await runCli(["search", "--lang=en"], undefined, env);
    expect(err.err).toMatch(/give a question/);
  });

  it("switches to English with LANG=en_*, and --lang zh wins over it", async () => {
    const en = await runCli(["help"], undefined, { ...env, LANG: "en_GB.UTF-8" });
    expect(en.out).toContain("Usage:");
    const unknown = await runCli(["frobnicate"], undefined, { ...env, LANG: "en_US.UTF-8" });
    expect(unknown.err).toContain('unknown command "frobnicate"');
    const zh = await runCli(["help", "--lang", "zh"], undefined, { ...env, LANG: "en_US.UTF-8" });
    expect(zh.out).toContain("用法：");
    const bad = await runCli(["help", "--lang", "fr"], undefined, env);
    expect(bad.code).toBe(2);
  });

  it("labels an answer in the question's language: 引用 for Chinese, Citations for English, never both", async () => {
    const zh = await runCli(["ask", "今年高标准农田要建多少？"], undefined, env);
    expect(zh.out).toContain("引用：");
    expect(zh.out).not.toMatch(/Citations|mode:/);
    // The quote the answer already shows is not printed a second time under 引用.
    expect(zh.out.split("新建和改造提升高标准农田78万亩").length - 1).toBe(1);
    const en = await runCli(["ask", "How much high-standard farmland will be built this year?"], undefined, env);
    expect(en.out).toContain("Citations:");
    expect(en.out).not.toContain("引用：");
  });
});
