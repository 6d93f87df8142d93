import { describe, expect, it } from "vitest";
import { analyzeQuery } from "../../src/retrieve/query.js";
import { loadVocabulary } from "../../src/retrieve/vocabulary.js";

const vocab = loadVocabulary();
const intent = (q: string) => analyzeQuery(q, vocab).intent;

describe("what a question asks for", () => {
  it("reads 第几项 / 第几条 as asking where, not how many", () => {
    expect(intent("讲中心镇培育的是第几项？").quantity).toBe(false);
    expect(intent("这个规定在第几条").quantity).toBe(false);
    expect(intent("一共有几项任务").quantity).toBe(true);
  });

  it("reads English 'when' as a time only where it asks one", () => {
    expect(intent("When will the pilot cities be chosen?").temporal).toBe(true);
    expect(intent("By what year, and when should the cities report?").temporal).toBe(true);
    expect(intent("What procurement method applies when only two manufacturers qualify?").temporal).toBe(false);
  });
});
