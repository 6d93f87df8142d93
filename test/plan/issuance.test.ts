import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { splitOrgans, titleLead } from "../../src/plan/issuance.js";
import { loadPlanFile, loadPlans } from "../../src/plan/load.js";
import { shortNameOf } from "../../src/plan/meta.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { PlanCatalog } from "../../src/retrieve/plans.js";
import { FIXTURES } from "../helpers.js";

// Invented 意见 printed as issued, without an issuing notice: the issuers before 关于 in the title, a
// 文号 under (or above, or at the end), recipients, and the signature and date closing the text.
const DIR = join(FIXTURES, "layouts", "issuance");
const load = (name: string) => loadPlanFile(join(DIR, name));
const unit = (d: PlanDocument, ref: string) => d.units.find((u) => u.ref === ref)!;
/** The last unit of the body, before the issuing marks and any annex. */
const lastBodyUnit = (d: PlanDocument) => d.units.filter((u) => u.kind !== "notice" && !u.ref.startsWith("annex")).at(-1)!;

describe("a 意见 with two issuers in its title, its 文号 under it and the signature at the end", () => {
  const d = load("chuneng-yijian.txt");

  it("reads issuers, 文号, date, title and a short name without the issuers", () => {
    expect(d.meta).toMatchObject({
      title: "国家数据局 国家能源局关于推进乡村储能设施高质量发展的指导意见",
      noticeTitle: null,
      shortName: "乡村储能设施意见",
      docNumber: "国数能规〔2031〕27号",
      issuers: ["国家数据局", "国家能源局"],
      date: "2031-05-20",
      dateText: "2031年5月20日",
      recipients: [],
    });
    expect(d.meta.aliases).toEqual(expect.arrayContaining(["推进乡村储能设施高质量发展的指导意见", "国数能规[2031]27号"]));
  });

  it("ends the last unit's text before the signature and keeps the 文号 out of the preamble", () => {
    const last = lastBodyUnit(d);
    expect(last.ref).toBe("section:4");
    expect(last.text.endsWith("并网手续办理时限不超过15个工作日。")).toBe(true);
    expect(last.source.endLine).toBe(12);
    const preamble = unit(d, "preamble");
    expect(preamble.text.split("\n")[0]).toBe("国家数据局 国家能源局关于推进乡村储能设施高质量发展的指导意见");
    expect(preamble.text).not.toContain("27号");
    expect(preamble.text.split("\n")[1]!.startsWith("乡村储能设施是新型电力系统的组成部分")).toBe(true);
  });

  it("makes the 文号, signature and date one citable unit, headed by the title, holding each verbatim", () => {
    expect(unit(d, "notice")).toMatchObject({
      kind: "notice",
      label: "发文信息",
      heading: "国家数据局 国家能源局关于推进乡村储能设施高质量发展的指导意见",
      source: { startLine: 2, endLine: 16, lines: [2, 14, 15, 16] },
    });
    expect(unit(d, "notice").text.split("\n")).toEqual([
      "国数能规〔2031〕27号",
      "国家数据局",
      "国家能源局",
      "2031年5月20日",
    ]);
    expect(d.units.at(-1)!.ref).toBe("notice");
  });
});

describe("a 国务院 意见 with its 文号 above a two-line title, recipients and a release note", () => {
  const d = load("tuoyu-yijian.txt");

  it("reads the issuer from the title and the signature, the 文号 above, the recipients and the date", () => {
    expect(d.meta).toMatchObject({
      title: "国务院关于加快发展乡村托育服务的意见",
      shortName: "乡村托育服务意见",
      docNumber: "国发〔2032〕6号",
      issuers: ["国务院"],
      date: "2032-02-14",
      dateText: "2032年2月14日",
      recipients: ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"],
    });
  });

  it("joins the title over its two lines and takes the 文号, recipients, signature, date and release note out of the text", () => {
    const preamble = unit(d, "preamble");
    expect(preamble.heading).toBe("国务院关于加快发展乡村托育服务的意见");
    expect(preamble.text).not.toMatch(/国发〔|各直属机构|此件公开发布/);
    expect(lastBodyUnit(d).text.endsWith("托育从业人员持证上岗率达到100%。")).toBe(true);
    expect(unit(d, "notice").text.split("\n")).toEqual([
      "国发〔2032〕6号",
      "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
      "国务院",
      "2032年2月14日",
      "（此件公开发布）",
    ]);
    expect(d.units.flatMap((u) => u.repairs).filter((r) => r.kind.startsWith("join"))).toEqual([]);
  });
});

