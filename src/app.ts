import { createAnswerEngine } from "./answer/engine.js";
import { createLlm } from "./answer/create-llm.js";
import type { Knowledge } from "./channels/telegram/context.js";
import type { BuildProgress } from "./artifact/build.js";
import type { Config } from "./config.js";
import { openKnowledgeBase } from "./knowledge.js";
import type { Logger } from "./logger.js";
import { createQuizService, type QuizService } from "./quiz/service.js";
import type { QuizStore } from "./quiz/store.js";


/**
 * Opens the knowledge base and makes the answer engine, behind a holder whose reload() rebuilds
 * the index and swaps both (the /reindex command).
 */
export async function openKnowledge(config: Config, logger: Logger, opts: { onProgress?: BuildProgress } = {}): Promise<Knowledge> {
  const make = async (force: boolean) => {
    const kb = await openKnowledgeBase({ config, logger, force, onProgress: opts.onProgress });
    return { kb, engine: createAnswerEngine({ kb, config, logger, llm: await createLlm(config, logger) }) };
  };
  const first = await make(false);
  const listeners: Array<() => Promise<void> | void> = [];
  const holder: Knowledge = {
    ...first,
    async reload() {
      const next = await make(true);
      holder.kb = next.kb;
      holder.engine = next.engine;
      for (const listener of listeners) await listener();
    },
    onReload(listener) {
      listeners.push(listener);
    },
  };
  return holder;
}

/** The trainer quiz over the ledger, kept in the given store (see openStorage); it follows the knowledge across reloads. */
export function openQuiz(store: QuizStore, knowledge: Knowledge): { quiz: QuizService } {
  const build = () => createQuizService({ store, targets: knowledge.engine.targets, units: knowledge.kb.docs.flatMap((d) => d.units) });
  let current = build();
  knowledge.onReload(() => {
    current = build();
  });
  // Channels keep this object; every call goes to the service over the current ledger.
  const quiz = new Proxy({} as QuizService, { get: (_target, name) => current[name as keyof QuizService] });
  return { quiz };
}
