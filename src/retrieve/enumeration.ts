import { segmenter } from "./text.js";

/**
 * What a list question asks the kinds or members of, and whether a sentence enumerates them: "哪几类固体废物"
 * asks kinds of 固体废物, which "以大宗工业固体废物、主要农业废弃物、生活垃圾和建筑垃圾、危险废物为重点" lists.
 */

/** The marker of a list question and the noun after it: 哪几类固体废物, 哪些城市, 哪几种班, 由哪些部门组成, 分几个阶段. */
const ASKED_KIND_RE = /(?:(?:哪几|哪些|哪)(?:类|种|个|项|家|所|条)?|几(?:大类|类|种|个|批|步|级))([\u4e00-\u9fff]{1,8})/;
/** Words after the noun that are not part of it. */
const TAIL_RE = /(组成|构成|参加|参与|负责|推进|实施|进行|开展|可以|能|要|需要|有|是|呢|吗|啊)+$/;

/** The thing a list question asks the members of (固体废物, 城市, 班, 部门), if it names one. */
export function askedKind(question: string): string | undefined {
  const m = ASKED_KIND_RE.exec(question.replace(/\s+/g, ""));
  if (!m) return undefined;
  // The first word that is not a verb: 哪几个实施阶段 asks 阶段 (实施 says of what), 哪些城市参加 asks 城市.
  const noun = segmenter().cut(m[1]!, false).map((w) => w.replace(TAIL_RE, "")).find((w) => w.length > 0) ?? "";
  return noun.length >= 1 && !/^(方面|内容|东西|事情|要求|措施|举措|任务|工作)$/.test(noun) ? noun : undefined;
}

/** Members that are organs of government (省住建厅, 国家医保局, 商务部) answer 哪些部门/单位/机构. */
const ORGAN_RE = /(部|委|局|厅|署|办|会|院|室|中心|政府|机构)$/;
const ORGAN_KIND_RE = /^(部门|单位|机构|机关)$/;

/**
 * The most items of one enumeration (A、B、C和D) in the text that are of the asked kind: they hold the kind
 * (危险废物 for 固体废物), end with its last character (主要农业废弃物 for 固体废物, 托大班 for 班), are places when places are asked, or
 * organs when departments are.
 */
export function enumeratedOfKind(text: string, kind: string, isPlace: (word: string) => boolean): number {
  const head = kind.slice(-2);
  const last = kind.slice(-1);
  const placeKind = /^(城市|省份|省|地区|市|地方|区县|县)$/.test(kind);
  let best = 0;
  for (const { sentence, pieces } of enumerations(text)) {
    if ((sentence.match(/、/g) ?? []).length < 2) continue;
    const items = pieces.map((s) => s.trim()).filter(Boolean);
    if (items.length < 3) continue;
    const fits = items.filter((item) => {
      const core = item.replace(/^(以|对|包括|重点|主要是|选择|涵盖)/, "").replace(/(等|为重点|为主|\d+个).*$/, "");
      if (placeKind) return isPlace(core) || isPlace(core.replace(/[省市区县]$/, ""));
      if (ORGAN_KIND_RE.test(kind)) return ORGAN_RE.test(core);
      return core.includes(head) || core.endsWith(last);
    }).length;
    best = Math.max(best, fits);
  }
  return best;
}

/**
 * Every run of a text that may enumerate things, as its sentence and its pieces as printed (A、B和C → A, B, C):
 * sentences cut at their ends, runs at commas and colons, pieces at 、 和 及 以及 与.
 */
export function* enumerations(text: string): Generator<{ sentence: string; pieces: string[] }> {
  for (const sentence of text.split(/[。；;！？\n]/)) {
    for (const run of sentence.split(/[，,：:]/)) yield { sentence, pieces: run.split(/、|和|及|以及|与/) };
  }
}

/**
 * Whether a unit's sub-units are all of the asked kind, by their headings: "分哪几个阶段" is answered by the part
 * whose sections are 动员部署阶段（…）, 全面推进阶段（…）, 总结验收阶段（…）, not by one of them. At least two,
 * and most of them, must be headed by a name ending in the kind.
 */
export function childrenOfKind(headings: string[], kind: string): boolean {
  const named = headings.filter((h) => h.replace(/[（(][^）)]*[）)]/g, "").replace(/[\s。.：:]+$/, "").endsWith(kind)).length;
  return named >= 2 && named * 2 > headings.length;
}

/**
 * The head noun of what a list question asks for: the last noun of the run of nouns after its marker
 * (哪些托育形式 → 形式, 需要准备哪些材料 → 材料, 哪些人员应当转移 → 人员); undefined when no noun follows.
 */
export function askedHead(question: string): string | undefined {
  const m = ASKED_KIND_RE.exec(question.replace(/\s+/g, ""));
  if (!m) return undefined;
  let head: string | undefined;
  for (const t of segmenter().tag(m[1]!, false)) {
    if (!/^(n|nz|vn|l)/.test(t.tag)) break;
    head = t.word;
  }
  return head !== undefined && head.length >= 2 ? head : undefined;
}

