import OpenAI from "openai";
import { format } from "node:util";
import type { Logger } from "../logger.js";
import { scrubSecrets } from "../logger.js";
import type { Unit } from "../plan/types.js";
import type { Retrieval } from "../retrieve/retriever.js";
import { normalizeText, splitSentences } from "../retrieve/text.js";
import { cite, dedupeCitations } from "./citations.js";
import type { AnswerRequest, FluentAnswerer } from "./engine.js";
import type { DraftAnswer } from "./extractive.js";
import { fill, loadPrompts, type PromptTemplates } from "./prompts.js";
import { readChatReply, ReplyError } from "./reply.js";
import { REPLY_LIMITS, SentenceGate, type GateResult } from "./stream.js";
import type { HistoryTurn } from "./types.js";

/** Settings for {@link OpenAIAnswerer}; any OpenAI-compatible endpoint works. */
export interface LlmOptions {
  baseURL?: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  temperature: number;
  logger: Logger;
  prompts?: PromptTemplates;
}

/** The LLM's reply could not be used; the engine falls back to the extractive answer. */
export class LlmUnavailableError extends Error {
  override readonly name = "LlmUnavailableError";
}

/** Share of a reply's claims (by characters) that must survive the check for it to still answer. */
export const MIN_KEPT_SHARE = 0.5;

/**
 * Fluent answers from an OpenAI-compatible chat endpoint (OpenAI, DeepSeek, Qwen/DashScope, Ollama,
 * vLLM), shown only sentence by sentence as each is found supported by the unit it cites (see
 * stream.ts and verify.ts). When too little survives, the engine falls back to the extractive answer.
 */
export class OpenAIAnswerer implements FluentAnswerer {
  private readonly client: OpenAI;
  private readonly prompts: PromptTemplates;
  private readonly secrets: string[];

