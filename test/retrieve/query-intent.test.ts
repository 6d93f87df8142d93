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

  it("reads a question about the kinds of a division as a list, not a figure", () => {
    for (const q of ["证书分几个等级？", "按用水户数量有哪几种管理方式？", "“一源两网”分别指的是什么"]) {
      expect(intent(q).list, q).toBe(true);
      expect(intent(q).quantity, q).toBe(false);
    }
    expect(intent("用水户数量达到多少").quantity).toBe(true);
    expect(intent("分别是多少").quantity).toBe(true);
  });

  it("reads English 'when' as a time only where it asks one", () => {
    expect(intent("When will the pilot cities be chosen?").temporal).toBe(true);
    expect(intent("By what year, and when should the cities report?").temporal).toBe(true);
    expect(intent("What procurement method applies when only two manufacturers qualify?").temporal).toBe(false);
  });

  it("reads 'by what date' as a deadline to meet, not as the date the document was issued", () => {
    expect(intent("How many places must be added, and by what date must they be finished?").meta).toBe(false);
    expect(intent("On what date was the notice issued?").meta).toBe(true);
    // Until when the measures are in effect is a date of the body, not of the issuing notice.
    expect(intent("Until what date are the measures in effect?").meta).toBe(false);
    expect(intent("Until what date are the measures in effect?").temporal).toBe(true);
  });
});

describe("numbers and places in a question", () => {
  it("does not read the asker's own rough numbers as a figure question", () => {
    expect(intent("我家养了几百头猪，猪粪以后要怎么处理？").quantity).toBe(false);
    expect(intent("我手里已经有几个技能证了，再去读书能少上几门课吗").quantity).toBe(false);
    expect(intent("试点一共选了几个城市").quantity).toBe(true);
    expect(intent("专业目录几年修一次").quantity).toBe(true);
    expect(intent("以后扔垃圾是不是要按扔多少来收钱了？").quantity).toBe(false);
    expect(intent("垃圾处理费收多少").quantity).toBe(true);
  });

  it("reads the asking clause of a question told as a story", () => {
    expect(analyzeQuery("我是种地的，现在秸秆不让烧了，那秸秆能拿来干什么？", vocab).askingText).toBe("那秸秆能拿来干什么?");
    expect(analyzeQuery("秸秆能拿来干什么？", vocab).askingText).toBeUndefined();
    // Two questions, not a story and a question.
    expect(analyzeQuery("补贴多少钱？什么时候能领？", vocab).askingText).toBeUndefined();
  });

  it("reads a yes-no question as one, whatever figure words its story holds", () => {
    expect(intent("医生说要控制药占比，不给我开集采中选的药，这样合理吗？").quantity).toBe(false);
    expect(intent("我手里有几个技能证书，想去职校读个学历，能少上几门课吗？").quantity).toBe(false);
    expect(intent("能多休几天吗？").quantity).toBe(false);
    expect(intent("药占比要控制在多少？").quantity).toBe(true);
    // 什么 and 怎么 end in 么 but ask no yes or no.
    expect(intent("每年补贴几次，标准是什么？").quantity).toBe(true);
    expect(intent("全省要建几个示范区，具体是什么？").quantity).toBe(true);
    // 分几个月 asks how many months, not what the kinds are.
    expect(intent("补贴分几个月发放？").quantity).toBe(true);
    expect(intent("补贴分几个月发放？").list).toBe(false);
    expect(intent("药占比考核了，那中选药品占比要达到多少？").quantity).toBe(true);
  });

  it("names an English place as the plans print it", () => {
    expect(analyzeQuery("What does Sichuan's elderly care plan fund?", vocab).places).toEqual(["四川"]);
    expect(analyzeQuery("What does Sichuan's elderly care plan fund?", vocab).normalized).toContain("四川");
    // Every provincial capital and 计划单列市 is a place: 杭州, 宁波.
    expect(analyzeQuery("How many childcare places must Ningbo add?", vocab).places).toEqual(["宁波"]);
    expect(analyzeQuery("宁波今年要新增多少托位？", vocab).places).toEqual(["宁波"]);
    expect(analyzeQuery("How much does a care home in Kunming charge?", vocab).places).toEqual(["昆明"]);
    expect(analyzeQuery("What does Qingdao plan for buses?", vocab).places).toEqual(["青岛"]);
  });
});
