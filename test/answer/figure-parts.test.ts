import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine, type AnswerEngine } from "../../src/answer/engine.js";
import { figureParts, figuresForParts } from "../../src/answer/figure-parts.js";
import type { Unit } from "../../src/plan/types.js";
import { openKnowledgeBase } from "../../src/knowledge.js";
import { FIXTURES } from "../helpers.js";
import { memoryLogger, testConfig } from "../support/kb.js";

describe("a question that asks several figures", () => {
  it("splits into the parts that each ask one", () => {
    expect(figureParts("今年新建幼儿园多少所、新增学位多少个")).toEqual(["今年新建幼儿园多少所", "新增学位多少个"]);
    expect(figureParts("农村公路和绿道的目标分别是多少")).toEqual(["农村公路", "绿道"]);
    expect(figureParts("老旧小区改造多少个？")).toEqual([]);
    expect(figureParts("污水处理率、垃圾分类覆盖率分别要达到多少")).toEqual(["污水处理率", "垃圾分类覆盖率"]);
    expect(figureParts("教师要有几年企业经历？从哪年起不招应届生？")).toEqual(["教师要有几年企业经历", "从哪年起不招应届生"]);
    expect(figureParts("什么时候开工？哪年完工？")).toEqual([]);
    expect(figureParts("新建小区配建用房的标准是多少？老小区呢？")).toEqual(["新建小区配建用房的标准是多少", "老小区呢"]);
    // Either of two figures (…3个以上小区，或者总建筑面积10万平方米以上).
    expect(figureParts("片区改造项目要涉及几个小区或多大建筑面积？")).toEqual(["片区改造项目要涉及几个小区", "多大建筑面积"]);
  });

  it("gives a part whose words the clause does not repeat the best unit's figure of the measure it asks in (a fine is money)", () => {
    const text = "未取得养犬登记证饲养犬只的，由公安机关责令限期15日内补办登记；逾期不补办的，对个人处500元以上1000元以下罚款。";
    const unit = { doc: "d", ref: "article:62", text } as Unit;
    const figuresOf = () => [
      { metric: "由公安机关责令限期补办登记", unit: "日", quote: "由公安机关责令限期15日内补办登记", index: text.indexOf("由公安"), figure: "15日内" },
      { metric: "对个人处罚款", unit: "元", quote: "对个人处500元以上1000元以下罚款", index: text.indexOf("对个人"), figure: "500元以上1000元以下" },
    ];
    const found = figuresForParts("没办登记证就养狗，个人会被罚多少？补办期限多长？", [unit], figuresOf);
    expect(found.map((f) => f.figure.figure).sort()).toEqual(["15日内", "500元以上1000元以下"]);
  });

  it("matches a part to its figure however the period and the bound are worded (一年最多 → 全年累计不超过)", () => {
    const unit = { doc: "d", ref: "section:3", text: "发放托育服务券，每名婴幼儿每月500元，全年累计不超过6000元。" } as Unit;
    const figuresOf = () => [
      { metric: "发放托育服务券，每名婴幼儿每月", unit: "元", quote: "发放托育服务券，每名婴幼儿每月500元", index: 0, figure: "500元" },
      { metric: "全年累计不超过", unit: "元", quote: "全年累计不超过6000元", index: 20, figure: "6000元" },
    ];
    const found = figuresForParts("托育服务券每月面额多少，一年最多多少？", [unit], figuresOf);
    expect(found.map((f) => f.figure.figure)).toEqual(["500元", "6000元"]);
  });

  let engine: AnswerEngine;
  beforeAll(async () => {
    const kb = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: join(FIXTURES, "affinity") }), logger: memoryLogger().logger, persist: false });
    engine = createAnswerEngine({ kb, config: testConfig(), logger: memoryLogger().logger });
  });

  it("answers each part with its own figure, each cited", async () => {
    const r = await engine.answer({ question: "清溪县今年新改建农村公路多少公里？新增公交线路多少条？" });
    expect(r.answer).toContain("50公里");
    expect(r.answer).toContain("6条");
    const r2 = await engine.answer({ question: "清溪县老旧小区改造和加装电梯的目标各是多少" });
    expect(r2.answer).toContain("12个");
    expect(r2.answer).toContain("40部");
    for (const c of [...r.citations, ...r2.citations]) expect(c.doc).toBe("broad-county");
  });
});
