import { describe, expect, it } from "vitest";
import { matchesRef, refLayout } from "../../src/plan/lookup.js";
import { loadPlanFile } from "../../src/plan/load.js";
import { splitCells } from "../../src/plan/tables.js";
import { extractQuantities } from "../../src/targets/quantities.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { parseStructuralRefs } from "../../src/retrieve/structural.js";
import { FIXTURES } from "../helpers.js";

// An invented 方案 numbered 第一部分 › 一、 › （一） › 1., one part's items printed １．, and a task list
// annex drawn with │; and an invented 通知 of plain 一、 parts.
const fangan = loadPlanFile(`${FIXTURES}/parts-levels/hengshan-2027-jiequ-fangan.txt`);
const tongzhi = loadPlanFile(`${FIXTURES}/parts-levels/baishui-2027-yanglao-tongzhi.txt`);
const byLabel = (label: string) => fangan.units.find((u) => u.label === label);
const hits = (doc: PlanDocument, q: string) => doc.units.filter((u) => parseStructuralRefs(q).some((r) => matchesRef(u, r, refLayout(doc.units)))).map((u) => u.ref);

describe("a table drawn with box-drawing bars", () => {
  it("splits │ and ｜ rows into cells", () => {
    expect(splitCells("4│燃气管道更新│更新2100公里│省住建厅")).toEqual(["4", "燃气管道更新", "更新2100公里", "省住建厅"]);
    expect(splitCells("序号｜任务名称｜牵头单位")).toEqual(["序号", "任务名称", "牵头单位"]);
  });

  it("makes each row of the annex a citable unit 附件序号N, not the whole annex one unit", () => {
    const rows = fangan.units.filter((u) => u.kind === "row");
    expect(rows.map((u) => u.label)).toEqual(["附件序号1", "附件序号2", "附件序号3"]);
    expect(byLabel("附件序号2")).toMatchObject({ heading: "路灯更新", parents: ["annex:1"] });
    expect(byLabel("附件序号2")!.text).toContain("更新老旧路灯3200盏");
    expect(byLabel("附件序号2")!.text).toContain("牵头单位：市城市管理局");
  });
});

describe("items printed with full-width digits", () => {
  it("are their own units, labelled as printed (１．), beside the half-width 1. of another part", () => {
    expect(byLabel("第三部分一（一）２．")).toMatchObject({ kind: "task", number: 2, heading: "加强区级配套" });
    expect(byLabel("第一部分二（一）1.")).toMatchObject({ kind: "task", number: 1, heading: "2027年" });
  });
});

describe("第N部分 in a plan that prints 第N部分 headings", () => {
  it("names the printed 第N部分 only, not a 一、 part numbered N inside one", () => {
    expect(refLayout(fangan.units).printsParts).toBe(true);
    expect(refLayout(tongzhi.units).printsParts).toBe(false);
    expect(hits(fangan, "第三部分主要讲什么")).toEqual(["volume:3"]);
    expect(hits(fangan, "第十二部分讲的是什么")).toEqual([]);
    // A plan of 一、 parts: 第十二部分 is its 十二、.
    expect(hits(tongzhi, "第十二部分讲的是什么")).toEqual(["part:12"]);
  });

  it("reads 第二部分第九项 as one chain: the 九、 one level under 第二部分", () => {
    const refs = parseStructuralRefs("第二部分第九项讲的是什么内容");
    expect(refs).toEqual([{ kind: "task", number: 9, match: "第二部分第九项", within: { kind: "part", number: 2, partWord: true } }]);
    expect(hits(fangan, "第二部分第九项讲的是什么内容")).toEqual(["part:2.9"]);
  });
});

describe("a table's measure printed above its header (单位：个)", () => {
  const tongzhiRows = loadPlanFile(`${FIXTURES}/parts-levels/baishui-2027-yanglao-tongzhi.txt`).units.filter((u) => u.kind === "row");

  it("is written beside each bare figure's column, not beside text cells or a column with its own measure", () => {
    expect(tongzhiRows.map((u) => u.label)).toEqual(["附件1序号1", "附件1序号2"]);
    expect(tongzhiRows[0]!.text).toContain("新增养老床位（个）：120");
    expect(tongzhiRows[0]!.text).toContain("新建助餐点（家）：3");
    expect(tongzhiRows[0]!.text).toContain("责任单位：城关镇人民政府");
  });

  it("lets the row's figures be read as counts of what their columns name", () => {
    const qs = extractQuantities(tongzhiRows[1]!);
    expect(qs.map((q) => [q.figure, q.unit, q.metric])).toEqual([
      ["80", "个", "北塬镇新增养老床位"],
      ["2", "家", "北塬镇新建助餐点"],
    ]);
  });
});
