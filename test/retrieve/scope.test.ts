import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import { createAnswerEngine } from "../../src/answer/engine.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../src/knowledge.js";
import { statedFigures } from "../../src/retrieve/figures.js";
import { asksAddress, asksAdvice, asksDay, asksForecast, asksOutcome, asksPrice, issuerRegion, legalRemedy, ordinalsOf, planRegion, planScopes } from "../../src/retrieve/scope.js";
import { repoPath } from "../helpers.js";
import { askChecked, fixtureKb, memoryLogger, testConfig } from "../support/kb.js";
import { analyzeQuery } from "../../src/retrieve/query.js";
import { loadVocabulary } from "../../src/retrieve/vocabulary.js";

// Two invented plans: a provincial one (江西, 2025, rural water supply) and a national one (2023, reading).
let kb: KnowledgeBase;
let engine: AnswerEngine;
beforeAll(async () => {
  const config = testConfig({ SEEDS_DIR: repoPath("test/fixtures/scope") });
  const { logger } = memoryLogger();
  kb = await openKnowledgeBase({ config, logger, persist: false });
  engine = createAnswerEngine({ kb, config, logger });
});

describe("what a plan covers", () => {
  it("reads the region from a provincial issuer and none from a national one", () => {
    expect(issuerRegion(["中共浙江省委", "浙江省人民政府"])).toBe("浙江");
    expect(issuerRegion(["江西省人民政府办公厅"])).toBe("江西");
    expect(issuerRegion(["国务院办公厅"])).toBeUndefined();
  });

  it("reads a county's region from its government, and a province from the title of a plan printed with no issuer", () => {
    expect(issuerRegion(["禾丰县人民政府办公室"])).toBe("禾丰");
    expect(planRegion({ issuers: [], title: "湖南省医疗保障局2027年工作要点" })).toBe("湖南");
    expect(planRegion({ issuers: [], title: "职业健康保护行动计划（2027—2030年）" })).toBeUndefined();
    expect(planRegion({ issuers: ["国务院办公厅"], title: "湖南省…方案" })).toBeUndefined();
  });

  it("reads the region from a department of a region's government, not from a national body", () => {
    expect(issuerRegion(["宁波市卫生健康委员会", "宁波市教育局"])).toBe("宁波");
    expect(issuerRegion(["江西省水利厅"])).toBe("江西");
    expect(issuerRegion(["深圳市市场监督管理局"])).toBe("深圳");
    expect(issuerRegion(["国家市场监督管理总局"])).toBeUndefined();
    expect(issuerRegion(["国家发展改革委", "国家能源局"])).toBeUndefined();
  });

  it("reads every year a plan names, from its notice to its targets", () => {
    const scopes = planScopes(kb.docs);
    const water = [...scopes.values()].find((s) => s.region === "江西")!;
    expect([...water.years]).toEqual([2025]);
    const reading = [...scopes.values()].find((s) => s.region === undefined)!;
    expect([...reading.years].sort()).toEqual([2023, 2025]);
  });

  it("tells a request for personal advice, a price and a particular day from questions about policy", () => {
    expect(asksAdvice("我该不该把老家的房子租出去")).toBe(true);
    expect(asksAdvice("孩子成绩一般，我们该让他读技校还是读高中")).toBe(true);
    expect(asksAdvice("Should I switch to the cheaper medicine?")).toBe(true);
    expect(asksAdvice("农村供水管网要不要收费")).toBe(false);
    // How one's own case would end is no plan's to say; where to complain is.
    expect(asksAdvice("邻居不同意，我去法院告他能赢吗？")).toBe(true);
    expect(asksAdvice("对方一直不付款，我去起诉能要回来吗？")).toBe(true);
    expect(asksAdvice("投诉以后多久能处理？")).toBe(false);
    expect(legalRemedy("我准备去法院起诉")).toBe("诉讼");
    // What was actually done, however the verb runs: a plan sets targets.
    expect(asksOutcome("2027年全省实际开工改造了多少个老旧小区？")).toBe(true);
    expect(asksOutcome("去年实际登记了几家企业？")).toBe(true);
    expect(asksOutcome("按实际需要配备多少人？")).toBe(false);
    expect(asksPrice("桶装水现在几块钱一桶")).toBe(true);
    expect(asksPrice("门票价格是多少")).toBe(true);
    expect(asksPrice("药价降下来以后医院怎么办")).toBe(false);
    expect(asksPrice("养老保险要缴多少年")).toBe(false);
    expect(asksPrice("申请要交多少份材料")).toBe(false);
    expect(asksDay("这个周末会停电吗")).toBe(true);
    expect(asksDay("今年的目标是什么")).toBe(false);
  });
});