describe("two issuers on one signature line, the 文号 under the date and an annex after the closing", () => {
  const d = load("jianshen-yijian.txt");

  it("splits issuers printed without a space in the title and with spaces in the signature", () => {
    expect(d.meta).toMatchObject({
      title: "国家体育总局国家卫生健康委关于推进社区运动健身设施建设的意见",
      shortName: "社区运动健身设施意见",
      docNumber: "体规字〔2033〕11号",
      issuers: ["国家体育总局", "国家卫生健康委"],
      date: "2033-08-08",
    });
  });

  it("keeps the closing out of the last part and the annex after it", () => {
    const last = lastBodyUnit(d);
    expect(last.ref).toBe("part:3");
    expect(last.text.endsWith("评估结果向社会公开。")).toBe(true);
    expect(unit(d, "notice").text.split("\n")).toEqual(["国家体育总局　　国家卫生健康委", "2033年8月8日", "体规字〔2033〕11号"]);
    expect(unit(d, "annex:1/row:2").text).toContain("设立运动健康指导门诊");
    expect(d.warnings).toEqual([]);
  });
});

describe("a 中共中央 国务院 意见 with its date in brackets under the title and no closing", () => {
  const d = load("shuzhi-yijian.txt");

  it("reads both issuers and the date without its brackets, and keeps the date line out of the title", () => {
    expect(d.meta).toMatchObject({
      title: "中共中央 国务院关于全面推进乡村数字治理的意见",
      shortName: "乡村数字治理意见",
      docNumber: null,
      issuers: ["中共中央", "国务院"],
      date: "2034-01-02",
      dateText: "2034年1月2日",
    });
    expect(unit(d, "preamble").text.split("\n")[0]).toBe("中共中央 国务院关于全面推进乡村数字治理的意见");
    expect(unit(d, "notice")).toMatchObject({ label: "发文信息", text: "（2034年1月2日）" });
    expect(lastBodyUnit(d).text.endsWith("群众办事跑腿次数减少一半。")).toBe(true);
  });
});

describe("issuers and short names by general rules", () => {
  it.each([
    ["国家发展改革委 国家能源局", ["国家发展改革委", "国家能源局"]],
    ["国家发展改革委国家能源局", ["国家发展改革委", "国家能源局"]],
    ["国务院国资委", ["国务院国资委"]],
    ["人力资源社会保障部", ["人力资源社会保障部"]],
    ["中共中央办公厅　国务院办公厅", ["中共中央办公厅", "国务院办公厅"]],
    ["东岭市卫生健康委员会东岭市发展和改革委员会东岭市教育局东岭市民政局东岭市财政局东岭市人力资源和社会保障局东岭市住房和城乡建设局", ["东岭市卫生健康委员会", "东岭市发展和改革委员会", "东岭市教育局", "东岭市民政局", "东岭市财政局", "东岭市人力资源和社会保障局", "东岭市住房和城乡建设局"]],
    ["浙江省发展和改革委员会浙江省教育厅", ["浙江省发展和改革委员会", "浙江省教育厅"]],
    ["东岭市市场监督管理局", ["东岭市市场监督管理局"]],
  ])("splits %s into its organs", (lead, organs) => {
    expect(splitOrgans(lead)).toEqual(organs);
    expect(titleLead(`${lead}关于做好某项工作的通知`)?.issuers).toEqual(organs);
  });

  it("reads no issuers where the text before 关于 is not an organ", () => {
    expect(titleLead("关于2026年深化改革的工作方案")).toBeUndefined();
    expect(titleLead("2026年关于深化改革的工作方案")).toBeUndefined();
  });

  it.each([
    ["国家发展改革委 国家能源局关于加快推进城乡充电基础设施高质量发展的实施意见", "城乡充电设施意见"],
    ["国务院关于加快发展乡村托育服务的意见", "乡村托育服务意见"],
    ["教育部等六部门关于推进校园足球普及的意见", "校园足球普及意见"],
  ])("%s → %s (the issuers are not in the short name)", (title, short) => {
    expect(shortNameOf(title)).toBe(short);
  });

  it("gives no issuing unit to a plan that prints only its title and text", () => {
    const d = loadPlanFile(join(FIXTURES, "layouts", "lanxi-shuzi-guihua.txt"));
    expect(d.units.some((u) => u.kind === "notice")).toBe(false);
    expect(d.meta).toMatchObject({ issuers: [], docNumber: null, date: null });
  });
});

describe("the catalogue names these plans by 文号, issuer and topic", () => {
  const { docs } = loadPlans(DIR);
  const catalog = new PlanCatalog(docs);
  const named = (q: string) => catalog.named(q).map((m) => m.doc);

  it("finds a plan by a 文号 whose organ code ends in 规, typed with other brackets", () => {
    expect(catalog.get("chuneng-yijian")?.docNumber).toBe("国数能规〔2031〕27号");
    expect(named("国数能规[2031]27号讲了什么")).toEqual(["chuneng-yijian"]);
  });

  it("finds a plan by its issuer and by its topic without the issuers", () => {
    expect(named("国家数据局那个意见说了什么")).toEqual(["chuneng-yijian"]);
    expect(named("托育服务意见里托位怎么补助")).toEqual(["tuoyu-yijian"]);
  });
});
