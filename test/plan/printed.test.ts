import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { parsePlan } from "../../src/plan/parse.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { FIXTURES } from "../helpers.js";

// Invented documents laid out as governments print them: a red header, the list of attachments under
// the text (附件：1．…  2．…), a signature of several issuers on lines of their own, a date in words
// (二〇二六年十一月三日, 二○二六年三月九日), page numbers from a PDF copy (— 2 —, -3-), the colophon at
// the very end (抄送… over two lines, …印发), and body sentences that speak of 印发 and of notices.
const DIR = join(FIXTURES, "layouts", "printed");
const load = (name: string) => loadPlanFile(join(DIR, name));
const unit = (d: PlanDocument, ref: string) => {
  const u = d.units.find((x) => x.ref === ref);
  if (!u) throw new Error(`no unit ${ref} in ${d.id}`);
  return u;
};
/** Text that belongs to the printing, not to any unit. */
const PRINTING = /抄送|日印发|— 2 —|-3-|———/;

describe("a 意见 printed with a red header, the list of attachments, three signers and a colophon", () => {
  const d = load("fenghe-lenglian-yijian.txt");

  it("makes annexes only of the real 附件1 / 附件2 headings, their 序号 rows citable, and no annex of the list", () => {
    expect(d.units.map((u) => u.ref)).toEqual([
      "preamble", "part:1", "part:2", "section:2.1", "section:2.2", "part:3", "section:3.1", "section:3.2",
      "annex:1", "annex:1/row:1", "annex:1/row:2", "annex:2", "annex:2/row:1", "annex:2/row:2", "notice",
    ]);
    expect(unit(d, "annex:1")).toMatchObject({ label: "附件1", heading: "重点任务分工表", text: "附件1\n重点任务分工表" });
    expect(unit(d, "annex:1/row:2")).toMatchObject({ label: "附件1序号2", text: "实现乡镇冷链配送全覆盖，责任单位：省商务厅，完成时限：2027年12月底前" });
    expect(unit(d, "annex:2")).toMatchObject({ label: "附件2", heading: "年度目标表", text: "附件2\n年度目标表" });
  });

  it("records the list of attachments, the three signers and the date in words as the document's metadata", () => {
    expect(d.meta).toMatchObject({
      title: "丰禾省人民政府办公厅关于推进县域冷链物流体系建设的实施意见",
      noticeTitle: null,
      docNumber: "丰禾政办发〔2026〕52号",
      issuers: ["丰禾省人民政府办公厅", "丰禾省发展和改革委员会", "丰禾省农业农村厅"],
      date: "2026-11-03",
      dateText: "二〇二六年十一月三日",
      recipients: ["各市、县人民政府", "省政府各部门"],
      attachments: ["重点任务分工表", "年度目标表"],
    });
  });

  it("keeps the red header out of the title and the title apart from the first sentence", () => {
    expect(unit(d, "preamble").text.split("\n")).toEqual([
      "丰禾省人民政府办公厅关于推进县域冷链物流体系建设的实施意见",
      "为补齐县域冷链物流短板，经省政府同意，提出如下意见。",
    ]);
    expect(unit(d, "notice")).toMatchObject({ label: "发文信息" });
    expect(unit(d, "notice").text.split("\n")).toEqual([
      "丰禾省人民政府办公厅文件",
      "丰禾政办发〔2026〕52号",
      "各市、县人民政府，省政府各部门：",
      "附件：1．重点任务分工表",
      "2．年度目标表",
      "丰禾省人民政府办公厅",
      "丰禾省发展和改革委员会",
      "丰禾省农业农村厅",
      "二〇二六年十一月三日",
      "（此件公开发布）",
    ]);
  });

  it("does not take a notice title quoted in the body for the issuing notice", () => {
    expect(unit(d, "section:2.1").text).toContain("某县人民政府关于印发县域冷藏保鲜设施建设清单的通知");
    expect(unit(d, "section:2.1").text).toContain("各乡镇要认真贯彻落实。");
  });

  it("drops the page numbers, mends the sentence they split and glues no colophon to the last unit", () => {
    expect(unit(d, "section:3.1").text).toBe("（一）加强统筹协调。各市县要建立冷链物流工作专班，主要负责同志牵头抓总，明确部门责任分工。");
    expect(unit(d, "section:3.1").repairs.map((r) => r.kind)).toEqual(["join-page-break"]);
    expect(unit(d, "section:3.2").text).toBe("（二）强化资金保障。省级财政每年安排冷链物流专项资金2亿元。");
    expect(unit(d, "annex:2/row:2").text).toBe("指标：冷链配送乡镇覆盖率，2027年目标：100%");
    for (const u of d.units) expect(u.text, u.ref).not.toMatch(PRINTING);
  });
});