describe("an ordinal round and the first time one does something", () => {
  it("reads 第三批, 第五次全国普查 as rounds, and 第一次在网上看病 as no round at all", () => {
    expect(ordinalsOf("第三批城市书房名单")).toEqual(["第三批"]);
    expect(ordinalsOf("第五次全国农村供水普查")).toEqual(["第五次"]);
    expect(ordinalsOf("我第一次在网上找医生看病，能开药吗")).toEqual([]);
    expect(ordinalsOf("第一次去办证要带什么")).toEqual([]);
  });
});

describe("declining what the plans loaded do not answer", () => {
  it.each([
    ["2022年农村自来水普及率是多少", "other-year"],
    // 2035 is only in the title of a document the plan cites (《…规划纲要（2021—2035年）》).
    ["2035年农村自来水普及率要达到多少", "other-year"],
    ["我住在南昌，明天会停水吗？", "other-day"],
    ["湖南省农村供水管网要新建多少公里", "other-place"],
    ["北京今年要建多少个城市书房", "other-place"],
    ["我家该不该装一台净水器", "advice"],
    ["停水停了三天，我能去申请行政复议吗", "advice"],
    ["下周末县城会不会停水", "other-day"],
    ["新建和改造农村供水管网要多少钱", "no-figure"],
    ["第三批城市书房的名单里有哪些城市", "other-batch"],
    ["第五次全国农村供水普查的结果怎么样", "other-batch"],
  ])("declines %s (%s)", async (question, code) => {
    const r = await kb.retriever.retrieve(question);
    expect(r.grade).toBe("declined");
    expect(r.reasonCode).toBe(code);
  });

  it("says in Chinese that the plans loaded do not answer, what they cover, and points to the nearest unit without answering", async () => {
    const r = await engine.answer({ question: "改造农村供水管网总共要花多少钱" });
    expect(r.grade).toBe("declined");
    expect(r.abstained).toBe(true);
    expect(r.answer).toMatch(/^已载入的规划没有回答这个问题/);
    expect(r.answer).toContain("农村供水保障方案（江西）");
    expect(r.answer).toContain("全民阅读推广方案（全国）");
    expect(r.answer).toMatch(/最接近的内容（仅供参考，不是答案）：二（一）/);
    // A pointer, not an answer: the figure of another kind (1200公里) is not offered as the cost.
    expect(r.answer).not.toContain("1200");
  });

  it("names the plan's own date when the question asks about another year, and cites it", async () => {
    const r = await engine.answer({ question: "2021年全省农村自来水普及率达到了多少" });
    expect(r.grade).toBe("declined");
    expect(r.answer).toContain("2025年2月10日");
    expect(r.citations.some((c) => c.ref === "notice" && c.quote === "2025年2月10日")).toBe(true);
  });

  it("answers in English that the plans do not cover a weekend", async () => {
    const r = await kb.retriever.retrieve("Will the reading festival be held this weekend?");
    expect(r.grade).toBe("declined");
  });
});

describe("still answering what the plans say", () => {
  it.each([
    ["农村自来水普及率今年要达到多少", "92%"],
    ["老旧水厂要改造几座", "30座"],
    ["各县什么时候之前要制定农村供水实施方案", "2025年6月底前"],
    ["城市书房要建多少个", "5000个"],
  ])("answers %s", async (question, figure) => {
    const r = await engine.answer({ question });
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain(figure);
  });

  it("answers a national plan's measures for a province it does not name", async () => {
    const r = await engine.answer({ question: "北京的城市书房怎么建" });
    expect(r.grade).toBe("answered");
    expect(r.citations[0]!.heading).toMatch(/主要目标|阅读设施/);
  });

  it("answers a resident's question in everyday words", async () => {
    const r = await engine.answer({ question: "以后水费怎么收" });
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("水费收缴");
  });
});

describe("figures stated where the plan speaks of the topic", () => {
  it("finds the figure of the kind asked in the clause about the topic, and none of another kind", async () => {
    const ranked = await kb.retriever.rank("老旧水厂改造多少座");
    const deps = { weights: ranked.weights, figuresOf: (u: Parameters<typeof kb.retriever.figuresOf>[0]) => kb.retriever.figuresOf(u) };
    expect(statedFigures(ranked.query, ranked.units, deps).map((f) => f.figure.figure)).toContain("30座");
    const money = await kb.retriever.rank("老旧水厂改造花多少钱");
    expect(statedFigures(money.query, money.units, { ...deps, weights: money.weights })).toEqual([]);
  });
});

