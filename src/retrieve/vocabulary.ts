import { readFileSync } from "node:fs";
import { dataPath } from "./data-path.js";
import { defaultLexicon, type Lexicon } from "./lexicon.js";
import { englishRegisterWords, expandEnglishRegister, measureOfWord } from "./register.js";
import { normalizeText } from "./text.js";

/** Reviewed vocabulary: everyday Chinese → the plan's words; English → the plan's Chinese words. */
export interface Vocabulary {
  /** [user phrase (normalised), plan terms] sorted longest phrase first. */
  expansions: Array<[string, string[]]>;
  /** [english phrase (lower case, single-spaced), chinese terms] sorted longest phrase first. */
  glossary: Array<[string, string[]]>;
}

interface ExpansionFile {
  entries: Array<{ user: string[]; plan: string[] }>;
}
interface GlossaryFile {
  entries: Array<{ en: string[]; zh: string[] }>;
}


let cached: Vocabulary | undefined;

/** Loads the vocabulary files once per process. */
export function loadVocabulary(): Vocabulary {
  if (cached) return cached;
  const exp = JSON.parse(readFileSync(dataPath("expansions.json"), "utf8")) as ExpansionFile;
  const glo = JSON.parse(readFileSync(dataPath("glossary-en.json"), "utf8")) as GlossaryFile;
  const expansions = new Map<string, Set<string>>();
  for (const e of exp.entries) {
    for (const u of e.user) {
      const key = normalizeText(u).trim();
      if (!key) continue;
      const set = expansions.get(key) ?? new Set<string>();
      for (const p of e.plan) set.add(normalizeText(p));
      expansions.set(key, set);
    }
  }
  const glossary = new Map<string, Set<string>>();
  for (const e of glo.entries) {
    for (const en of e.en) {
      const key = en.toLowerCase().replace(/\s+/g, " ").trim();
      if (!key) continue;
      const set = glossary.get(key) ?? new Set<string>();
      for (const z of e.zh) set.add(normalizeText(z));
      glossary.set(key, set);
    }
  }
  const sorted = (m: Map<string, Set<string>>) => [...m].map(([k, v]) => [k, [...v]] as [string, string[]]).sort((a, b) => b[0].length - a[0].length);
  cached = { expansions: sorted(expansions), glossary: sorted(glossary) };
  return cached;
}

/** Weight of a reviewed expansion whose phrase the plans themselves contain (a reviewed one otherwise weighs 0.6). */
const OWN_WORD_EXPANSION_WEIGHT = 0.3;

/**
 * Plan terms for the everyday phrases found in a normalised Chinese query, longest phrase first,
 * without reusing characters already matched by a longer phrase.
 */
export function expandQuery(normalized: string, vocab: Vocabulary, inCorpus?: (text: string) => boolean): Array<{ phrase: string; terms: string[]; weight?: number }> {
  const out: Array<{ phrase: string; terms: string[]; weight?: number }> = [];
  const used = new Array<boolean>(normalized.length).fill(false);
  for (const [phrase, terms] of vocab.expansions) {
    let from = 0;
    for (;;) {
      const i = normalized.indexOf(phrase, from);
      if (i < 0) break;
      from = i + 1;
      if (used.slice(i, i + phrase.length).some(Boolean)) continue;
      // The user already wrote the plan's own word around it (大棚 inside 大棚房): nothing to expand.
      if (terms.some((t) => t.includes(phrase) && t !== phrase && normalized.includes(t))) break;
      // The user is quoting the plan (村集体经营 inside 农村集体经营性建设用地): the plan's words speak for themselves.
      if (inCorpus && quotesPlan(normalized, i, phrase.length, inCorpus)) break;
      // Terms reviewed for one plan mean nothing for another: only those the loaded plans contain count.
      const present = inCorpus ? terms.filter((t) => inCorpus(t)) : terms;
      if (present.length === 0) break;
      for (let j = i; j < i + phrase.length; j++) used[j] = true;
      // When the plans use the user's own word apart from the reviewed terms (垃圾 in a waste plan, not only
      // inside 残疾人之家), the word leads and the reviewed terms only assist.
      const ownWord = inCorpus?.(phrase) && !present.some((t) => t.includes(phrase));
      out.push(ownWord ? { phrase, terms: present, weight: OWN_WORD_EXPANSION_WEIGHT } : { phrase, terms: present });
      break;
    }
  }
  return out;
}

