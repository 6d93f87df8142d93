import type { Unit } from "../plan/types.js";
import { toPlainText } from "./markup.js";
import { evidenceOf, isConnective, unsupportedBy, type Unsupported, type UnitEvidence } from "./verify.js";

/** Limits on what a model may hand to a user. */
export const REPLY_LIMITS = {
  /** Characters of model output read at most; the rest is never looked at (a 1 MB reply stops here). */
  maxInputChars: 8000,
  /** Characters of checked answer shown at most (a Telegram message is 4096). */
  maxAnswerChars: 1500,
  /** Sentences shown at most. */
  maxSentences: 12,
};

/** A citation label as a model writes it: 〔第5项〕, 【（九）】, [第5项]. */
export const LABEL_RE = /〔([^〔〕\n]{1,40})〕|【([^【】\n]{1,40})】|\[(第\d{1,3}项|[（(][一二三四五六七八九十]{1,3}[)）])\]/g;
const END = /[。！？!?；;\n]|(?<=[A-Za-z)\]"'”’])\.(?=\s)/;
/** What may follow a sentence's end and still belong to it: closing quotes, spaces, labels. */
const TAIL_RE = /^(?:[”’」』）)\]】 \t]|〔[^〔〕\n]{0,40}〕|【[^【】\n]{0,40}】|\[[^\]\n]{0,12}\])*/;
const ABSTAIN_RE = /方案(?:中)?没有(?:涉及|提到|相关)|does not (?:cover|answer|say|mention)|no information/i;

/** One sentence of a reply and what became of it. */
export interface GatedSentence {
  /** Plain text as shown, labels in 〔〕 as the units name them. */
  text: string;
  units: Unit[];
  /** Why it was not shown; undefined when it was. */
  unsupported?: Unsupported | "duplicate" | "over-limit";
  /** Connective text (具体如下：) makes no claim. */
  connective: boolean;
}

/** What the gate made of a whole reply. */
export interface GateResult {
  sentences: GatedSentence[];
  /** The shown text. */
  answer: string;
  /** The units that shown sentences cite, in order of first citation. */
  cited: Unit[];
  /** Labels that named no retrieved unit. */
  unknownLabels: number;
  /** The model said the plan does not cover the question, citing nothing. */
  abstained: boolean;
}

/** Options for {@link SentenceGate}. */
export interface GateOptions {
  /** The retrieved units the model was shown, and the label each was shown with. */
  units: Array<{ unit: Unit; label: string }>;
  english?: boolean;
  /** Called with each sentence that passed the whole check, as soon as it is complete. */
  onSentence?: (text: string) => void;
}

/**
 * Cuts a model's reply into sentences as it arrives and passes on only those that the units they
 * cite support (see verify.ts). The streamed text and the final answer are the same sentences, so
 * nothing unchecked is ever on screen: not the model's preamble, not an echoed prompt.
 */
export class SentenceGate {
  private buffer = "";
  private inputChars = 0;
  private shownChars = 0;
  private readonly sentences: GatedSentence[] = [];
  private readonly seen = new Set<string>();
  private readonly byLabel: Map<string, Unit>;
  private readonly labelOf: Map<Unit, string>;
  private readonly evidence = new Map<string, UnitEvidence>();
  private unknownLabels = 0;
  private abstained = false;
  /** Set once the reply passed {@link REPLY_LIMITS.maxInputChars}; the caller stops reading. */
  overLimit = false;

  constructor(private readonly opts: GateOptions) {
    this.byLabel = new Map(opts.units.map((u) => [u.label, u.unit]));
    this.labelOf = new Map(opts.units.map((u) => [u.unit, u.label]));
  }

  /** Adds streamed text; complete sentences are checked at once. */
  push(token: string): void {
    if (this.overLimit) return;
    const room = REPLY_LIMITS.maxInputChars - this.inputChars;
    if (token.length > room) this.overLimit = true;
    const piece = token.slice(0, Math.max(0, room));
    this.inputChars += piece.length;
    this.buffer += piece;
    for (;;) {
      const cut = sentenceEnd(this.buffer, false);
      if (cut === undefined) return;
      this.take(this.buffer.slice(0, cut));
      this.buffer = this.buffer.slice(cut);
    }
  }

