import { readFileSync } from "node:fs";
import { normalizeText } from "./text.js";
import { dataPath } from "./data-path.js";

/**
 * Everyday Chinese → the register of government documents (药 → 药品, 技校 → 职业院校, 看不起 → 歧视).
 * The list (data/register.json) is domain-general and written by hand, unlike the reviewed vocabulary,
 * which was written against one plan: it names no plan's own phrases, so it steers a resident's
 * question towards whichever loaded plan speaks of the thing, not towards the seed.
 */

/** One register entry: everyday phrases and the formal words they stand for. */
export interface RegisterEntry {
  user: string[];
  formal: string[];
}

/** The loaded list: [everyday phrase, formal words], longest phrase first. */
export type Register = Array<[string, string[]]>;

/** Weight of a formal word against the question's own words (1); a reviewed expansion weighs 0.6. */
export const REGISTER_WEIGHT = 0.5;
/** When the plans use the asker's own word too (垃圾, 医院), the formal words only assist. */
export const REGISTER_OWN_WORD_WEIGHT = 0.3;

let cached: Register | undefined;

/** Builds the register from entries (normalised, merged by phrase, longest phrase first). */
export function buildRegister(entries: RegisterEntry[]): Register {
  const map = new Map<string, Set<string>>();
  for (const e of entries) {
    for (const u of e.user) {
      const key = normalizeText(u).trim();
      if (!key) continue;
      const set = map.get(key) ?? new Set<string>();
      for (const f of e.formal) set.add(normalizeText(f).trim());
      map.set(key, set);
    }
  }
  return [...map].map(([k, v]) => [k, [...v]] as [string, string[]]).sort((a, b) => b[0].length - a[0].length);
}

/** The shipped register, loaded once per process. */
export function loadRegister(): Register {
  if (cached) return cached;
  const file = JSON.parse(readFileSync(dataPath("register.json"), "utf8")) as { entries: RegisterEntry[] };
  cached = buildRegister(file.entries);
  return cached;
}

/** A formal word added for an everyday phrase. */
export interface RegisterExpansion {
  phrase: string;
  terms: string[];
  weight: number;
  /** A formal word names the same thing as the everyday one: a unit holding it covers the phrase in full. */
  cover: number;
}

/**
 * Formal words for the everyday phrases of a question, restricted to words the plans contain. A phrase
 * of two characters or more is found anywhere in the text, longest first and without reusing
 * characters; a single character (药, 路) only as a whole word, or as the head of a compound the plans
 * lack (降压药 is a kind of 药: Chinese compounds put the head last).
 * @example expandRegister("便宜的药靠得住吗", ["便宜", "药", "靠得住"], inCorpus) // [{ phrase: "便宜", terms: ["降低", "价格"…] }, …]
 */
export function expandRegister(text: string, words: string[], inCorpus: (t: string) => boolean, register: Register = loadRegister()): RegisterExpansion[] {
  const out: RegisterExpansion[] = [];
  const used = new Array<boolean>(text.length).fill(false);
  const add = (phrase: string, terms: string[]) => {
    // A formal word the asker already wrote adds nothing; one the plans lack cannot match.
    const present = terms.filter((t) => t !== phrase && !text.includes(t) && inCorpus(t));
    if (present.length === 0) return;
    out.push({ phrase, terms: present, weight: phrase.length >= 2 && inCorpus(phrase) ? REGISTER_OWN_WORD_WEIGHT : REGISTER_WEIGHT, cover: 1 });
  };
  for (const [phrase, terms] of register) {
    if (phrase.length < 2) continue;
    let from = 0;
    for (;;) {
      const i = text.indexOf(phrase, from);
      if (i < 0) break;
      from = i + 1;
      if (used.slice(i, i + phrase.length).some(Boolean)) continue;
      for (let j = i; j < i + phrase.length; j++) used[j] = true;
      add(phrase, terms);
      break;
    }
  }
  const single = new Map(register.filter(([p]) => p.length === 1));
  const seen = new Set(out.map((e) => e.phrase));
  for (const w of words) {
    const at = text.indexOf(w);
    if (at >= 0 && used.slice(at, at + w.length).some(Boolean)) continue;
    const head = w.length === 1 ? w : !inCorpus(w) && w.length <= 4 ? w.slice(-1) : undefined;
    const terms = head ? single.get(head) : undefined;
    if (!head || !terms || seen.has(head)) continue;
    seen.add(head);
    add(head, terms);
  }
  return out;
}