/** An expansion found in the general lexicon rather than the reviewed vocabulary: weighted below it. */
export interface LexicalExpansion {
  phrase: string;
  terms: string[];
  /** Against the question's own words (1); below a reviewed expansion's. */
  weight: number;
}

/**
 * Near-synonyms from the general lexicon for the question's words that neither the plans nor the
 * reviewed vocabulary know (装修废料 → 垃圾), restricted to terms that occur in the plans.
 */
export function expandWithLexicon(
  words: string[],
  reviewed: Array<{ phrase: string }>,
  inCorpus: (text: string) => boolean,
  lexicon: Lexicon = defaultLexicon(),
): LexicalExpansion[] {
  const out: LexicalExpansion[] = [];
  for (const word of new Set(words)) {
    // The plan's own word, or one the reviewed vocabulary already placed, needs no guess.
    if (!/^[\u3400-\u9fff]+$/.test(word) || inCorpus(word)) continue;
    if (reviewed.some((e) => e.phrase.includes(word) || word.includes(e.phrase))) continue;
    const related = lexicon.relatedTerms(word, inCorpus);
    for (const r of related) out.push({ phrase: word, terms: [r.term], weight: r.weight });
    // A word the segmenter glued together (当学徒) holds the plan's word (学徒): search for that.
    if (related.length === 0) for (const part of lexicon.knownParts(word, inCorpus)) out.push({ phrase: word, terms: [part.term], weight: part.weight });
  }
  return out;
}

/** Whether the text around a match, two characters wider, is verbatim in the plans. */
function quotesPlan(text: string, at: number, length: number, inCorpus: (s: string) => boolean): boolean {
  for (let start = Math.max(0, at - 2); start <= at; start++) {
    const end = start + length + 2;
    if (end <= text.length && end >= at + length && inCorpus(text.slice(start, end))) return true;
  }
  return false;
}

/** English words that carry no topic. */
const EN_STOP = new Set(
  ("a an the of in on at to for from by with and or is are was were be been being do does did will would shall should can could may might must " +
    "what which who whom whose when where why how much many any some this that these those it its there their they them he she we you i me my our your " +
    "about plan plans zhejiang province provincial year 2026 this's please tell me know say says said does going get got have has had if than then so as into under over per " +
    "anything something thing things there's what's how's is there are there will be")
    .split(/\s+/),
);

/** A glossary reading counts as the phrase's meaning when the dictionary explains this share of its characters. */
const VOUCHED_SHARE = 0.8;
/** Weight of a glossary reading the dictionary does not vouch for, against the question's own words (1). */
const GLOSSARY_GUESS_WEIGHT = 0.4;
/** …and when nothing else reads the phrase. */
const UNREAD_GUESS_WEIGHT = 0.6;

/** Result of mapping an English question onto the plan's Chinese vocabulary. */
export interface EnglishMapping {
  /** Chinese terms found through the glossary, and plan terms two English words in a row join into. */
  terms: string[];
  /**
   * Each English phrase's Chinese alternatives (the glossary's, unweighted; the English register's,
   * weighted): a unit needs one of them, not all.
   */
  groups: Array<{ phrase: string; terms: string[]; weight?: number; cover?: number }>;
  /** English content words neither the glossary nor the lexicon knows (they lower confidence). */
  unknown: string[];
  /** Plan terms the general lexicon found for words the glossary lacks, weighted below the glossary's. */
  lexical: LexicalExpansion[];
}

/**
 * Maps an English question to the plan's Chinese terms, longest glossary phrase first; with `inCorpus`,
 * words the glossary lacks are looked up in the general lexicon.
 */
