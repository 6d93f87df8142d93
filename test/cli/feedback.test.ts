import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SqliteFeedbackStore } from "../../src/feedback/store.js";
import { runCli } from "./run.js";

describe("policybot feedback", () => {
  it("exports the votes with their questions and answers, and survives reopening the store", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "policybot-feedback-"));
    const store = new SqliteFeedbackStore(join(dataDir, "policybot.sqlite"));
    const id = store.recordAnswer({
      channel: "telegram", chatId: "42", userId: "7", question: "高标准农田今年建多少", answer: "新建和改造提升高标准农田78万亩〔第5项〕",
      citations: [{ doc: "d", ref: "task:5", label: "第5项", heading: "h", quote: "新建和改造提升高标准农田78万亩" }], abstained: false, mode: "extractive", ms: 1.2,
    });
    expect(store.vote(id, "7", "down")).toBe(true);
    expect(store.vote(id, "7", "up")).toBe(true); // a second vote replaces the first
    expect(store.vote(999, "7", "up")).toBe(false);
    store.close();

    const { code, out } = await runCli(["feedback", "--json"], undefined, { DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual([
      expect.objectContaining({ answerId: id, vote: "up", userId: "7", question: "高标准农田今年建多少", citations: ["第5项"], channel: "telegram", chatId: "42" }),
    ]);
    const text = await runCli(["feedback"], undefined, { DATA_DIR: dataDir });
    expect(text.out).toMatch(/👍 .*高标准农田今年建多少/);
    expect(text.out).toMatch(/共 1 票：👍 1 · 👎 0/);
  });
});
