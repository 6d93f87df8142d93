import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { summarizePlan } from "../../src/cli/commands/plans.js";
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

  it("lists the attachments with the plan (policybot plans --json)", () => {
    expect(summarizePlan(d)).toMatchObject({ docNumber: "丰禾政办发〔2026〕52号", date: "2026-11-03", attachments: ["重点任务分工表", "年度目标表"] });
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
      "preamble", "part:1", "part:2", "section:2.1", "section:2.2", "section:2.3", "part:3",
      "annex:1", "annex:1/row:1", "annex:1/row:2", "annex:2", "annex:2/task:1", "annex:2/task:2", "annex:2/task:3", "notice",
    ]);
    expect(unit(d, "section:2.1")).toMatchObject({ label: "二（一）" });
    expect(unit(d, "section:2.1").text).toBe("（一）编制加装计划。各区政府印发年度加装计划，明确加装小区名单，报市住房和城乡建设局备案。");
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

  it("reads an entry whose title starts with a span of years after a half-width point (2.2027—2028年…表)", () => {
    const d = parsePlan([...body, "附件：1.供水工程清单", "2.2027—2028年水质检测计划", ...annexes].join("\n"), "gongshui.txt");
    expect(d.meta.attachments).toEqual(["供水工程清单", "2027—2028年水质检测计划"]);
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "part:2", "annex:1", "annex:1/row:1", "annex:2"]);
    expect(unit(d, "part:2").text).toBe("二、保障措施\n各乡镇要加强组织领导。");
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

describe("an annex's title under its marker", () => {
  it("joins a title printed over two lines and keeps the annex's text apart from it", () => {
    const text = ["某县农村供水保障方案", "一、工作目标", "到2030年，农村自来水普及率达到99%。", "", "附件", "", "某县农村供水工程", "建设任务清单", "", "东乡水厂扩建工程2027年底前完工"].join("\n");
    const d = parsePlan(text, "gongshui.txt");
    expect(unit(d, "annex:1")).toMatchObject({ heading: "某县农村供水工程建设任务清单", text: "附件\n某县农村供水工程建设任务清单\n东乡水厂扩建工程2027年底前完工" });
  });
});

describe("a colophon printed before the annexes", () => {
  it("leaves the 抄送 list over two lines and the 印发 line out of every unit and still finds the closing", () => {
    const text = [
      "某县人民政府关于加强农村供水保障的意见",
      "",
      "一、工作目标",
      "到2030年，农村自来水普及率达到99%。",
      "二、保障措施",
      "各乡镇要加强组织领导。",
      "",
      "某县人民政府",
      "2026年5月6日",
      "",
      "抄送：县委各部门，县人大常委会办公室，县政协办公室，",
      "      县法院，县检察院。",
      "某县人民政府办公室",
      "2026年5月7日印发",
      "",
      "附件",
      "",
      "供水工程清单",
      "",
      "序号  工程名称        责任单位",
      "1     东乡水厂扩建    县水利局",
    ].join("\n");
    const d = parsePlan(text, "gongshui.txt");
    expect(d.meta).toMatchObject({ issuers: ["某县人民政府"], date: "2026-05-06" });
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "part:2", "annex:1", "annex:1/row:1", "notice"]);
    expect(unit(d, "part:2").text).toBe("二、保障措施\n各乡镇要加强组织领导。");
    expect(unit(d, "annex:1").text).toBe("附件\n供水工程清单");
    expect(unit(d, "notice").text).toBe("某县人民政府\n2026年5月6日");
    for (const u of d.units) expect(u.text, u.ref).not.toMatch(/抄送|县法院|印发/);
  });
});

