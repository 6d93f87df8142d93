/**
 * The low-level reader of figures: numbers (Arabic, Chinese, 百分之…, 三分之一, 一半), ranges
 * (60%—70%, 2—3年), the measure word after them (any of a broad list: %, 万亩, 个月, 亿元, 家, 批 …),
 * and the bound words right around them (不低于, 以上, 左右, 以内 …). One left-to-right pass per clause.
 * Nothing here knows any particular plan.
 */
import { parseChineseNumeral, toHalfWidth } from "../plan/numerals.js";

/** What a measure word measures. */
export type MeasureKind =
  | "percent" | "money" | "duration" | "count" | "area" | "length" | "weight" | "volume" | "energy"
  | "multiple" | "age" | "ratio" | "date" | "number";

const KINDS: Array<[MeasureKind, string[]]> = [
  ["percent", ["个百分点", "百分点", "%", "％", "‰", "成"]],
  ["money", ["美元", "元"]],
  ["duration", ["个工作日", "工作日", "个季度", "季度", "个学期", "学期", "学年", "个月", "年", "周", "天", "日", "小时", "分钟", "秒"]],
  ["area", ["平方公里", "平方千米", "平方米", "公顷", "亩"]],
  ["length", ["公里", "千米", "毫米", "厘米", "米"]],
  ["weight", ["公斤", "千克", "吨", "斤", "克"]],
  ["volume", ["立方米", "升"]],
  ["energy", ["千瓦时", "兆瓦", "千瓦"]],
  ["multiple", ["倍"]],
  ["age", ["周岁", "岁"]],
  ["count", [
    "人次", "课时", "学时", "学分", "个", "所", "家", "条", "项", "名", "人", "位", "次", "户", "件", "辆", "艘", "架", "台",
    "套", "张", "座", "处", "宗", "头", "只", "棵", "株", "批", "种", "类", "门", "册", "篇", "份", "部", "节", "间", "栋",
    "床", "例", "场", "轮", "支", "枚", "片", "块", "期", "届", "级", "县", "市", "省", "村", "镇", "乡", "城",
    // Containers and pieces (不得超过2瓶, 灭火器2具, 每间1盏).
    "瓶", "罐", "桶", "箱", "袋", "盒", "具", "盏", "根", "剂", "粒", "趟",
    // Points of a score (累计记分达到12分), after Arabic digits only (十分重要 is "very").
    "分",
  ]],
];
const KIND_OF = new Map<string, MeasureKind>(KINDS.flatMap(([k, ws]) => ws.map((w) => [w, k] as [string, MeasureKind])));
/** Longest first, so 个月 wins over 个 and 平方公里 over 公里. */
const MEASURE_WORDS = [...KIND_OF.keys()].sort((a, b) => b.length - a.length);
/** Measure words that number things rather than count them (十九届, 三级医院, 一期工程): no quantity. */
const LABEL_MEASURES = new Set(["届", "级", "期"]);
/** A measure word that starts a longer word is not a measure there (一次性, 一条龙, 一门式, 年度 is a date). */
const NOT_MEASURE_AFTER = /^(?:具有|具备|具体|根据|根本|箱式|袋装|瓶装|罐装|成为|成果|成本|成效|成员|成立|成熟|成长|次性|条龙|门式|站式|揽子|体化|周期|期间|条件|条例|部门|部分|类型|种类|块状|处理|处置|位于|头雁|家庭|人民|个人|个体|户籍|名称|名单|名录|项目|节点|场景|场所|城市|城镇|城乡|市场|乡村|乡镇|村庄|县城|县域|天然|年轻|年龄|日常|日益|日均|日报|日用)/;

const CN = "〇零一二两三四五六七八九十百千万亿";
const ARABIC = "[0-9０-９]+(?:[.．][0-9０-９]+)?";
const NUM_SRC = `百分之[${CN}]+(?:点[${CN}]+)?|(?:${ARABIC}|[${CN}]+)分之(?:${ARABIC}|[${CN}]+)|一半|${ARABIC}|[${CN}]+`;
const NUMBER_START = new RegExp(`[0-9０-９${CN}]`);
const NUMBER_AT = new RegExp(`(?:${NUM_SRC})`, "y");
const RANGE_SEP = /(?:——|—|–|－|-|~|～|〜|至|到)/y;

