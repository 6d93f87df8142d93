import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openKnowledgeBase, type KnowledgeBase } from "../../src/knowledge.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { FIXTURES } from "../helpers.js";
import { memoryLogger, testConfig } from "../support/kb.js";

// Two invented plans on elderly care: one by 四川省人民政府办公厅, one national.
let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: join(FIXTURES, "regions") }), logger: memoryLogger().logger, persist: false });
});
const route = (q: string) => routeRetrieval({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, q);

describe("a place in a question", () => {
  it("reads each plan's region from its issuer", () => {
    expect(kb.retriever.planRegion("sc-yanglao")).toBe("四川");
    expect(kb.retriever.planRegion("gw-yanglao")).toBeUndefined();
  });

  it("points to the plan of that region where it speaks of the topic, and to the plan that does otherwise", async () => {
    expect((await route("四川这边高龄津贴每月多少钱")).doc).toBe("sc-yanglao");
    expect((await route("四川的家庭养老床位怎么发展")).doc).toBe("gw-yanglao");
  });
});

describe("a figure asked with its conditions", () => {
  it("is quoted in its whole sentence, so the conditions come with it", async () => {
    const { createAnswerEngine } = await import("../../src/answer/engine.js");
    const engine = createAnswerEngine({ kb, config: testConfig(), logger: memoryLogger().logger });
    const r = await engine.answer({ question: "四川高龄津贴每月多少钱，什么条件能领" });
    expect(r.answer).toContain("100元");
    expect(r.answer).toContain("80周岁以上");
    const plain = await engine.answer({ question: "四川高龄津贴每月多少钱" });
    expect(plain.answer).toContain("100元");
  });
});