describe("questions the plans cannot answer, by their form", () => {
  it("takes 'A好还是B好' as asking for a personal choice", () => {
    expect(asksAdvice("吃这种药好还是那种药好")).toBe(true);
    expect(asksAdvice("读中职好还是读普高好")).toBe(true);
    expect(asksAdvice("农村供水是集中好还是分散建设")).toBe(false);
  });

  it("declines a question about a Latin abbreviation no plan prints, naming it", async () => {
    const unknown = await kb.retriever.retrieve("江西农村供水的KPI考核怎么定");
    expect(unknown.grade).toBe("declined");
    expect(unknown.reason).toContain("KPI");
  });
});

describe("questions no plan answers: results, market forecasts, choices, fees", () => {
  it("reads a question about what was actually achieved", () => {
    expect(asksOutcome("到2022年底实际建成了多少所学校")).toBe(true);
    expect(asksOutcome("50所的目标完成了吗")).toBe(true);
    expect(asksOutcome("Was the target actually met?")).toBe(true);
    expect(asksOutcome("要建成多少所学校")).toBe(false);
    expect(asksOutcome("到2022年是不是真的建成了50所高职")).toBe(true);
    expect(asksOutcome("试点最后选定了哪些城市")).toBe(true);
    expect(asksOutcome("中期评估结果怎么样，哪些指标滞后了")).toBe(true);
    expect(asksOutcome("试点城市怎么选")).toBe(false);
    expect(asksOutcome("试点执行以后中选药品价格平均降了多少")).toBe(true);
    expect(asksOutcome("细则施行一年后犬只伤人事件减少了多少")).toBe(true);
    expect(asksOutcome("到2025年药价要降低多少")).toBe(false);
    expect(asksOutcome("到2027年要减少了多少")).toBe(false);
    expect(asksOutcome("应下降了多少")).toBe(false);
  });

  it("reads a forecast of floods or droughts, a legal remedy and a choice between treatments", () => {
    expect(asksForecast("2030年前赣江还会不会再发大洪水")).toBe(true);
    expect(asksForecast("Will there be another flood next year?")).toBe(true);
    expect(asksForecast("防洪标准提高到多少年一遇")).toBe(false);
    expect(legalRemedy("医院不给用这个药，患者能起诉医院吗")).toBe("起诉");
    expect(legalRemedy("狗咬了人，能要多少精神损失费")).toBe("精神损失");
    expect(legalRemedy("垃圾分类分错了被罚了200块，我能去申请行政复议吗")).toBe("行政复议");
    expect(legalRemedy("实习工资被拖欠，我要怎么去申请劳动仲裁")).toBe("仲裁");
    expect(legalRemedy("邻居的狗天天叫，我能告他吗")).toBe("诉讼");
    expect(legalRemedy("犬只伤人的怎么处罚")).toBeUndefined();
    expect(asksAdvice("我有高血压，要不要把现在吃的药换成集采的仿制药")).toBe(true);
    expect(asksAdvice("家用充电桩买哪个牌子好")).toBe(true);
    expect(asksAdvice("犬只伤人的怎么处罚")).toBe(false);
    expect(asksAdvice("How long is the licence valid, and when should I apply to renew it?")).toBe(false);
    expect(asksAdvice("Should I move my parents to a care home?")).toBe(true);
  });

  it("reads a market forecast, but not a price the plan acts on", () => {
    expect(asksForecast("小区房价会不会跌")).toBe(true);
    expect(asksForecast("股市明年会涨吗")).toBe(true);
    expect(asksForecast("常吃的降压药以后价格会降吗")).toBe(false);
  });

  it("reads choosing among providers as advice, and a premium as a price", () => {
    expect(asksAdvice("该选哪家养老院比较好")).toBe(true);
    expect(asksAdvice("养老院有哪些")).toBe(false);
    expect(asksPrice("长期护理保险个人每年要缴多少保费")).toBe(true);
  });

  it("declines them in an answer, pointing to the target without claiming the result", async () => {
    const r = await engine.answer({ question: "高标准农田78万亩的目标实际完成了吗" });
    expect(r.grade).toBe("declined");
    expect(r.answer).toContain("实际完成情况");
  });
});