/** Weight of an English register word's Chinese alternatives against a reviewed glossary term (1). */
export const ENGLISH_REGISTER_WEIGHT = 0.8;

let cachedEn: Register | undefined;

/** The shipped English register ([english phrase, chinese words], longest first), loaded once per process. */
export function loadEnglishRegister(): Register {
  if (cachedEn) return cachedEn;
  const file = JSON.parse(readFileSync(dataPath("register-en.json"), "utf8")) as { entries: Array<{ en: string[]; zh: string[] }> };
  const map = new Map<string, Set<string>>();
  for (const e of file.entries) {
    for (const en of e.en) {
      const key = en.toLowerCase().replace(/\s+/g, " ").trim();
      if (!key) continue;
      const set = map.get(key) ?? new Set<string>();
      for (const z of e.zh) set.add(normalizeText(z));
      map.set(key, set);
    }
  }
  cachedEn = [...map].map(([k, v]) => [k, [...v]] as [string, string[]]).sort((a, b) => b[0].length - a[0].length);
  return cachedEn;
}

/**
 * Chinese alternatives for the English words of a question (lower case, single-spaced), longest phrase
 * first, restricted to words the plans contain.
 * @example expandEnglishRegister("will medicine prices go down", inCorpus) // [{ phrase: "medicine", terms: ["药品"…] }, …]
 */
export function expandEnglishRegister(text: string, inCorpus: (t: string) => boolean, register: Register = loadEnglishRegister()): RegisterExpansion[] {
  let rest = ` ${text} `;
  const out: RegisterExpansion[] = [];
  for (const [phrase, terms] of register) {
    const needle = ` ${phrase} `;
    if (!rest.includes(needle)) continue;
    rest = rest.split(needle).join(" | ");
    const present = terms.filter((t) => inCorpus(t));
    if (present.length > 0) out.push({ phrase, terms: present, weight: ENGLISH_REGISTER_WEIGHT, cover: 1 });
  }
  return out;
}

/** The Chinese words the English register gives one word (in the plans or not): parts of compounds. */
export function englishRegisterWords(word: string, register: Register = loadEnglishRegister()): string[] {
  return register.find(([p]) => p === word)?.[1] ?? [];
}

/**
 * What an English figure question counts in, as the Chinese measure word a plan prints with the figure
 * (how many cities → 个, how many beds → 张, what percentage → %, how many years → 年). Domain-general:
 * the nouns are classes of things, each with the measure word Chinese counts that class in.
 */
const EN_COUNTED: Array<[RegExp, string]> = [
  // Units named outright.
  [/^(?:km|kilomet(?:er|re)s?)$/, "公里"],
  [/^(?:mu|acres?|hectares?)$/, "亩"],
  [/^(?:tons?|tonnes?)$/, "吨"],
  [/^(?:yuan|rmb|renminbi)$/, "元"],
  [/^(?:percent|percentage|per cent|share|proportion|ratio|rate)$/, "%"],
  [/^years?$/, "年"],
  [/^months?$/, "个月"],
  [/^(?:days?)$/, "天"],
  [/^hours?$/, "小时"],
  [/^minutes?$/, "分钟"],
  [/^times?$/, "次"],
  // Things, by the measure word Chinese counts them in.
  [/^(?:people|persons?|residents?|workers?|staff|employees?|teachers?|doctors?|nurses?|carers?|caregivers?|students?|graduates?|trainees?|volunteers?|officials?|experts?|talents?|farmers?|patients?|children|kids|elderly|seniors?)$/, "人"],
  [/^(?:schools?|colleges?|universities|university|kindergartens?|campuses)$/, "所"],
  [/^(?:companies|company|enterprises?|firms?|businesses|business|hospitals?|clinics?|institutions?|organi[sz]ations?|shops?|stores?|banks?)$/, "家"],
  [/^(?:beds?)$/, "张"],
  [/^(?:chargers?|charging (?:piles?|posts?|points?)|piles?|machines?|devices?|units?)$/, "台"],
  [/^(?:vehicles?|cars?|buses|bus|trucks?)$/, "辆"],
  [/^(?:homes?|houses?|apartments?|flats?|dwellings?)$/, "套"],
  [/^(?:households?|families|family)$/, "户"],
  [/^(?:items?|tasks?|standards?|measures?|indicators?)$/, "项"],
  [/^(?:cities|city|towns?|villages?|count(?:y|ies)|districts?|provinces?|regions?|pilots?|projects?|bases?|cent(?:er|re)s?|stations?|parks?|zones?|platforms?|sites?|points?|communities|community|clusters?|models?|demonstrations?|programs?|programmes?|towers?|facilities|facility|venues?)$/, "个"],
];