export function mapEnglish(question: string, vocab: Vocabulary, inCorpus?: (text: string) => boolean, lexicon?: Lexicon): EnglishMapping {
  const whole = englishText(question);
  let text = ` ${whole} `;
  const terms: string[] = [];
  const groups: EnglishMapping["groups"] = [];
  const glossed: EnglishMapping["groups"] = [];
  const unvouched: Array<EnglishMapping["groups"][number] & { partly: string[] }> = [];
  // The question's other words may name the rest of a reading (zero-waste … cities → 无废城市).
  const context = whole.split(/[ -]/).filter((w) => w.length > 2 && !EN_STOP.has(w));
  for (const [phrase, zh] of vocab.glossary) {
    const needle = ` ${phrase.split(" ").map(americanSpelling).join(" ")} `;
    if (!text.includes(needle)) continue;
    // A phrase whose terms the loaded plans lack stays for the lexicon to try.
    const present = inCorpus ? zh.filter((t) => inCorpus(t)) : zh;
    if (present.length === 0) continue;
    // The glossary was written against one plan: a reading the dictionary does not vouch for (fund →
    // 专项债券, reform → 重大改革支撑) is that plan's association, a weighted guess, not the word's meaning.
    const vouch = new Map(present.map((t) => [t, inCorpus ? (lexicon ?? defaultLexicon()).vouches(phrase.split(/[ -]/), t, (w) => englishRegisterWords(w), context) : undefined]));
    const sure = present.filter((t) => { const v = vouch.get(t); return v === undefined || v >= VOUCHED_SHARE; });
    const guesses = present.filter((t) => !sure.includes(t));
    // A reading the dictionary explains in part weighs as much as it explains (常住人口城镇化率 for urbanization rate: 0.5).
    for (const t of guesses) unvouched.push({ phrase, terms: [t], weight: Math.max(GLOSSARY_GUESS_WEIGHT, vouch.get(t) ?? 0), partly: (vouch.get(t) ?? 0) > 0 ? [t] : [] });
    // With no reading it vouches for, the phrase's words stay for the dictionary to read.
    if (sure.length === 0) continue;
    terms.push(...sure);
    glossed.push({ phrase, terms: sure });
    text = text.split(needle).join(" | ");
  }
  if (inCorpus) {
    // The domain-general English register reads every word, those the glossary took too: the glossary was
    // written against one plan, and its terms must not be the only reading of "medicine" or "waste". Where
    // both read a word, their terms are alternatives; where only the glossary does, its terms stay the
    // question's own words.
    const general = expandEnglishRegister(whole, inCorpus);
    const generalWords = new Set(general.flatMap((g) => g.phrase.split(" ")));
    groups.push(...glossed.filter((g) => g.phrase.split(" ").some((w) => generalWords.has(w))), ...general);
    terms.push(...compounds(whole, inCorpus, lexicon ?? defaultLexicon()));
    terms.push(...numberTerms(whole).filter((t) => inCorpus(t)));
    const known = new Set(general.flatMap((g) => g.phrase.split(" ")));
    text = text.split(" ").map((w) => (known.has(w) ? "|" : w)).join(" ");
  }
  // A hyphenated word the glossary lacks is read whole (high-level) and as its parts (volume-based → volume, based; per-student → student).
  let unknown = text
    .split(/[\s|]+/)
    .flatMap((w) => [w, ...(w.includes("-") ? w.split("-") : [])])
    .map((w) => w.replace(/^'+|'+$/g, ""))
    .filter((w) => w.length > 2 && !EN_STOP.has(w) && !/^\d+$/.test(w));
  const found = inCorpus && unknown.length > 0 ? (lexicon ?? defaultLexicon()).englishTerms(unknown, inCorpus) : [];
  const lexical = found.map((r) => ({ phrase: r.matched.join(" "), terms: [r.term], weight: r.weight }));
  const understood = new Set(found.flatMap((r) => r.matched));
  // A glossary reading the dictionary does not vouch for is a weighted alternative where something else reads
  // the phrase (the dictionary, the register, a vouched reading); where nothing does, it is all there is.
  const read = new Set([...understood, ...groups.flatMap((g) => g.phrase.split(/[ -]/)), ...glossed.flatMap((g) => g.phrase.split(/[ -]/))]);
  for (const g of unvouched) {
    const { partly, ...group } = g;
    if (g.phrase.split(/[ -]/).some((w) => read.has(w))) groups.push(group);
    else {
      // …still alternatives of one phrase, not words of the question each ("who pays" is not four things);
      // a reading the dictionary vouches for in part (idle farmhouses → 闲置农房盘活) is the question's words.
      if (partly.length > 0) {
        groups.push({ phrase: g.phrase, terms: partly });
        terms.push(...partly);
      }
      const rest = g.terms.filter((t) => !partly.includes(t));
      if (rest.length > 0) groups.push({ ...group, terms: rest, weight: UNREAD_GUESS_WEIGHT });
      const words = new Set(g.phrase.split(" "));
      unknown = unknown.filter((w) => !words.has(w));
    }
  }
  // A hyphenated word is reported as its parts, and its parts as understood when the whole is (high-level → 高等).
  const wholeUnderstood = [...understood].filter((w) => w.includes("-")).flatMap((w) => w.split("-"));
  return { terms: [...new Set(terms)], groups, unknown: unknown.filter((w) => !understood.has(w) && !w.includes("-") && !wholeUnderstood.includes(w)), lexical };
}

