import type { Config } from "../config.js";
import type { KnowledgeBase } from "../knowledge.js";
import type { Logger } from "../logger.js";
import type { Retrieval } from "../retrieve/retriever.js";
import { routeRetrieval } from "../retrieve/router.js";
import { normalizeText } from "../retrieve/text.js";
import type { Target } from "../targets/types.js";
import { planFacts, verifyAnswer } from "./citations.js";
import { extractiveAnswer, type DraftAnswer } from "./extractive.js";
import { answerForEachPlan, qualifyTags, unitsLabelledByPlan, withPlanNames } from "./plans.js";
import { langOf, messages, type Lang } from "./messages.js";
import { AnswerInputError, type AnswerResult, type HistoryTurn } from "./types.js";

/** A question and the conversation before it. */
export interface AnswerRequest {
  question: string;
  history?: HistoryTurn[];
  /** Answer from this plan only (an id; --doc, doc=). */
  doc?: string;
  /** Answer from this plan unless the question names another (a chat's /use). */
  defaultDoc?: string;
}

/** Produces an LLM answer for a retrieval, or throws to fall back (see llm.ts). */
export interface FluentAnswerer {
  /** `onToken` must only ever receive text that passed the same check as the final answer. */
  answer(req: AnswerRequest, retrieval: Retrieval, draft: DraftAnswer, onToken?: (t: string) => void): Promise<DraftAnswer>;
  /** Rewrites a follow-up as a standalone question. */
  condense?(question: string, history: HistoryTurn[]): Promise<string>;
}

/** The answer engine every channel calls. */
export interface AnswerEngine {
  answer(req: AnswerRequest, opts?: { onToken?: (text: string) => void }): Promise<AnswerResult>;
  readonly mode: "extractive" | "llm";
  readonly targets: Target[];
}

/**
 * One answer engine for every channel: retrieval, the offline extractive answer, and (when
 * configured) a fluent LLM answer that is checked against its citations before it is shown.
 * @example const engine = createAnswerEngine({ kb, config, logger }); await engine.answer({ question: "高标准农田建多少" });
 */
export function createAnswerEngine(deps: { kb: KnowledgeBase; config: Pick<Config, "MAX_QUESTION_CHARS">; logger: Logger; llm?: FluentAnswerer }): AnswerEngine {
  const { kb, config, logger, llm } = deps;
  const targets = kb.retriever.targets;
  const unitOf = (c: { doc: string; ref: string }) => kb.retriever.unit(c.doc, c.ref);
  const facts = planFacts(kb.docs);

  const qualifyAll = (d: DraftAnswer, doc: string | undefined): DraftAnswer => {
    const plan = doc ? kb.catalog.citeName(doc) : undefined;
    return plan ? { ...d, answer: qualifyTags(d.answer, plan, kb.docs.find((x) => x.id === doc)!), citations: withPlanNames(d.citations, kb.catalog) } : d;
  };
  const answeredPlans = (docs: string[]) => docs.map((doc) => ({ doc, shortName: kb.catalog.get(doc)?.shortName ?? doc }));

  return {
    mode: llm ? "llm" : "extractive",
    targets,
    async answer(req, opts = {}) {
      const started = performance.now();
      const question = validateQuestion(req.question, config.MAX_QUESTION_CHARS);
      const history = (req.history ?? []).slice(-6).map((t) => ({ q: String(t.q ?? "").slice(0, config.MAX_QUESTION_CHARS), a: t.a?.slice(0, 4000) }));
      let searchQuestion = question;
      let searchHistory = history;
      if (llm?.condense && history.length > 0) {
        try {
          searchQuestion = await llm.condense(question, history);
          searchHistory = [];
        } catch (err) {
          logger.warn({ err: { message: (err as Error).message } }, "answer: condensing failed; using the rule-based follow-up");
        }
      }
      const { catalog } = kb;
      const routed = await routeRetrieval({ retriever: kb.retriever, catalog, docs: kb.docs }, searchQuestion, { k: 5, history: searchHistory, doc: req.doc, defaultDoc: req.defaultDoc });
      const { retrieval } = routed;
      const extractiveDeps = { docs: kb.docs, retriever: kb.retriever };
      // With several plans loaded every tag names its plan; with one, answers read as before.
      const draft = routed.each.length > 1
        ? answerForEachPlan(routed.each, extractiveDeps, catalog)
        : qualifyAll(extractiveAnswer(retrieval, extractiveDeps), routed.doc);
      let final = draft;
      let mode: AnswerResult["mode"] = "extractive";
      let fallback: string | undefined;
      if (llm && !retrieval.lowConfidence && routed.each.length <= 1) {
        try {
          const labelled = { ...retrieval, units: retrieval.units.map((u) => ({ ...u, unit: unitsLabelledByPlan([u.unit], catalog)[0]! })) };
          // The answerer streams only sentences that passed its whole check (see stream.ts).
          const fluent = await llm.answer({ question, history }, labelled, draft, opts.onToken);
          // The model cites 〔plan·label〕 as its excerpts were labelled; citations keep the unit's own label.
          final = { ...fluent, citations: withPlanNames(fluent.citations.map((c) => ({ ...c, label: unitOf(c)?.label ?? c.label })), catalog) };
          mode = "llm";
        } catch (err) {
          fallback = (err as Error).message;
          logger.warn({ err: { message: fallback } }, "answer: LLM answer unavailable; using the extractive answer");
          final = draft;
        }
      }
      const check = verifyAnswer(final.answer, final.citations, unitOf, final.abstained ? facts : "");
      if (check.badQuotes.length || check.ungroundedNumbers.length) {
        logger.error({ question, ...check }, "answer: an answer failed its own citation check");
        if (mode === "llm") {
          final = draft;
          mode = "extractive";
          fallback = "the fluent answer did not pass the citation check";
        }
      }
      const note = fallback ? (retrieval.query.language === "en" ? "\n(Fluent mode was unavailable; this is the offline answer.)" : "\n（流畅模式暂不可用，以下为离线摘录答案。）") : "";
      return {
        question,
        answer: `${final.answer}${note}`,
        abstained: final.abstained,
        grade: final.grade ?? (final.abstained ? "declined" : "answered"),
        mode,
        citations: final.citations,
        ...(catalog.plans.length > 1 ? { plans: answeredPlans(routed.each.length > 1 ? routed.each.map((e) => e.doc) : routed.doc ? [routed.doc] : []) } : {}),
        retrieved: retrieval.units.map((u) => ({ doc: u.unit.doc, ref: u.unit.ref, label: u.unit.label, heading: u.unit.heading, score: Number(u.score.toFixed(4)) })),
        confidence: Number(retrieval.confidence.toFixed(3)),
        ...(fallback ? { fallback } : {}),
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
    },
  };
}

/** Trims a question and rejects empty or over-long ones with a message in the asker's language (or `lang`). */
export function validateQuestion(raw: unknown, maxChars: number, lang?: Lang): string {
  if (typeof raw !== "string") throw new AnswerInputError(messages(lang).questionNotText);
  // Control characters are never part of a question.
  const q = raw.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "").trim();
  // Messages follow the asker: a question written in English is told in English, any other in Chinese.
  const m = messages(lang ?? langOf(q));
  if (!q) throw new AnswerInputError(m.questionEmpty);
  const length = [...q].length;
  if (length > maxChars) throw new AnswerInputError(m.questionTooLong(length, maxChars));
  if (!/[\p{L}\p{N}]/u.test(normalizeText(q))) throw new AnswerInputError(m.questionNoWords);
  return q;
}