describe("a joint notice with four signers, a plan whose text speaks of 印发, its list of attachments and a colophon", () => {
  const d = load("chengjiang-dianti-fangan.txt");

  it("reads the notice's title, 文号, four signers and a date written with ○ from the front matter only", () => {
    expect(d.meta).toMatchObject({
      title: "澄江市老旧小区加装电梯三年行动方案",
      noticeTitle: "澄江市住房和城乡建设局等四部门关于印发澄江市老旧小区加装电梯三年行动方案的通知",
      docNumber: "澄建发〔2026〕17号",
      issuers: ["澄江市住房和城乡建设局", "澄江市财政局", "澄江市自然资源和规划局", "澄江市市场监督管理局"],
      date: "2026-03-09",
      dateText: "二○二六年三月九日",
      attachments: ["2026年加装电梯任务分解表", "加装电梯补助资金申请流程"],
    });
  });

  it("keeps the body's 印发 sentences in their sections and makes annexes of 附件 1 and 附件二 only", () => {
    expect(d.units.map((u) => u.ref)).toEqual([
      "preamble", "part:1", "part:2", "section:1", "section:2", "section:3", "part:3",
      "annex:1", "annex:1/row:1", "annex:1/row:2", "annex:2", "annex:2/task:1", "annex:2/task:2", "annex:2/task:3", "notice",
    ]);
    expect(unit(d, "section:1").text).toBe("（一）编制加装计划。各区政府印发年度加装计划，明确加装小区名单，报市住房和城乡建设局备案。");
    expect(unit(d, "part:3").text).toBe("三、保障措施\n各区要加强组织领导，将加装电梯纳入为民办实事项目，确保任务落地。");
    expect(unit(d, "annex:1")).toMatchObject({ label: "附件1", heading: "2026年加装电梯任务分解表" });
    expect(unit(d, "annex:2")).toMatchObject({ label: "附件二", heading: "加装电梯补助资金申请流程" });
    expect(unit(d, "annex:2/task:3").text).toBe("3．资金拨付。审核通过后，区财政部门在30日内拨付补助资金。");
    expect(unit(d, "notice").text.split("\n").slice(-5)).toEqual(["澄江市住房和城乡建设局", "澄江市财政局", "澄江市自然资源和规划局", "澄江市市场监督管理局", "二○二六年三月九日"]);
    for (const u of d.units) expect(u.text, u.ref).not.toMatch(/附件：|抄送|日印发|— 4 —/);
  });
});