/** Words of a "how much" question that ask an amount of money ("the insurance fund", "who pays" name a payer, not an amount). */
const MONEY_WORDS = /\b(?:money|funding|budgets?|costs?|spend|spending|spent|invest|investment|subsid(?:y|ies)|allowances?|fees?|prices?|earn|earnings|salar(?:y|ies)|wages?)\b/;

/** The measure of one English word, if it names a unit or a countable class (cities → 个, years → 年). */
export function measureOfWord(word: string): string | undefined {
  return EN_COUNTED.find(([re]) => re.test(word))?.[1];
}

/**
 * The measure an English question asks a figure in, or undefined when it asks none or does not say:
 * the thing counted after "how many" (skipping a few describing words), a share asked for (what
 * percentage, what … rate), or a unit named in a "how much"/"how long" question.
 * @example englishMeasure("Roughly how many cities will be chosen?") // "个"
 */
export function englishMeasure(question: string): string | undefined {
  const text = question.toLowerCase().replace(/['’]s\b/g, "").replace(/[^a-z0-9%\- ]+/g, " ").replace(/\s+/g, " ");
  const words = text.trim().split(" ");
  const many = /\bhow many\b/.exec(text);
  if (many) {
    // "how many high-level vocational colleges": the counted noun is the first that names a class, within a few words.
    const after = text.slice(many.index + many[0].length).trim().split(" ").slice(0, 5);
    for (let i = 0; i < after.length; i++) {
      const two = i + 1 < after.length ? `${after[i]} ${after[i + 1]}` : "";
      const m = (two && measureOfWord(two)) || measureOfWord(after[i]!.replace(/^.*-/, ""));
      if (m) return m;
      if (/^(?:are|is|will|would|should|do|does|did|have|has|can|must|were|was)$/.test(after[i]!)) break;
    }
    // "how many overseas warehouses": things the list does not name are still counted, not measured
    // ("how many of them" says nothing of what they are).
    return after[0] === "of" ? undefined : "个";
  }
  // "what percentage", "what share", "what … rate", "by what proportion", "how high a rate".
  if (/\b(?:what|which|how) (?:\S+ ){0,4}(?:percent|percentage|per cent|share|proportion|ratio|rate)s?\b/.test(text)) return "%";
  // "How much farmland this year": only a unit named outright, or money, says what an amount is in.
  if (/\bhow much\b/.test(text) && !/\bhow much time\b/.test(text)) {
    for (const w of words) {
      const m = measureOfWord(w);
      if (m && /^(?:公里|亩|吨|元)$/.test(m)) return m;
    }
    if (MONEY_WORDS.test(text)) return "元";
  }
  if (/\bhow often\b/.test(text)) return "次";
  // "How long is the internship", "how much time every year": a duration, in years, months or days unless the question names a smaller unit.
  if (/\bhow (?:long|much time)\b/.test(text)) {
    const named = words.map(measureOfWord).find((m) => m === "小时" || m === "分钟");
    return named ?? "年";
  }
  return undefined;
}