/** Words right before a value saying how it is to be met; longest first so 达到 wins over 达. */
export const PRE_WORDS = [
  "稳定在", "保持在", "控制在", "缩小到", "缩小至", "提高到", "提高至", "提升到", "提升至", "增加到", "增长到", "下降到", "下降至",
  "降低到", "降低至", "减少到", "减少至", "降至", "不低于", "不少于", "不小于", "不超过", "不高于", "不多于", "不大于", "至少", "最少",
  "最多", "至多", "超过", "突破", "达到", "低于", "高于", "多于", "少于", "大于", "小于", "接近", "大约", "超", "达", "约", "近", "为",
];
const PRE_RE = new RegExp(`(?:${PRE_WORDS.join("|")})$`);
/** Verbs after which a bare number (no measure word) is a ratio: 比值缩小到1.8. */
const RATIO_PRE = /^(?:稳定在|保持在|控制在|缩小到|缩小至|提高到|提高至|下降到|下降至|降低到|降低至|降至|达到|为)$/;
/** Words right after a value; 内 only after a duration (2—3年内). */
const POST_RE = /^(?:及以上|及以下|以上|左右|以内|以下|之内|上下|内)/;

/** How firmly a figure is stated. */
export type Bound = "=" | ">=" | ">" | "<=" | "<" | "~" | "range";
const BOUND_OF_PRE: Record<string, Bound> = {
  不低于: ">=", 不少于: ">=", 不小于: ">=", 至少: ">=", 最少: ">=", 达到: ">=", 达: ">=",
  超过: ">", 突破: ">", 超: ">", 高于: ">", 多于: ">", 大于: ">",
  不超过: "<=", 不高于: "<=", 不多于: "<=", 不大于: "<=", 最多: "<=", 至多: "<=", 控制在: "<=",
  低于: "<", 少于: "<", 小于: "<", 约: "~", 大约: "~", 近: "~", 接近: "~",
};
const BOUND_OF_POST: Record<string, Bound> = {
  及以上: ">=", 以上: ">=", 及以下: "<=", 以下: "<=", 以内: "<=", 之内: "<=", 内: "<=", 左右: "~", 上下: "~",
};

/** A number with its measure word, the words right around it and its place in the text. */
export interface Tok {
  start: number;
  /** Start of the PRE word (超, 达到) or of the number. */
  preStart: number;
  /** End of the number(s) and measure word, before any POST word. */
  figureEnd: number;
  /** End of the number, unit and POST word. */
  end: number;
  value: number;
  /** The upper end of a range (60%—70% → 70); equal to value otherwise. */
  high: number;
  /** As written, magnitude included (万亩, 个月, 亿元, %); "" for a bare ratio. */
  unit: string;
  kind: MeasureKind;
  pre: string;
  post: string;
  bound: Bound;
  /** A "more than" word between number and measure (10余个, 20多家). */
  approx: string;
  /** Written in Chinese numerals (三年, 两批). */
  chinese: boolean;
}

interface Num {
  end: number;
  value: number;
  mag: string;
  /** A unit the numeral carries itself (百分之九十 → %, 一半 → %). */
  unit: string;
  chinese: boolean;
}

/** Reads the number at i: 76.5, 1.5万 (value 1.5, mag 万), 七十八万 (78, 万), 百分之九十, 三分之一, 一半. */
function numberAt(text: string, i: number): Num | undefined {
  NUMBER_AT.lastIndex = i;
  const m = NUMBER_AT.exec(text);
  if (!m) return undefined;
  const raw = m[0];
  let end = i + raw.length;
  if (raw === "一半") return { end, value: 50, mag: "", unit: "%", chinese: true };
  const frac = /^(.+)分之(.+)$/.exec(raw);
  if (frac) {
    const [den, nom] = [readPlain(frac[1]!), readPlain(frac[2]!)];
    if (den === undefined || nom === undefined || den === 0) return undefined;
    const pct = (nom / den) * 100;
    return { end, value: raw.startsWith("百") ? nom : Number(pct.toFixed(2)), mag: "", unit: "%", chinese: !/\d/.test(raw) };
  }
  if (/^[0-9０-９]/.test(raw)) {
    const mag = /^(?:万亿|亿|万|千)/.exec(text.slice(end, end + 2))?.[0] ?? "";
    // 千 after a digit is a magnitude only before a measure (3千万元, 5千人), never 千瓦/千米/千克.
    if (mag === "千" && /^千(?:瓦|米|克)/.test(text.slice(end, end + 2))) return { end, value: Number(toHalfWidth(raw)), mag: "", unit: "", chinese: false };
    end += mag.length;
    return { end, value: Number(toHalfWidth(raw)), mag, unit: "", chinese: false };
  }
  const mag = /(?:万亿|亿|万)$/.exec(raw)?.[0] ?? "";
  const core = raw.slice(0, raw.length - mag.length);
  // A numeral without a digit (百, 千万) is an idiom: 百千万行动, 千万农民, 数以万计.
  if (!/[〇零一二两三四五六七八九]/.test(core) && !core.startsWith("十")) return undefined;
  const value = parseChineseNumeral(core);
  return value === undefined ? undefined : { end, value, mag, unit: "", chinese: true };
}

