import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { FIXTURES } from "../helpers.js";

const d = loadPlanFile(`${FIXTURES}/layouts/articles/songhe-tingche-banfa.txt`);
const byLabel = (label: string) => d.units.find((u) => u.label === label)!;

describe("an article holds paragraphs (款); its items （一） are one paragraph each", () => {
  it("gives a paragraph after the item list to the article, not to its last item", () => {
    expect(byLabel("第三条（三）").text).toBe("（三）其他区域每小时2元。");
    const article = byLabel("第三条");
    expect(article.text).toBe(
      "第三条　公共停车场收费按照下列标准执行：\n停放不超过15分钟的，免收停车费。新能源汽车停车费按照前款标准减半收取。\n停车收费标准由市发展改革部门每3年评估一次。",
    );
    expect(article.children).toEqual(["section:3.1", "section:3.2", "section:3.3"]);
    expect(byLabel("第五条").text).toContain("违反前款第（三）项规定的，由市场监督管理部门责令退还多收的费用，并处2000元以上1万元以下罚款。");
    expect(byLabel("第五条（三）").text).toBe("（三）不得超过公示标准收费。");
  });

  it("keeps each paragraph quotable from the article's source lines", () => {
    const article = byLabel("第三条");
    expect(article.source.lines).toEqual([11, 15, 16]);
    // The next article still starts its own unit, and a list with no paragraph after it is unchanged.
    expect(byLabel("第四条（二）").text).toBe("（二）持残疾人专用车证的车辆。");
    expect(byLabel("第六条").parents).toEqual(["chapter:3"]);
  });
});