describe("a city or district below the plan's region", () => {
  it("is read from the question by its name", () => {
    const vocab = loadVocabulary();
    expect(analyzeQuery("合肥市三年要改造多少个老旧小区？", vocab).localPlaces).toContain("合肥");
    expect(analyzeQuery("江北区2027年要新建多少个托育点？", vocab).localPlaces).toContain("江北");
  });

  it("does not take a figure for the whole city as its own, while the plan's own city keeps its figures", async () => {
    const { kb, engine } = await fixtureKb("invented-plans/dev4");
    const r = await askChecked(kb, engine, "江北区2027年要新建多少个农村托育服务点？");
    expect(r.answer).not.toContain("120个");
    const { kb: luoyang, engine: own } = await fixtureKb("invented-plans/dev3");
    const fee = await askChecked(luoyang, own, "洛阳大型犬一年登记费多少钱？");
    expect(fee.grade).toBe("answered");
  });
});

describe("review of the session's figure and scope rules", () => {
  it("reads no measure inside a word (床位, 本科, 支持) and no case outcome in 告诉, 公告 or 共赢", () => {
    const vocab = loadVocabulary();
    expect(analyzeQuery("养老机构要新增多少床位", vocab).intent.measure).toBeUndefined();
    expect(analyzeQuery("多少支持资金", vocab).intent.measure).toBeUndefined();
    expect(asksAdvice("家政公司告诉我要停业了，预付的钱能要回来吗")).toBe(false);
    expect(asksAdvice("方案公告里说的合作共赢是什么意思")).toBe(false);
    expect(asksOutcome("泉州市结合实际出台了多少条政策措施")).toBe(false);
    expect(analyzeQuery("浦东新区要建多少个", vocab).localPlaces).toContain("浦东");
    expect(analyzeQuery("沿海地区要建多少个", vocab).localPlaces).toEqual([]);
  });

  it("keeps a district plan's own figures, pairs a case in one measure with its figure in another, and reads a bound only of the thing asked", async () => {
    const { kb, engine } = await fixtureKb("district");
    const own = await askChecked(kb, engine, "江北区要新建多少个普惠托育点");
    expect(own.answer).toContain("20个");
    const paired = await askChecked(kb, engine, "建筑面积达到400平方米的托育用房给多少运营补助");
    expect(paired.answer).toContain("（400平方米：20万元）");
    // The wage floor (不低于当地最低工资标准) is no bound of the 培训补贴 asked.
    const bound = await engine.answer({ question: "保育人员技能培训补贴最高多少钱" });
    expect(bound.grade).not.toBe("answered");
  });
});

describe("where exactly a place is", () => {
  it("reads a question for an address, unless the text found prints one", () => {
    expect(asksAddress("省立图书馆的地址在哪里？", "省立图书馆负责全省业务指导。")).toBe(true);
    expect(asksAddress("人才公寓具体都在哪些小区？", "新筹集人才公寓3万套。")).toBe(true);
    expect(asksAddress("服务中心的地址在哪里？", "服务中心设在解放路123号。")).toBe(false);
    expect(asksAddress("去哪里申请补贴？", "向所在社区提出申请。")).toBe(false);
  });

  it("declines it, pointing to the unit that names the place", async () => {
    const r = await kb.retriever.retrieve("城市书房的具体地址在哪里？");
    expect(r.grade).toBe("declined");
  });
});

describe("questions of a kind no plan answers", () => {
  it("reads a provider's pick, a recommendation, an average or market price and an office-holder's name", async () => {
    const { asksAdvice, asksMarketPrice, asksPerson } = await import("../../src/retrieve/scope.js");
    expect(asksAdvice("洛阳哪家宠物医院做绝育最便宜？")).toBe(true);
    expect(asksAdvice("最近有什么好看的小说推荐？")).toBe(true);
    expect(asksAdvice("在四川该选哪家养老院比较好？")).toBe(true);
    expect(asksAdvice("哪些企业可以申请补贴？")).toBe(false);
    expect(asksMarketPrice("托育机构一个月平均收费是多少钱？", "普惠托育机构收费不超过每月1800元")).toBe(true);
    expect(asksMarketPrice("人才公寓的市场价一般多少？", "租金不高于同地段市场租金的70%")).toBe(true);
    expect(asksMarketPrice("托育收费标准是多少？", "")).toBe(false);
    expect(asksPerson("农业农村局的局长是谁？", "县农业农村局负责组织实施")).toBe(true);
    expect(asksPerson("项目联系人是谁？", "联系人：王晓峰，电话：0816-2231478")).toBe(false);
    expect(asksPerson("谁负责审核？", "")).toBe(false);
  });
});