describe("other ways to print the list of attachments", () => {
  const body = ["某县农村供水保障方案", "", "为保障农村供水安全，制定本方案。", "一、工作目标", "到2030年，农村自来水普及率达到99%。", "二、保障措施", "各乡镇要加强组织领导。", ""];
  const annexes = ["", "附件1", "", "供水工程清单", "", "序号  工程名称        责任单位", "1     东乡水厂扩建    县水利局", "", "附件2", "", "水质检测计划", "", "每季度开展一次水质检测。"];

  it("reads 附件： alone with the entries on the lines below", () => {
    const d = parsePlan([...body, "附件：", "1．供水工程清单", "2．水质检测计划", ...annexes].join("\n"), "gongshui.txt");
    expect(d.meta.attachments).toEqual(["供水工程清单", "水质检测计划"]);
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "part:2", "annex:1", "annex:1/row:1", "annex:2"]);
    expect(unit(d, "part:2").text).toBe("二、保障措施\n各乡镇要加强组织领导。");
  });

  it("reads a list of 附件1：… lines above the annexes those numbers head", () => {
    const d = parsePlan([...body, "附件1：供水工程清单", "附件2：水质检测计划", ...annexes].join("\n"), "gongshui.txt");
    expect(d.meta.attachments).toEqual(["供水工程清单", "水质检测计划"]);
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "part:2", "annex:1", "annex:1/row:1", "annex:2"]);
    expect(unit(d, "annex:2").text).toBe("附件2\n水质检测计划\n每季度开展一次水质检测。");
  });

  it("reads a single unnumbered attachment printed under the date, with the 文号 and signer into the issuing marks", () => {
    const lines = [...body, "某县人民政府", "2026年5月6日", "附件：供水工程清单", ...annexes.slice(0, 7)];
    lines.splice(1, 0, "某政发〔2026〕9号");
    const d = parsePlan(lines.join("\n"), "gongshui.txt");
    expect(d.meta).toMatchObject({ attachments: ["供水工程清单"], issuers: ["某县人民政府"], date: "2026-05-06", docNumber: "某政发〔2026〕9号" });
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "part:2", "annex:1", "annex:1/row:1", "notice"]);
    expect(unit(d, "notice").text).toBe("某政发〔2026〕9号\n某县人民政府\n2026年5月6日\n附件：供水工程清单");
  });

  it("keeps 附件：… as the annex's heading when no annex is printed below it", () => {
    const d = parsePlan([...body, "附件：供水工程清单", "", "序号  工程名称        责任单位", "1     东乡水厂扩建    县水利局"].join("\n"), "gongshui.txt");
    expect(d.meta.attachments).toEqual([]);
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "part:2", "annex:1", "annex:1/row:1"]);
  });

  it("reads 1．2026年… (a full-width point before a year) as a numbered task, not as a decimal", () => {
    const d = parsePlan(["某县工作要点", "一、重点任务", "1．2026年底前建成东乡水厂。", "2．2027年底前建成西乡水厂。"].join("\n"), "yaodian.txt");
    expect(d.units.filter((u) => u.kind === "task").map((u) => [u.number, u.text])).toEqual([
      [1, "1．2026年底前建成东乡水厂。"],
      [2, "2．2027年底前建成西乡水厂。"],
    ]);
  });
});

describe("a status under the title and notes under the date", () => {
  it("keeps （试行） in the title and takes 信息公开 and 联系人 notes into the issuing marks", () => {
    const text = [
      "青禾市社区养老服务设施管理办法",
      "（试行）",
      "",
      "第一条 为规范社区养老服务设施管理，制定本办法。",
      "第二条 本办法自2026年12月1日起施行。",
      "",
      "青禾市民政局",
      "2026年11月3日",
      "",
      "（信息公开形式：主动公开）",
      "（联系人：王明，联系电话：12345678）",
    ].join("\n");
    const d = parsePlan(text, "banfa.txt");
    expect(d.meta).toMatchObject({ title: "青禾市社区养老服务设施管理办法（试行）", issuers: ["青禾市民政局"], date: "2026-11-03" });
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "article:1", "article:2", "notice"]);
    expect(unit(d, "article:2").text).toBe("第二条 本办法自2026年12月1日起施行。");
    expect(unit(d, "notice").text).toBe("青禾市民政局\n2026年11月3日\n（信息公开形式：主动公开）\n（联系人：王明，联系电话：12345678）");
  });

  it("keeps a contact note under a notice's date out of the plan's title", () => {
    const text = [
      "青禾市民政局关于印发青禾市社区助餐点建设方案的通知",
      "",
      "各区民政局：",
      "现将《青禾市社区助餐点建设方案》印发给你们，请认真贯彻执行。",
      "",
      "青禾市民政局",
      "2026年11月3日",
      "（联系人：王明，联系电话：12345678）",
      "",
      "青禾市社区助餐点建设方案",
      "",
      "一、建设目标",
      "到2027年，每个街道至少建成1个社区助餐点。",
    ].join("\n");
    const d = parsePlan(text, "zhucan.txt");
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "notice"]);
    expect(unit(d, "preamble").text).toBe("青禾市社区助餐点建设方案");
    expect(unit(d, "notice").text.split("\n").at(-1)).toBe("（联系人：王明，联系电话：12345678）");
  });
});