  constructor(private readonly opts: LlmOptions) {
    this.secrets = opts.apiKey ? [opts.apiKey] : [];
    const scrub = (args: unknown[]) => scrubSecrets(format(...args), this.secrets).replace(/(bearer\s+)\S+/gi, "$1[redacted]").slice(0, 500);
    // The SDK prints to the console by default (a malformed stream line with its raw chunk):
    // its messages go through the scrubbing logger instead, and never to stdout or stderr directly.
    const sdkLog = opts.logger.child({ component: "openai-sdk" });
    const logger = {
      error: (...a: unknown[]) => sdkLog.warn({ sdk: scrub(a) }, "openai sdk: error"),
      warn: (...a: unknown[]) => sdkLog.warn({ sdk: scrub(a) }, "openai sdk: warning"),
      info: (...a: unknown[]) => sdkLog.debug({ sdk: scrub(a) }, "openai sdk"),
      debug: () => undefined,
    };
    // No SDK retries: the whole reply must fit in timeoutMs, or the offline answer is used.
    this.client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey ?? "not-needed", timeout: opts.timeoutMs, maxRetries: 0, logger, logLevel: "warn" });
    this.prompts = opts.prompts ?? loadPrompts();
  }

  /** Rewrites an elliptical follow-up as a standalone question (the condensing prompt). */
  async condense(question: string, history: HistoryTurn[]): Promise<string> {
    const content = fill(this.prompts.condense, { history: formatHistory(history), question });
    const { text } = await this.complete([{ role: "user", content }]);
    const line = text.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
    if (!line || line.length > question.length * 4 + 200) throw new LlmUnavailableError("the condensing reply was unusable");
    return line;
  }

  /** Asks the model; `onToken` receives only sentences that passed the whole check. */
  async answer(req: AnswerRequest, retrieval: Retrieval, draft: DraftAnswer, onToken?: (t: string) => void): Promise<DraftAnswer> {
    const units = retrieval.units.slice(0, 4).map((r) => r.unit);
    const excerpts = units.map((u) => `〔${excerptLabel(u, units)}〕（${u.path}）\n${u.text}`).join("\n\n");
    const english = retrieval.query.language === "en";
    const language = english ? "English" : "simplified Chinese";
    const content = fill(this.prompts.answer, { excerpts, history: formatHistory(req.history ?? []), question: req.question, language });
    const gate = this.gate(units, english, onToken);
    const { finished } = await this.complete([{ role: "system", content: this.prompts.system }, { role: "user", content }], gate, Boolean(onToken));
    const gated = gate.finish(finished);
    const skipped = gated.sentences.filter((s) => s.unsupported === "duplicate" || s.unsupported === "over-limit").length;
    if (skipped || !finished || gate.overLimit) this.opts.logger.info({ skipped, unfinished: !finished, overLimit: gate.overLimit }, "llm: reply cut to its complete, checked sentences within the limits");
    const result = this.decide(gated, english);
    // A model that says the plan is silent, where the plan's own words answer, is not believed.
    if (result.abstained && !draft.abstained) throw new LlmUnavailableError("the model said the plan does not cover a question that its units answer");
    return result;
  }

  /** Checks a whole reply at once (what {@link answer} does as it streams). */
  check(raw: string, units: Unit[], english = false): DraftAnswer {
    const gate = this.gate(units, english);
    gate.push(raw);
    return this.decide(gate.finish(true), english);
  }

  private gate(units: Unit[], english: boolean, onSentence?: (t: string) => void): SentenceGate {
    return new SentenceGate({ units: units.map((unit) => ({ unit, label: excerptLabel(unit, units) })), english, onSentence });
  }

  /** Keeps the supported sentences, or rejects the reply when they no longer answer. */
  private decide(r: GateResult, english: boolean): DraftAnswer {
    const claims = r.sentences.filter((s) => !s.connective && s.unsupported !== "duplicate" && s.unsupported !== "over-limit");
    const dropped = claims.filter((s) => s.unsupported);
    if (r.unknownLabels) this.opts.logger.warn({ removed: r.unknownLabels }, "llm: removed citation labels that name no retrieved unit");
    if (dropped.length) {
      const reasons = [...new Set(dropped.map((s) => s.unsupported))];
      this.opts.logger.warn({ dropped: dropped.length, of: claims.length, reasons }, "llm: dropped sentences that the cited units do not support");
    }
    if (r.abstained && r.cited.length === 0) {
      // The model's own words are not shown when it abstains: only a fixed sentence.
      return { answer: english ? "The plan does not answer this." : "方案没有涉及这个问题。", abstained: true, citations: [] };
    }
    if (claims.length === 0) throw new LlmUnavailableError("the model returned an empty reply");
    const keptChars = claims.filter((s) => !s.unsupported).reduce((n, s) => n + s.text.length, 0);
    const allChars = claims.reduce((n, s) => n + s.text.length, 0);
    if (r.cited.length === 0 || keptChars < allChars * MIN_KEPT_SHARE) {
      const reasons = [...new Set(dropped.map((s) => s.unsupported))].join(", ");
      throw new LlmUnavailableError(`the reply is not supported by the units it cites (${dropped.length} of ${claims.length} sentences dropped: ${reasons || "no citation"})`);
    }
    // No count in the note: every digit of an answer must be one its citations support.
    const note = dropped.length ? (english ? "\n(Sentences that the cited text does not support were left out.)" : "\n（已略去无法在所引原文中核实的内容。）") : "";
    const citations = dedupeCitations(r.cited.map((u) => cite(u, bestQuote(u, r.answer))));
    return { answer: `${r.answer}${note}`, abstained: false, citations };
  }

  /**
   * One chat completion. With a gate, the reply goes into it (streamed when `stream`); `finished`
   * is false when the reply was cut short by a length limit.
   */
  private async complete(messages: OpenAI.Chat.ChatCompletionMessageParam[], gate?: SentenceGate, stream = false): Promise<{ text: string; finished: boolean }> {
    // The SDK's timeout stops once headers arrive; this deadline covers the whole reply, streamed or not.
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    try {
      const body = { model: this.opts.model, messages, temperature: this.opts.temperature, max_tokens: 1200 };
      // The raw response is read here, not by the SDK's stream parser, which prints malformed lines.
      const res = await this.client.chat.completions.create({ ...body, stream }, { signal }).asResponse();
      const onText = gate && stream ? (t: string) => (gate.push(t), gate.overLimit) : undefined;
      const reply = await readChatReply(res, { stream, signal, maxChars: REPLY_LIMITS.maxInputChars, onText });
      if (gate && !stream) gate.push(reply.text);
      return reply;
    } catch (err) {
      const status = (err as { status?: number }).status;
      const timedOut = err instanceof OpenAI.APIConnectionTimeoutError || signal.aborted;
      const what = timedOut
        ? "timed out"
        : err instanceof ReplyError
          ? err.message.replace(/^the LLM endpoint /, "")
          : status ? `answered HTTP ${status}` : `failed (${scrubSecrets(String((err as Error).message), this.secrets).slice(0, 200)})`;
      throw new LlmUnavailableError(`the LLM endpoint ${what}`, { cause: err });
    }
  }
}

/**
 * The label an excerpt is shown with: the unit's own label, qualified by its document when two
 * retrieved units of different plans share it (第5项 of two plans), so a citation names one unit.
 */
function excerptLabel(unit: Unit, units: Unit[]): string {
  const shared = units.some((o) => o !== unit && o.label === unit.label && o.doc !== unit.doc);
  return shared ? `${unit.doc}·${unit.label}` : unit.label;
}

/** The unit's sentence that shares most with the answer: the quote that backs the citation. */
function bestQuote(unit: Unit, answer: string): string {
  const a = normalizeText(answer);
  let best = unit.heading;
  let bestScore = -1;
  for (const { text } of splitSentences(unit.text)) {
    const s = normalizeText(text);
    let score = 0;
    for (let i = 0; i + 1 < s.length; i++) if (a.includes(s.slice(i, i + 2))) score++;
    if (score > bestScore) [best, bestScore] = [text, score];
  }
  return best;
}

function formatHistory(history: HistoryTurn[]): string {
  // Only the user's earlier questions: a client could forge earlier "answers".
  return history.slice(-4).map((t) => `用户：${t.q}`).join("\n") || "（无）";
}