  /**
   * Ends the reply. The unfinished last sentence is checked only when the model finished on its
   * own (a reply cut by a length limit or an abort ends mid-sentence).
   */
  finish(finished: boolean): GateResult {
    while (this.buffer) {
      const cut = sentenceEnd(this.buffer, true);
      if (cut === undefined) {
        if (finished) this.take(this.buffer);
        break;
      }
      this.take(this.buffer.slice(0, cut));
      this.buffer = this.buffer.slice(cut);
    }
    this.buffer = "";
    const shown = this.sentences.filter((s) => !s.unsupported);
    const cited: Unit[] = [];
    for (const s of shown) for (const u of s.units) if (!cited.includes(u)) cited.push(u);
    return { sentences: this.sentences, answer: shown.map((s) => s.text).join("").trim(), cited, unknownLabels: this.unknownLabels, abstained: this.abstained };
  }

  private take(raw: string): void {
    const breakAfter = /\n\s*$/.test(raw);
    const plain = toPlainText(raw).trim();
    // A bare bullet or stray punctuation is not a sentence.
    if (!/[\p{L}\p{N}]/u.test(plain)) return;
    const units: Unit[] = [];
    const text = plain.replace(LABEL_RE, (_m, a?: string, b?: string, c?: string) => {
      const label = (a ?? b ?? c ?? "").trim().replace(/^\(/, "（").replace(/\)$/, "）");
      const unit = this.byLabel.get(label);
      if (!unit) {
        this.unknownLabels++;
        return "";
      }
      if (!units.includes(unit)) units.push(unit);
      return `〔${this.labelOf.get(unit)}〕`;
    }).replace(/\s+(?=〔)/g, "").trim();
    if (!text) return;
    const connective = isConnective(text);
    if (units.length === 0 && ABSTAIN_RE.test(text)) {
      this.abstained = true;
      this.sentences.push({ text, units, unsupported: "no-citation", connective });
      return;
    }
    const shown = `${text}${breakAfter ? "\n" : ""}`;
    const key = text.replace(/\s+/g, "");
    let unsupported: GatedSentence["unsupported"];
    if (this.seen.has(key)) unsupported = "duplicate";
    else if (this.shownCount() >= REPLY_LIMITS.maxSentences || this.shownChars + shown.length > REPLY_LIMITS.maxAnswerChars) unsupported = "over-limit";
    else unsupported = unsupportedBy(text, units.length ? this.evidenceFor(units) : undefined, this.opts.english);
    this.sentences.push({ text: shown, units, unsupported, connective });
    if (unsupported) return;
    this.seen.add(key);
    this.shownChars += shown.length;
    this.opts.onSentence?.(shown);
  }

  private shownCount(): number {
    return this.sentences.filter((s) => !s.unsupported).length;
  }

  private evidenceFor(units: Unit[]): UnitEvidence {
    const key = units.map((u) => `${u.doc}|${u.ref}`).join("\n");
    let e = this.evidence.get(key);
    if (!e) this.evidence.set(key, (e = evidenceOf(units)));
    return e;
  }
}

/**
 * Where the first complete sentence of `text` ends (after its end mark and any labels or closing
 * quotes that follow it), or undefined when more text is needed to know.
 */
function sentenceEnd(text: string, final: boolean): number | undefined {
  const m = END.exec(text);
  if (!m) return undefined;
  const after = m.index + m[0].length;
  const tail = TAIL_RE.exec(text.slice(after))![0];
  const end = after + tail.length;
  // A label may still be arriving (…78万亩。〔第): wait for more text to be sure.
  if (!final && (end >= text.length || /^[〔【[][^〔〕【】[\]\n]{0,40}$/.test(text.slice(end)))) return undefined;
  return end;
}