describe("the signers and the date printed on one line", () => {
  it("reads both signers and the date from the closing line of a document without a notice", () => {
    const text = ["某县人民政府关于加强农村供水保障的意见", "", "一、工作目标", "到2030年，农村自来水普及率达到99%。", "二、保障措施", "各乡镇要加强组织领导。", "", "某县人民政府　　某县水利局　　2026年5月6日"].join("\n");
    const d = parsePlan(text, "gongshui.txt");
    expect(d.meta).toMatchObject({ issuers: ["某县人民政府", "某县水利局"], date: "2026-05-06", dateText: "2026年5月6日" });
    expect(unit(d, "part:2").text).toBe("二、保障措施\n各乡镇要加强组织领导。");
    expect(unit(d, "notice").text).toBe("某县人民政府　　某县水利局　　2026年5月6日");
  });

  it("reads the signer and the date from a notice's closing line", () => {
    const text = [
      "某县人民政府办公室关于印发某县农村供水保障方案的通知",
      "",
      "各乡镇人民政府，县政府各部门：",
      "现将《某县农村供水保障方案》印发给你们，请认真贯彻执行。",
      "",
      "某县人民政府办公室　　二〇二六年五月六日",
      "",
      "某县农村供水保障方案",
      "一、工作目标",
      "到2030年，农村自来水普及率达到99%。",
    ].join("\n");
    const d = parsePlan(text, "gongshui.txt");
    expect(d.meta).toMatchObject({ title: "某县农村供水保障方案", issuers: ["某县人民政府办公室"], date: "2026-05-06", dateText: "二〇二六年五月六日" });
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "notice"]);
    expect(unit(d, "preamble").text).toBe("某县农村供水保障方案");
  });

  it("does not take a line that ends in a date after words other than organs for a closing", () => {
    const text = ["某县农村供水保障方案", "一、工作目标", "东乡水厂扩建工程完工时间　2026年5月6日", "二、保障措施", "各乡镇要加强组织领导。"].join("\n");
    const d = parsePlan(text, "gongshui.txt");
    expect(d.meta.date).toBeNull();
    expect(unit(d, "part:1").text).toBe("一、工作目标\n东乡水厂扩建工程完工时间　2026年5月6日");
  });
});

describe("marks above the red header", () => {
  const body = ["", "各市、县人民政府，省政府各部门：", "为补齐县域冷链物流短板，经省政府同意，提出如下意见。", "一、总体要求", "到2028年，全省县域冷链物流设施覆盖率达到90%以上。", "", "丰禾省人民政府办公厅", "2026年11月3日"];
  it("leaves the copy number, secrecy and urgency out of the title, on lines of their own or on one", () => {
    for (const marks of [["000123", "特急"], ["000123　秘密★1年　特急"]]) {
      const text = [...marks, "", "丰禾省人民政府办公厅文件", "", "丰禾政办发〔2026〕52号", "", "丰禾省人民政府办公厅关于推进县域冷链物流体系建设的实施意见", ...body].join("\n");
      const d = parsePlan(text, "lenglian.txt");
      expect(d.meta).toMatchObject({ title: "丰禾省人民政府办公厅关于推进县域冷链物流体系建设的实施意见", docNumber: "丰禾政办发〔2026〕52号", recipients: ["各市、县人民政府", "省政府各部门"], date: "2026-11-03" });
      expect(unit(d, "preamble").text.split("\n")[0]).toBe("丰禾省人民政府办公厅关于推进县域冷链物流体系建设的实施意见");
      for (const u of d.units) expect(u.text, u.ref).not.toMatch(/000123|特急/);
    }
  });
});

