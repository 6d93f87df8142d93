import { SqliteFeedbackStore } from "../../feedback/store.js";
import { feedbackDbPath, openStorage } from "../../storage.js";
import { parseCommandArgs } from "../args.js";
import { type Command, println } from "../context.js";

/** `policybot feedback [--json]`: the 👍/👎 votes with their questions and answers, for review. */
export const feedbackCommand: Command = {
  name: "feedback",
  usage: "policybot feedback [--json]",
  summary: "export the 👍/👎 votes with their questions and answers",
  async run(argv, ctx) {
    const { values } = parseCommandArgs("feedback", argv, { json: { type: "boolean" } }, ctx.m);
    // SQLite is opened directly: a broken file is reported (naming it and the fix) instead of guarded.
    const storage = ctx.config.DATABASE_URL ? await openStorage(ctx.config, { logger: ctx.logger }) : undefined;
    const store = storage?.feedback ?? new SqliteFeedbackStore(feedbackDbPath(ctx.config.DATA_DIR));
    try {
      const rows = await store.exportFeedback();
      if (values.json) {
        println(ctx.stdout, JSON.stringify(rows, null, 2));
        return 0;
      }
      if (rows.length === 0) println(ctx.stdout, ctx.m.noVotes);
      for (const r of rows) {
        println(ctx.stdout, `${r.vote === "up" ? "👍" : "👎"} ${r.votedAt} [${r.channel} ${r.chatId}] ${r.question}`);
        println(ctx.stdout, `   ${r.answer.replace(/\n/g, " ").slice(0, 160)}  ${r.citations.map((c) => `〔${c}〕`).join("")}`);
      }
      const s = await store.stats();
      println(ctx.stdout, ctx.m.votesSummary(rows.length, s.up, s.down, s.questions, s.abstentions));
      return 0;
    } finally {
      await (storage ? storage.close() : store.close());
    }
  },
};
