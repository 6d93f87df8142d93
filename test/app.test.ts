import { describe, expect, it } from "vitest";
import { openKnowledge, openQuiz } from "../src/app.js";
import { openStorage } from "../src/storage.js";
import { memoryLogger, testConfig } from "./support/kb.js";

describe("the knowledge holder", () => {
  it("rebuilds on reload, tells its listeners, and the quiz follows the new ledger", async () => {
    const config = testConfig();
    const { logger } = memoryLogger();
    const knowledge = await openKnowledge(config, logger);
    const storage = await openStorage(config, { logger });
    const quiz = openQuiz(storage.quiz, knowledge);
    const before = knowledge.engine;
    let told = 0;
    knowledge.onReload(() => {
      told++;
    });
    await knowledge.reload();
    expect(told).toBe(1);
    expect(knowledge.engine).not.toBe(before);
    expect(knowledge.kb.index.origin).toBe("built");
    expect((await quiz.quiz.next("u1", { topic: "第5项" }))?.ref).toBe("task:5");
    await storage.close();
  });
});