function readPlain(s: string): number | undefined {
  return /^[0-9０-９]/.test(s) ? Number(toHalfWidth(s)) : parseChineseNumeral(s);
}

/** The measure word at i (longest first), unless it starts a longer word (一次性, 项目). */
function measureAt(text: string, i: number, limit: number): string | undefined {
  for (const w of MEASURE_WORDS) {
    if (!text.startsWith(w, i) || i + w.length > limit) continue;
    const after = text.slice(i + w.length - 1, i + w.length + 2);
    if (w.length === 1 && NOT_MEASURE_AFTER.test(after)) continue;
    return w;
  }
  return undefined;
}

/** One number plus optional 余/多 and measure word, starting at i. */
function figureAt(text: string, i: number, ce: number): { num: Num; approx: string; measure: string; end: number } | undefined {
  const num = numberAt(text, i);
  if (!num || num.end > ce) return undefined;
  let pos = num.end;
  let approx = "";
  if (/[余多]/.test(text[pos] ?? "") && !num.unit) {
    const m = measureAt(text, pos + 1, ce);
    if (m) (approx = text[pos]!), pos++;
  }
  let measure = num.unit ? "" : (measureAt(text, pos, ce) ?? "");
  // 分 counts points after Arabic digits, and never starts a word (12分钟 is time, 3分之1 a fraction).
  if (measure === "分" && (num.chinese || !/^分(?![钟之别类级配为期档区批解散布成步行工管担摊开析享离流层段片拣户餐娩支局会院校值])/.test(text.slice(pos, pos + 2)))) measure = "";
  return { num, approx, measure, end: pos + measure.length };
}

/**
 * Every figure in [cs, ce): numbers with a measure word, ranges, and bare ratios after 缩小到/控制在 …
 * Numbers glued to letters or digits (5G, G60, 2.0版, 1+X) are names, not figures; Chinese
 * numerals count only before a measure word (三年, 两批) so that 统一, 一体化, 十九大 stay words.
 */
export function scanClause(text: string, cs: number, ce: number): Tok[] {
  const out: Tok[] = [];
  // A walk over the clause, trying a number only where one can start: linear in the clause's length.
  let next = cs;
  for (let start = cs; start < ce; start = Math.max(start + 1, next)) {
    if (!NUMBER_START.test(text[start]!) || (start > cs && NUMBER_START.test(text[start - 1]!))) continue;
    if (/[A-Za-z0-9０-９.．+＋]/.test(text[start - 1] ?? "")) continue;
    const first = figureAt(text, start, ce);
    if (!first) continue;
    let { num, measure, end } = first;
    const approx = first.approx;
    // A ratio: 1∶10, 1:4, 1比3 (配比, 师生比); its figure is the whole pair as printed.
    // A clock time (17:30) is no ratio: a ratio starts at 1 or is named one (比, 配比, 配备).
    const ratioLike = num.value === 1 || /比|配备|配置/.test(text.slice(cs, start));
    const ratio = ratioLike && measure === "" && !num.unit && !num.chinese && !num.mag ? /^[∶:：比](\d{1,4}(?:\.\d+)?)(?![\d.])/.exec(text.slice(end, ce)) : null;
    if (ratio) {
      const ratioEnd = end + ratio[0].length;
      const post = POST_RE.exec(text.slice(ratioEnd, ce))?.[0] ?? "";
      const pre = PRE_RE.exec(text.slice(cs, start))?.[0] ?? "";
      next = ratioEnd;
      out.push(tok(start, pre, ratioEnd, ratioEnd + post.length, Number(ratio[1]), Number(ratio[1]), "", "ratio", post, "", false));
      continue;
    }
    let high = num.value;
    // A range: 60%—70%, 2—3年, 两到三年, 1万—2万人.
    RANGE_SEP.lastIndex = end;
    const sep = RANGE_SEP.exec(text);
    if (sep && sep.index === end) {
      const second = figureAt(text, end + sep[0].length, ce);
      const sameScript = second && second.num.chinese === num.chinese;
      const fits = second && (second.measure || second.num.unit) && (!measure || measure === second.measure) && (!num.unit || num.unit === second.num.unit);
      if (second && sameScript && fits && second.num.value > num.value && (!num.mag || num.mag === second.num.mag)) {
        high = second.num.value;
        measure = second.measure;
        num = { ...num, mag: second.num.mag || num.mag, unit: second.num.unit || num.unit };
        end = second.end;
      }
    }
    next = end;
    if (/^[A-Za-z+＋]/.test(text[end] ?? "") || (measure === "" && !num.unit && /^[.．]\d|^版/.test(text.slice(end, end + 2)))) continue;
    if (measure && LABEL_MEASURES.has(measure)) continue;
    // 3月12日 is a day of a month (a date), 30日内 a span of days.
    if (measure === "日" && /月$/.test(text.slice(cs, start))) continue;
    const before = text.slice(cs, start);
    let pre = PRE_RE.exec(before)?.[0] ?? "";
    // 为 ends words too (行为, 作为, 成为): only a lone 为 introduces a value.
    if (pre === "为" && /[行作成认以视称因更较人所]$/.test(before.slice(0, -1))) pre = "";
    let unit = num.unit || (measure ? num.mag + measure : num.mag);
    let kind: MeasureKind = num.unit === "%" ? "percent" : (KIND_OF.get(measure) ?? "number");
    if (!measure && !num.unit) {
      // A bare number is a ratio only right after 缩小到, 控制在 … (and a lone 万/亿 is a count of nothing named).
      const tail = text.slice(end, Math.min(ce, end + 2));
      if (num.chinese || num.mag || !RATIO_PRE.test(pre) || !/^(?:$|以上|左右|以内|以下|[、和])/.test(tail)) continue;
      kind = "ratio";
      unit = "";
    }
    if (measure === "元" || measure === "美元") kind = "money";
    const post = POST_RE.exec(text.slice(end, ce))?.[0] ?? "";
    if (post === "内" && kind !== "duration") {
      out.push(tok(start, pre, end, end, num.value, high, unit, kind, "", approx, num.chinese));
      continue;
    }
    out.push(tok(start, pre, end, end + post.length, num.value, high, unit, kind, post, approx, num.chinese));
  }
  return out;
}