/**
 * An English question as the glossary and the dictionary spell it: lower case, words apart, possessives as
 * the word itself (hospitals' → hospitals, plan's → plan), 1,200 as 1200, British spellings as American.
 */
function englishText(question: string): string {
  return question
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/(?<=\d),(?=\d{3}(?!\d))/g, "")
    .replace(/[^a-z0-9%+\-' ]+/g, " ")
    .replace(/(?<=[a-z])'s?(?![a-z])/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .split(" ")
    .map(americanSpelling)
    .join(" ");
}

/**
 * The content words of an English question as the dictionary spells them (hyphenated words also as their
 * parts; stop words, numbers and short words dropped).
 * @example englishContentWords("How often do village-level river chiefs patrol?") // ["often", "village-level", "village", "level", "river", "chiefs", "patrol"]
 */
export function englishContentWords(question: string): string[] {
  const words = englishText(question)
    .split(" ")
    .flatMap((w) => [w, ...(w.includes("-") ? w.split("-") : [])])
    .map((w) => americanSpelling(w.replace(/^['\-%+]+|['\-%+]+$/g, "")));
  return [...new Set(words.filter((w) => w.length > 2 && !EN_STOP.has(w) && !/\d/.test(w)))];
}

/** Words in -ise that are not the British spelling of an -ize verb. */
const ISE_WORDS = new Set(
  ("advise exercise promise otherwise raise rise arise wise likewise clockwise precise concise expertise enterprise franchise compromise supervise " +
    "surprise revise premise devise televise merchandise disguise comprise despise chastise excise incise improvise demise apprise paradise noise poise " +
    "praise bruise cruise treatise mortise anise advertise appraise surmise tortoise porpoise turquoise").split(" "),
);
/** British spellings whose American form the dictionary glosses with (centre → center, licence → license). */
const BRITISH: Record<string, string> = {
  centre: "center", metre: "meter", kilometre: "kilometer", litre: "liter", theatre: "theater", fibre: "fiber", licence: "license",
  defence: "defense", offence: "offense", practise: "practice", tyre: "tire", storey: "story", enrol: "enroll", enrolment: "enrollment", fulfil: "fulfill",
  fulfilment: "fulfillment", instalment: "installment", ageing: "aging", paediatric: "pediatric", analyse: "analyze", catalogue: "catalog", grey: "gray",
  modelling: "modeling", travelling: "traveling", cancelled: "canceled", labelled: "labeled", counselling: "counseling", jewellery: "jewelry",
};
/** British -our words (colour, labour, neighbour) and the American -or they are glossed as. */
const OUR_RE = /^(col|lab|behavi|neighb|fav|hon|harb|flav|rum|vap|vig|hum|od|sav|endeav)our(s|ed|ing|hood|hoods|ly|able|ite|ites)?$/;

/**
 * A British spelling as the dictionary's American one: urbanisation → urbanization, licence → license, neighbour → neighbor,
 * centres → centers.
 */
export function americanSpelling(word: string): string {
  const plural = word.endsWith("s") && BRITISH[word.slice(0, -1)] ? "s" : "";
  const british = BRITISH[word] ?? (plural ? BRITISH[word.slice(0, -1)] : undefined);
  if (british) return british + plural;
  const our = OUR_RE.exec(word);
  if (our) return `${our[1]}or${our[2] ?? ""}`;
  const isation = /^(.{3,})isation(s?)$/.exec(word);
  if (isation) return `${isation[1]}ization${isation[2]}`;
  const ise = /^(.{3,})is(e|ed|es|ing)$/.exec(word);
  if (ise && !ISE_WORDS.has(`${ise[1]}ise`)) return `${ise[1]}iz${ise[2]}`;
  return word;
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100, thousand: 1000,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1e6, billion: 1e9 };

/** A number as the plans print it: 11, 1.2万, 5000; 10000 → 万 where nothing counts it (每万名). */
function chineseNumber(n: number): string {
  const fix = (x: number) => String(Number(x.toFixed(4)));
  if (n >= 1e8 && n % 1e7 === 0) return `${fix(n / 1e8)}亿`;
  if (n >= 1e4 && n % 1e3 === 0) return `${fix(n / 1e4)}万`;
  return fix(n);
}

/**
 * English numbers as the plans print them, with the measure word of the thing they count: 11 cities →
 * 11个, 8 years → 8年, 1.2 million beds → 120万张, per 10000 older people → 每万.
 * @example numberTerms("which 11 cities") // ["11个"]
 */
export function numberTerms(text: string): string[] {
  const words = text.split(" ");
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let n = /^\d+(?:\.\d+)?$/.test(words[i]!) ? Number(words[i]) : NUMBER_WORDS[words[i]!];
    if (n === undefined || !Number.isFinite(n)) continue;
    let j = i + 1;
    while (words[j] && SCALES[words[j]!]) n *= SCALES[words[j++]!]!;
    // A year (2022) is no count; the years the question names are read elsewhere.
    if (/^(?:19|20)\d{2}$/.test(words[i]!) && j === i + 1) continue;
    const zh = chineseNumber(n);
    // "per 10000 older people" is a rate's base (每万名), not a count of them.
    if (words[i - 1] === "per" || words[i - 1] === "every") {
      out.push(`每${zh.replace(/^1(?=[万亿])/, "").replace(/^1000$/, "千").replace(/^100$/, "百")}`);
      continue;
    }
    // The counted thing follows, maybe after a describing word or two (8 more years, 11 pilot cities).
    for (let k = j; k < Math.min(words.length, j + 3); k++) {
      const measure = measureOfWord(words[k]!);
      if (measure && measure !== "%") {
        out.push(`${zh}${measure}`);
        break;
      }
    }
    if (words[j] === "percent" || words[j] === "%") out.push(`${zh}%`);
  }
  return out;
}

/**
 * Plan terms that two English words in a row name together: a Chinese word for each (from the English
 * register or the lexicon) joined, and found verbatim in the plans (construction waste → 建筑垃圾,
 * equal treatment → 同等待遇).
 */
function compounds(text: string, inCorpus: (t: string) => boolean, lexicon: Lexicon): string[] {
  const words = text.split(" ").filter((w) => w.length > 1 && !EN_STOP.has(w));
  const parts = (w: string) => [...new Set([...englishRegisterWords(w), ...lexicon.wordsGlossed(w)])];
  const out = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) {
    // Only words that stand together in the question (no stop word between them) make a compound.
    if (!text.includes(`${words[i]} ${words[i + 1]}`)) continue;
    const heads = parts(words[i]!);
    const tails = parts(words[i + 1]!);
    for (const h of heads) for (const t of tails) if (h !== t && (h + t).length >= 3 && !(h.length === 1 && t.length === 1) && inCorpus(h + t)) out.add(h + t);
  }
  return [...out];
}
