import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodePlanBytes } from "../../src/plan/decode.js";
import { PlanParseError } from "../../src/plan/errors.js";
import { loadPlanFile, loadPlans } from "../../src/plan/load.js";
import { parseChineseNumeral, toChineseNumeral } from "../../src/plan/numerals.js";
import { parsePlan } from "../../src/plan/parse.js";
import { FIXTURES } from "../helpers.js";

const plans = join(FIXTURES, "plans");

describe("Chinese numerals", () => {
  it("round-trips every number from 1 to 99", () => {
    for (let n = 1; n <= 99; n++) expect(parseChineseNumeral(toChineseNumeral(n))).toBe(n);
    expect([toChineseNumeral(15), toChineseNumeral(23), toChineseNumeral(10)]).toEqual(["十五", "二十三", "十"]);
  });
  it("reads quantities and positional years", () => {
    expect(parseChineseNumeral("七十八")).toBe(78);
    expect(parseChineseNumeral("一千五百三十")).toBe(1530);
    expect(parseChineseNumeral("两万")).toBe(20000);
    expect(parseChineseNumeral("十三万")).toBe(130000);
    expect(parseChineseNumeral("二〇二六")).toBe(2026);
    expect(parseChineseNumeral("abc")).toBeUndefined();
  });
});

describe("a second plan with other numbering and other damage", () => {
  const doc = loadPlanFile(join(plans, "second-plan.md"));
  const u = (ref: string) => doc.units.find((x) => x.ref === ref)!;

  it("parses full-width and 、 task numbering, inline sections and a notice printed first", () => {
    expect(doc.units.map((x) => x.ref)).toEqual([
      "preamble", "part:1", "part:2", "section:1", "task:1", "task:2", "section:2", "task:3", "task:4", "part:3", "section:3", "section:4", "notice",
    ]);
    expect(u("task:4").heading).toBe("推广农业物联网");
    expect(u("section:3")).toMatchObject({ heading: "强化组织领导", path: "三、保障措施 › （三）强化组织领导" });
  });

  it("reads the notice: issuer, a date in Chinese numerals, recipients", () => {
    expect(doc.meta).toMatchObject({
      title: "某市2026年数字乡村建设工作要点",
      noticeTitle: "关于印发《某市2026年数字乡村建设工作要点》的通知",
      shortName: "数字乡村要点",
      docNumber: null,
      issuers: ["某市人民政府办公室"],
      date: "2026-03-12",
      dateText: "二〇二六年三月十二日",
      recipients: ["各县(市、区)人民政府", "市政府各部门"],
    });
  });

  it("drops page numbers and running headers, joins hard-wrapped lines", () => {
    for (const x of doc.units) expect(x.text).not.toMatch(/— \d —|某市数字乡村工作要点/);
    expect(u("task:1").text).toContain("向自然村延伸，实现重点场所信号全覆盖。");
    expect(u("task:1").repairs).toEqual([]);
    expect(u("task:3").text).toContain("数字农场20家和数字牧场5家");
  });
});

describe("numbering variants", () => {
  it("parses parts and sections numbered past 十 (十五, 二十三) in half- and full-width brackets", () => {
    const lines = ["某省2026年工作方案", ""];
    for (let p = 1; p <= 15; p++) {
      lines.push(`${toChineseNumeral(p)}、第${p}部分`);
      const s = p + 8;
      lines.push(`${p % 2 ? "(" : "（"}${toChineseNumeral(s)}${p % 2 ? ")" : "）"}第${s}节标题`);
      lines.push(`${p}${[".", "．", "、"][p % 3]}任务${p}。内容${p}。`);
    }
    const doc = parsePlan(lines.join("\n"), "numbers.txt");
    const parts = doc.units.filter((x) => x.kind === "part");
    expect(parts.map((x) => x.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(parts.at(-1)!.label).toBe("十五、第15部分");
    const sections = doc.units.filter((x) => x.kind === "section");
    expect(sections.at(-1)).toMatchObject({ ref: "section:23", label: "（二十三）", heading: "第23节标题" });
    expect(doc.units.filter((x) => x.kind === "task")).toHaveLength(15);
    expect(doc.warnings.some((w) => /section 9 follows 0/.test(w.message))).toBe(true);
  });

  it("does not mistake decimals or years at the start of a line for task numbers", () => {
    const doc = parsePlan("一、目标\n2026年,城镇化率达到76%。\n1.8左右的比值保持稳定。\n1.任务一。内容。", "d.txt");
    expect(doc.units.filter((x) => x.kind === "task").map((x) => x.ref)).toEqual(["task:1"]);
    expect(doc.units.find((x) => x.ref === "part:1")!.text).toContain("1.8左右的比值保持稳定");
  });

  it("qualifies refs and labels (as printed) when task numbers restart in every section", () => {
    const doc = parsePlan("一、任务\n（一）甲\n1.甲一。\n2.甲二。\n（二）乙\n1.乙一。", "r.txt");
    expect(doc.units.filter((x) => x.kind === "task").map((x) => [x.ref, x.label])).toEqual([
      ["task:1.1", "（一）1."], ["task:1.2", "（一）2."], ["task:2.1", "（二）1."],
    ]);
  });
});

describe("damaged input", () => {
  it.each([
    ["empty.txt", /empty\.txt: 文件是空的（the file is empty）/],
    ["blank.txt", /blank\.txt: the file is empty/],
    ["binary.txt", /binary\.txt: .*binary file/],
    ["image.md", /image\.md: 这是图片，没有文字层，请提供文字版或 OCR/],
    ["no-numbering.txt", /no-numbering\.txt: no recognisable numbering/],
  ])("%s fails with a message that names the file", (file, message) => {
    expect(() => loadPlanFile(join(plans, file))).toThrow(PlanParseError);
    expect(() => loadPlanFile(join(plans, file))).toThrow(message);
  });

  it("still loads the good documents of a folder with bad ones", () => {
    const { docs, errors } = loadPlans(plans);
    expect(docs.map((d) => d.id)).toEqual(["second-plan"]);
    expect(errors).toHaveLength(5);
  });

  it("reports a missing seeds folder instead of crashing", () => {
    const { docs, errors } = loadPlans(join(plans, "nope"));
    expect(docs).toEqual([]);
    expect(errors[0]!.message).toMatch(/cannot read the seeds folder/);
  });

  it("reads GB18030-encoded files, as Chinese offices often save them", () => {
    // 一、目标\n1.任务。 in GB18030
    const bytes = Uint8Array.from([0xd2, 0xbb, 0xa1, 0xa2, 0xc4, 0xbf, 0xb1, 0xea, 0x0a, 0x31, 0x2e, 0xc8, 0xce, 0xce, 0xf1, 0xa1, 0xa3]);
    const text = decodePlanBytes(bytes, "gbk.txt");
    expect(text).toBe("一、目标\n1.任务。");
    expect(parsePlan(text, "gbk.txt").units.map((u) => u.ref)).toEqual(["part:1", "task:1"]);
  });
});