function tok(start: number, pre: string, figureEnd: number, end: number, value: number, high: number, unit: string, kind: MeasureKind, post: string, approx: string, chinese: boolean): Tok {
  const bound: Bound = high !== value ? "range" : (BOUND_OF_POST[post] ?? (approx ? ">" : undefined) ?? BOUND_OF_PRE[pre] ?? "=");
  return { start, preStart: start - pre.length, figureEnd, end, value, high, unit, kind, pre, post, bound, approx, chinese };
}

const CLAUSE_END = /[，,；;。！？!?：:\n]/;
const OPEN_QUOTES = "“‘《「『\"";
const CLOSE_QUOTES = "”’》」』\"";
export { CLOSE_QUOTES };

/**
 * Marks characters inside quoted names (“1+3”, 《…》): numbers there are names, not targets.
 * A quote left open by damaged text ends at the sentence, so it cannot hide the rest of the unit.
 */
export function quoteMask(text: string): boolean[] {
  const mask: boolean[] = new Array<boolean>(text.length).fill(false);
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "。" || c === "\n") depth = 0;
    else if (c === '"') depth = depth > 0 ? depth - 1 : 1;
    else if (OPEN_QUOTES.includes(c)) depth++;
    else if (CLOSE_QUOTES.includes(c)) depth = Math.max(0, depth - 1);
    else mask[i] = depth > 0;
  }
  return mask;
}

/** [start, end) of each clause, cut at ，；。：and line ends that are not inside a quoted name. */
export function clauses(text: string, masked: boolean[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    // A colon between digits is a ratio (1:4), not a clause break.
    const ratioColon = /[:：]/.test(text[i] ?? "") && /\d/.test(text[i - 1] ?? "") && /\d/.test(text[i + 1] ?? "");
    if (i === text.length || (CLAUSE_END.test(text[i]!) && !masked[i] && !ratioColon)) {
      // A line's numbering (第五条　, （1）, ①) is not part of what its first clause says.
      const lead = start === 0 || text[start - 1] === "\n" ? LINE_MARKER_RE.exec(text.slice(start, i))?.[0].length ?? 0 : 0;
      if (i > start + lead) out.push([start + lead, i]);
      start = i + 1;
    }
  }
  return out;
}

/** The numbering a line of an article, an item or a box entry opens with: 第五条　, （1）, ⑵, 1）, ①, 01　. */
const LINE_MARKER_RE = /^(?:第[一二三四五六七八九十百零〇\d]+条|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|[\u2460-\u2487]|\d{1,2}[)）]|0\d(?=[\s\u3000]))[\s\u3000]*/;
