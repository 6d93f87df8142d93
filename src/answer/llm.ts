import OpenAI from "openai";
import type { Logger } from "../logger.js";
import type { Unit } from "../plan/types.js";
import type { Retrieval } from "../retrieve/retriever.js";
import { normalizeText, splitSentences } from "../retrieve/text.js";
import { cite, dedupeCitations, numbersIn } from "./citations.js";
import type { AnswerRequest, FluentAnswerer } from "./engine.js";
import type { DraftAnswer } from "./extractive.js";
import { fill, loadPrompts, type PromptTemplates } from "./prompts.js";
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

const LABEL_RE = /〔([^〔〕]{1,40})〕|【([^【】]{1,40})】|\[(第\d{1,3}项|[（(][一二三四五六七八九十]{1,3}[)）])\]/g;

/**
 * Fluent answers from an OpenAI-compatible chat endpoint (OpenAI, DeepSeek, Qwen/DashScope, Ollama,
 * vLLM), checked after generation: unknown labels are removed, and a number found in no cited unit
 * rejects the reply so that the engine falls back to the extractive answer.
 */
export class OpenAIAnswerer implements FluentAnswerer {
  private readonly client: OpenAI;
  private readonly prompts: PromptTemplates;

  constructor(private readonly opts: LlmOptions) {
    // No SDK retries: the whole reply must fit in timeoutMs, or the offline answer is used.
    this.client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey ?? "not-needed", timeout: opts.timeoutMs, maxRetries: 0 });
    this.prompts = opts.prompts ?? loadPrompts();
  }

  /** Rewrites an elliptical follow-up as a standalone question (the condensing prompt). */
  async condense(question: string, history: HistoryTurn[]): Promise<string> {
    const content = fill(this.prompts.condense, { history: formatHistory(history), question });
    const text = await this.complete([{ role: "user", content }]);
    const line = text.split("\n").map((l) => l.trim()).find(Boolean) ?? "";
    if (!line || line.length > question.length * 4 + 200) throw new LlmUnavailableError("the condensing reply was unusable");
    return line;
  }

  async answer(req: AnswerRequest, retrieval: Retrieval, _draft: DraftAnswer, onToken?: (t: string) => void): Promise<DraftAnswer> {
    const units = retrieval.units.slice(0, 4).map((r) => r.unit);
    const excerpts = units.map((u) => `〔${excerptLabel(u, units)}〕（${u.path}）\n${u.text}`).join("\n\n");
    const language = retrieval.query.language === "en" ? "English" : "simplified Chinese";
    const content = fill(this.prompts.answer, { excerpts, history: formatHistory(req.history ?? []), question: req.question, language });
    const raw = await this.complete([{ role: "system", content: this.prompts.system }, { role: "user", content }], onToken);
    return this.check(raw, units, retrieval.query.language === "en");
  }

  /** Removes labels that name no retrieved unit, cites the rest, and rejects ungrounded numbers. */
  check(raw: string, units: Unit[], english = false): DraftAnswer {
    const byLabel = new Map(units.map((u) => [excerptLabel(u, units), u]));
    const used: Unit[] = [];
    let removed = 0;
    const text = raw.replace(LABEL_RE, (m, a?: string, b?: string, c?: string) => {
      const label = (a ?? b ?? c ?? "").trim().replace(/^\(/, "（").replace(/\)$/, "）");
      const unit = byLabel.get(label);
      if (!unit) {
        removed++;
        return "";
      }
      if (!used.includes(unit)) used.push(unit);
      return `〔${excerptLabel(unit, units)}〕`;
    }).trim();
    if (removed) this.opts.logger.warn({ removed }, "llm: removed citation labels that name no retrieved unit");
    if (!text) throw new LlmUnavailableError("the model returned an empty reply");
    if (/方案没有涉及|does not (cover|answer|say)|no information/i.test(text) && used.length === 0) {
      // The model's own words are not shown when it abstains: only a fixed sentence.
      return { answer: english ? "The plan does not answer this." : "方案没有涉及这个问题。", abstained: true, citations: [] };
    }
    if (used.length === 0) throw new LlmUnavailableError("the reply cites no unit of the plan");
    const cited = new Set(numbersIn(used.map((u) => u.text).join("\n")));
    const ungrounded = [...new Set(numbersIn(text.replace(/〔[^〔〕]*〕/g, "")))].filter((n) => !cited.has(n));
    if (ungrounded.length) {
      this.opts.logger.warn({ ungrounded }, "llm: the reply has numbers that appear in no cited unit; falling back");
      throw new LlmUnavailableError(`the reply has numbers found in no cited unit (${ungrounded.join(", ")})`);
    }
    const citations = dedupeCitations(used.map((u) => cite(u, bestQuote(u, text))));
    return { answer: text, abstained: false, citations };
  }

  private async complete(messages: OpenAI.Chat.ChatCompletionMessageParam[], onToken?: (t: string) => void): Promise<string> {
    // The SDK's timeout stops once headers arrive; this deadline covers the whole reply, streamed or not.
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    try {
      if (onToken) {
        const stream = await this.client.chat.completions.create({ model: this.opts.model, messages, temperature: this.opts.temperature, stream: true }, { signal });
        let text = "";
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta?.content ?? "";
          if (delta) {
            text += delta;
            onToken(delta);
          }
        }
        return text;
      }
      const res = await this.client.chat.completions.create({ model: this.opts.model, messages, temperature: this.opts.temperature }, { signal });
      return res.choices[0]?.message?.content ?? "";
    } catch (err) {
      const status = (err as { status?: number }).status;
      const timedOut = err instanceof OpenAI.APIConnectionTimeoutError || signal.aborted;
      const what = timedOut ? "timed out" : status ? `answered HTTP ${status}` : `failed (${(err as Error).message})`;
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
    if (numbersIn(text).some((n) => a.includes(n))) score += 5;
    if (score > bestScore) [best, bestScore] = [text, score];
  }
  return best;
}

function formatHistory(history: HistoryTurn[]): string {
  // Only the user's earlier questions: a client could forge earlier "answers".
  return history.slice(-4).map((t) => `用户：${t.q}`).join("\n") || "（无）";
}