describe("copies printed with blank lines or page numbers between the lines", () => {
  const files = [
      ...["fenghe-lenglian-yijian.txt", "chengjiang-dianti-fangan.txt"].map((f) => join(DIR, f)),
      ...["tuoyu-yijian.txt", "chuneng-yijian.txt", "jianshen-yijian.txt", "shuzhi-yijian.txt"].map((f) => join(FIXTURES, "layouts", "issuance", f)),
      ...["qingjie-xiangcun.txt", "shuzi-jineng.txt"].map((f) => join(FIXTURES, "plans", "govcn", f)),
    join(FIXTURES, "layouts", "shiquan-gonglu-fangan.txt"),
  ];
  const same = (copy: PlanDocument, plain: PlanDocument, what: string) => {
    expect(copy.meta, what).toEqual(plain.meta);
    expect(copy.units.map((u) => [u.ref, u.label, u.text]), what).toEqual(plain.units.map((u) => [u.ref, u.label, u.text]));
  };

  it("reads a double-spaced copy as the plain one: titles, notices and 文号 split by blank lines", () => {
    for (const name of files) same(parsePlan(readFileSync(name, "utf8").replace(/\n/g, "\n\n"), name), loadPlanFile(name), name);
  });

  it("reads a copy with a page number every few lines as the plain one: inside titles, notices, signatures and lists", () => {
    for (const name of files) {
      const plain = loadPlanFile(name);
      for (const every of [2, 3, 5, 7]) {
        for (const style of ["— N —", "-N-"]) {
          const paged = readFileSync(name, "utf8").split("\n").flatMap((l, i) => (i % every === every - 1 ? [l, "", style.replace("N", String((i + 1) / every)), ""] : [l]));
          same(parsePlan(paged.join("\n"), name), plain, `${name} every ${every} ${style}`);
        }
      }
    }
  });
});

describe("a site's box of document facts above the text", () => {
  const box = [
    "索 引 号：000014349/2026-00017",
    "主题分类：城乡建设、环境保护\\城市规划",
    "发文机关：澄江市人民政府办公室",
    "成文日期：2026年03月09日",
    "标　　题：澄江市人民政府办公室关于印发澄江市老旧小区加装电梯三年行动方案的通知",
    "发文字号：澄政办发〔2026〕17号",
    "发布日期：2026年03月12日",
    "",
  ];
  const notice = [
    "澄江市人民政府办公室关于印发澄江市老旧小区加装电梯三年行动方案的通知",
    "澄政办发〔2026〕17号",
    "",
    "各区人民政府，市政府各部门：",
    "《澄江市老旧小区加装电梯三年行动方案》已经市政府同意，现印发给你们，请认真组织实施。",
    "",
    "澄江市人民政府办公室",
    "2026年3月9日",
    "",
  ];
  const plan = ["澄江市老旧小区加装电梯三年行动方案", "", "为改善老旧小区居民出行条件，制定本方案。", "一、工作目标", "到2028年底，全市累计完成老旧小区加装电梯1500部。"];

  it("keeps the box out of the preamble and the plan's title apart from it", () => {
    const d = parsePlan([...box, ...notice, ...plan].join("\n"), "dianti.txt");
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "notice"]);
    expect(unit(d, "preamble").text).toBe("澄江市老旧小区加装电梯三年行动方案\n为改善老旧小区居民出行条件，制定本方案。");
    expect(d.meta).toMatchObject({ title: "澄江市老旧小区加装电梯三年行动方案", docNumber: "澄政办发〔2026〕17号", date: "2026-03-09", dateText: "2026年3月9日" });
  });

  it("reads the 文号, issuer and date from the box when the text prints no notice, and quotes them", () => {
    const d = parsePlan([...box, ...plan].join("\n"), "dianti.txt");
    expect(d.meta).toMatchObject({ title: "澄江市老旧小区加装电梯三年行动方案", docNumber: "澄政办发〔2026〕17号", issuers: ["澄江市人民政府办公室"], date: "2026-03-09", dateText: "2026年03月09日" });
    expect(d.units.map((u) => u.ref)).toEqual(["preamble", "part:1", "notice"]);
    expect(unit(d, "notice")).toMatchObject({ label: "发文信息" });
    expect(unit(d, "notice").text).toContain("发文字号：澄政办发〔2026〕17号");
    expect(unit(d, "preamble").text).toBe("澄江市老旧小区加装电梯三年行动方案\n为改善老旧小区居民出行条件，制定本方案。");
  });
});

