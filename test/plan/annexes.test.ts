import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { FIXTURES } from "../helpers.js";

const d = loadPlanFile(`${FIXTURES}/layouts/annexes/qinghe-paishui-banfa.txt`);
const byLabel = (label: string) => d.units.find((u) => u.label === label)!;

describe("every annex gets its title and its numbered rows, whatever its columns are called", () => {
  it("reads a 序号 table with columns of any names as rows", () => {
    for (const [label, heading] of [["附件1", "排水许可办理流程"], ["附件2", "重点排水户名录"]]) {
      expect(byLabel(label!)).toMatchObject({ kind: "annex", heading });
      expect(byLabel(label!).text).toBe(`${label}\n${heading}`);
    }
    expect(d.units.filter((u) => u.kind === "row").map((u) => u.label)).toEqual(["附件1序号1", "附件1序号2", "附件1序号3", "附件2序号1", "附件2序号2"]);
    expect(byLabel("附件2序号1")).toMatchObject({ ref: "annex:2/row:1", heading: "清河食品有限公司", parents: ["annex:2"] });
    expect(byLabel("附件2序号2").text).toContain("清河县人民医院");
    expect(byLabel("附件2序号2").text).toContain("医疗");
  });
});
