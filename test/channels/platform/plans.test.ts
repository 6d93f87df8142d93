/** /plans, /use and /task on the chat platforms, over three fixture plans (the conversation every platform shares). */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine } from "../../../src/answer/engine.js";
import { createConversation, type Conversation } from "../../../src/channels/platform/conversation.js";
import type { Inbound } from "../../../src/channels/platform/types.js";
import type { Knowledge } from "../../../src/channels/telegram/context.js";
import { SqliteFeedbackStore } from "../../../src/feedback/store.js";
import { openKnowledgeBase } from "../../../src/knowledge.js";
import { FIXTURES } from "../../helpers.js";
import { memoryLogger, testConfig } from "../../support/kb.js";

let conversation: Conversation;
let knowledge: Knowledge;
beforeAll(async () => {
  const kb = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: join(FIXTURES, "multiplan") }), logger: memoryLogger().logger, persist: false });
  const config = testConfig({ USER_RATE_LIMIT: "1000" });
  knowledge = { kb, engine: createAnswerEngine({ kb, config, logger: memoryLogger().logger }), reload: async () => {}, onReload: () => {} };
  conversation = createConversation({ config, logger: memoryLogger().logger, knowledge, store: new SqliteFeedbackStore(":memory:") });
}, 60_000);

const ev = (text: string, o: Partial<Inbound> = {}): Inbound => ({ platform: "feishu", chatId: "oc_plans", userId: "ou_1", group: false, mentioned: false, text, ...o });

describe("plans on the chat platforms", () => {
  it("lists the loaded plans with a button for each and one for all", async () => {
    const [r] = await conversation.handle(ev("/plans"));
    const plans = knowledge.kb.catalog.plans;
    expect(plans.length).toBe(3);
    for (const p of plans) expect(r!.body).toContain(p.shortName);
    expect(r!.buttons?.map((b) => b.value)).toEqual(["use:0", "use:1", "use:2", "use:all"]);
  });

  it("keeps a chat to one plan with /use, by number, name or button, and back to all", async () => {
    const plans = knowledge.kb.catalog.plans;
    expect((await conversation.handle(ev("/use 2")))[0]!.body).toContain(`已切换到《${plans[1]!.title}》`);
    expect((await conversation.handle(ev("/plans")))[0]!.body).toMatch(new RegExp(`✅ \\*\\*${plans[1]!.shortName}`));
    // Units follow the chat's plan: /section 1 shows only that plan's （一）.
    const tasks = await conversation.handle(ev("/section 1"));
    expect(tasks.length).toBe(1);
    expect(tasks[0]!.title).toContain(plans[1]!.shortName);
    expect((await conversation.handle(ev("/use 全部")))[0]!.body).toBe("已恢复在全部方案中查找。");
    expect((await conversation.handle(ev("/use", {})))[0]!.body).toContain("用法：/use");
    expect((await conversation.handle(ev("/use 不存在的方案")))[0]!.body).toContain("没有找到方案");
    const pressed = await conversation.handle(ev("", { button: "use:0" }));
    expect(pressed[0]!.toast).toBe(`已切换到${plans[0]!.shortName}`);
    expect((await conversation.handle(ev("", { button: "use:9" })))[0]!.body).toContain("方案列表已更新");
    await conversation.handle(ev("/use all"));
  });

  it("shows a unit from every plan that has it, each under its plan's name", async () => {
    const replies = await conversation.handle(ev("/section （一）"));
    expect(replies.length).toBe(3);
    for (const r of replies) expect(r.title).toMatch(/^〔.+·（一）〕/);
    const part = await conversation.handle(ev("/part 二", { chatId: "oc_other" }));
    expect(part.map((r) => r.title)).toContain("〔清水河流域综合治理方案·二、控源截污〕");
    expect((await conversation.handle(ev("/task 甲")))[0]!.body).toContain("请给出编号");
  });
});