describe("a web page's lines around the document", () => {
  it("leaves 来源/发布时间 above the title and 责任编辑, 【打印】【关闭】 under the end out of every unit", () => {
    const text = [
      "来源：澄江市人民政府办公室  发布时间：2026-03-12 09:30",
      "字号：【大 中 小】",
      "",
      "澄江市老旧小区加装电梯三年行动方案",
      "",
      "为改善老旧小区居民出行条件，制定本方案。",
      "一、工作目标",
      "到2028年底，全市累计完成老旧小区加装电梯1500部。",
      "",
      "【我要纠错】 责任编辑：王明",
      "扫一扫在手机打开当前页",
      "【打印】 【关闭】",
    ].join("\n");
    const d = parsePlan(text, "dianti.txt");
    expect(d.meta.title).toBe("澄江市老旧小区加装电梯三年行动方案");
    expect(d.units.map((u) => [u.ref, u.text])).toEqual([
      ["preamble", "澄江市老旧小区加装电梯三年行动方案\n为改善老旧小区居民出行条件，制定本方案。"],
      ["part:1", "一、工作目标\n到2028年底，全市累计完成老旧小区加装电梯1500部。"],
    ]);
    const edited = parsePlan(["某县农村供水保障方案", "一、工作目标", "到2030年，农村自来水普及率达到99%。", "", "（责任编辑：王明）"].join("\n"), "gongshui.txt");
    expect(edited.units.at(-1)!.text).toBe("一、工作目标\n到2030年，农村自来水普及率达到99%。");
  });
});

describe("a table after a 序号 column with long column names", () => {
  it("reads its rows, each under its number, and leaves the 合计 line and the notes below to the annex", () => {
    const d = parsePlan([
      "某省阅读空间建设方案", "一、工作目标", "两年新建阅读空间60个。", "附件",
      "各市阅读空间和智能书柜建设任务分解表",
      "序号\t设区市\t2027年新建阅读空间（个）\t新增24小时自助图书馆和智能书柜（台）",
      "1\t东江市\t20\t28", "2\t西岭市\t10\t12", "\t合计\t30\t40",
      "注：新增24小时自助图书馆和智能书柜应当接入省级平台。",
    ].join("\n"), "yuedu.txt");
    expect(d.units.filter((u) => u.ref.startsWith("annex:1/row:")).map((u) => [u.label, u.heading])).toEqual([["附件序号1", "东江市"], ["附件序号2", "西岭市"]]);
    expect(unit(d, "annex:1/row:2").text).toContain("10");
  });
});

describe("a table copied from a PDF, one space between its cells", () => {
  const lines = [
    "某省心理健康服务行动计划", "一、工作目标", "主要指标见附件。", "— 9 —", "附件",
    "某省心理健康服务主要指标",
    "序号 指标名称 2026年基期值 2027年 2029年 指标属性",
    "1 每10万人口精神科执业（助理）医师数（名） 5.3 5.5 6.0 预期性",
    "2 心理援助热线 24小时接通率（%） 78 85 90 约束性",
    "3 心理治疗师数量（名） 1560 1800 2500 预期性",
    "— 10 —",
  ];

  it("reads its rows under their numbers, a name with a space in it whole", () => {
    const d = parsePlan(lines.join("\n"), "xinli.txt");
    const rows = d.units.filter((u) => u.ref.startsWith("annex:1/row:"));
    expect(rows.map((u) => u.label)).toEqual(["附件序号1", "附件序号2", "附件序号3"]);
    expect(rows[1]!.text).toContain("心理援助热线 24小时接通率（%）");
    expect(rows[1]!.text).toContain("2029年：90");
    expect(rows[2]!.text).toContain("2027年：1800");
  });

  it("leaves prose with single spaces, and a header of names no table uses, as text", () => {
    const d = parsePlan(["某市工作方案", "一、工作目标", "序号 甲方 乙方 丙方", "1 建设 推进 完成", "要求 各地 抓紧 落实。"].join("\n"), "prose.txt");
    expect(d.units.some((u) => u.kind === "row")).toBe(false);
  });
});
