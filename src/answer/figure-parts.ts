/**
 * Questions that ask several figures at once ("重点项目实施多少个、年度投资多少亿", "…配套率和…利用率各是多少",
 * "专业目录几年修一次？教材又是几年修一次？"): each part gets the figure that answers it.
 */
import type { Unit } from "../plan/types.js";
import type { Figure, FigureMatch } from "../retrieve/types.js";
import { measureClass, mentionsMoney, sameMeasure, sentenceAround } from "../retrieve/figures.js";
import { askedMeasure, QUANTITY_RE } from "../retrieve/query.js";
import { normalizeText } from "../retrieve/text.js";

/** Clause breaks, and joints between two asked things when the question asks for each (各是, 分别), or either (或多大). */
const CLAUSE_RE = /[，,、？?；;。]|(?:还有|以及|另外|或者|或(?=多|几))/;
const EACH_RE = /各是|各为|各自|分别/;
/** A Han digit before a measure word (修一次, 两年), written as the plans print counts (1次, 2年). */
const HAN_COUNT_RE = /([一二两三四五六七八九十])(?=[次年个项条家所人天月倍])/g;
const HAN_DIGITS: Record<string, string> = { 一: "1", 二: "2", 两: "2", 三: "3", 四: "4", 五: "5", 六: "6", 七: "7", 八: "8", 九: "9", 十: "10" };

/** A part that asks how long (能借多久, 最多能领多久): a figure of time answers it. */
const DURATION_ASK_RE = /多久|多长时间|多长/;
/** The words of a part that only ask (多少, 几, 多久), not what is measured (比例, 覆盖率, 数量 stay). */
const ASK_WORD_RE = /多少|百分之几|几|多大|多高|多长时间|多长|多快|多远|多久/g;

/** An ask and the measure word after it, before the noun it counts (多少个避灾…, 几所学校). */
const COUNTED_NOUN_RE = /(?:多少|几)[个名家所座条项辆台部批只头亩张间套户处件栋](?=\p{Script=Han})/gu;

/** A part that asks a date (从哪年起, 什么时候前): its answer is among the unit's dates. */
const DATE_ASK_RE = /哪一?年|什么时候|(?<!任)何时|几月|哪个月|什么时间|时间节点|截止/;

/** "…标准是多少？老小区呢？": a clause that asks the same about another thing. */
const FOLLOW_ON_RE = /^(.{2,12})呢$/;

/** The parts of a question that each ask for a figure or a date; one part or none when it asks one. */
export function figureParts(question: string): string[] {
  const q = normalizeText(question);
  // "配套率、利用率分别要达到多少": each thing listed before 分别 (各是) is asked, however the list is joined.
  const each = EACH_RE.exec(q);
  if (each) {
    // "秸秆、畜禽粪污、地膜这三个农业指标到2020年分别…": what follows the list (这三个…, a year) is said of every item.
    const clause = (q.slice(0, each.index).split(/[，,？?；;。]/).pop() ?? "")
      .replace(/(?:这|那)[一二两三四五六七八九十几\d]*[个项类种条方面].*$/, "")
      .replace(/(?:到|在|至)?(?:19|20)\d{2}年(?:底|末)?(?:前)?/g, "");
    const listed = clause.replace(/的?(目标|指标)?$/, "").split(/、|和|与|及/).map((p) => p.trim()).filter((p) => p.length >= 2);
    if (listed.length >= 2) return listed;
  }
  const asking = q
    .split(CLAUSE_RE)
    .map((p) => p.trim())
    .flatMap((p) => (EACH_RE.test(p) ? p.replace(/的?(目标|指标)?(各是|各为|各自|分别)(是|为|达到)?(多少|几)?.*$/, "").split(/和|与|及/) : asksFigure(p) || DATE_ASK_RE.test(p) || DURATION_ASK_RE.test(p) || FOLLOW_ON_RE.test(p) ? [p] : []))
    .filter((p) => p.length >= 2);
  // A question that asks one figure and, beside it, a date is two parts; one that asks only dates is a date question.
  return asking.length >= 2 && asking.some((p) => asksFigure(p) || EACH_RE.test(q)) ? asking : [];
}

/**
 * An English question asking several figures ("How many projects and how much investment…", "…700万台, and what share
 * should be DC fast chargers?"), written as the Chinese parts {@link figureParts} reads: each part's plan terms (read by
 * `read`) and its ask in Chinese (多少, 比例多少, 多久, 什么时候). Undefined when it asks one figure.
 */
export function englishFigureParts(question: string, read: (part: string) => string[]): string | undefined {
  const parts = question.split(EN_PART_RE).map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length < 2) return undefined;
  // A part none of whose words the plans' terms read would match any figure: the question is then read as one ask.
  const asks = parts.map((p) => {
    const ask = EN_ASKS.find(([re]) => re.test(p))?.[1];
    const terms = read(p);
    return ask && terms.length > 0 ? `${terms.join("、")}${ask}` : undefined;
  });
  return asks.every((a) => a !== undefined) ? asks.join("？") : undefined;
}

/** Where an English question asks its next figure: "… and how much …", ", and what share …", "?  How long …". */
const EN_PART_RE = /\s*[,;?]\s*(?:and\s+)?(?=(?:how|what|when|by when)\b)|\s+and\s+(?=(?:how\s+(?:many|much|long|often|far|big|large|high)|what\s+(?:share|percentage|proportion|rate|ratio|amount|level|is|are)|by\s+when|when)\b)/i;
/** Each English ask, in the Chinese figureParts reads: a share, a span of time, a date, an amount of money, a count. */
const EN_ASKS: Array<[RegExp, string]> = [
  [/\b(?:share|percentage|percent|proportion|ratio)\b|\brate\b/i, "比例多少"],
  [/\bhow long\b|\bhow many (?:years|months|days|weeks)\b/i, "多久"],
  [/\bwhen\b|\bwhat (?:year|date|month)\b|\bdeadline\b/i, "什么时候"],
  [/\bhow much\b.*\b(?:money|fund|funds|funding|subsid\w*|invest\w*|budget|yuan|cost|spend\w*|pay\w*|grant|award|reward)\b|\b(?:money|fund|funds|funding|subsid\w*|invest\w*|budget|yuan|cost)\b.*\bhow much\b/i, "资金多少"],
  [/\bhow (?:many|much|often|far|big|large|high)\b|\bwhat (?:is|are) the (?:number|amount|target|level)\b/i, "多少"],
];

/** A part's figure in the unit the part before it was answered from is taken when it scores this share of the best. */
const SAME_UNIT_MARGIN = 0.75;
/** How much a part's match in the first, second and third unit counts. */
const UNIT_RANK_WEIGHT = [1, 0.85, 0.7];
/** How much more a follow-on's own word counts than a word of the part before it. */
const FOLLOW_ON_OWN = 4;

/** The text of a figure's sentence before its quote. */
function leadOf(text: string, f: Figure): string {
  if (f.index === undefined) return "";
  const sentence = sentenceAround(text, f.index, f.quote.length);
  return sentence.slice(0, Math.max(0, sentence.indexOf(f.quote)));
}

/**
 * A figure's quote with its number read as the question reads its ask: the measure alone (可容纳18.6万人 → 可容纳人,
 * as 能容纳多少人 → 能容纳人), so that the words on either side of the number make a pair as they do in the question.
 */
function asWords(f: Figure): string {
  const at = f.figure ? f.quote.indexOf(f.figure) : -1;
  if (at < 0 || !f.figure!.endsWith(f.unit) || !f.unit) return f.quote;
  // Only a figure that ends its clause (可容纳18.6万人，): before a noun (建有1个标准化场所) its measure counts the noun.
  const after = f.quote.slice(at + f.figure!.length);
  if (/^\p{Script=Han}/u.test(after)) return f.quote;
  return `${f.quote.slice(0, at)}${f.unit.replace(/^(?:百万|千万|万|亿)(?=.)/, "")} ${after}`;
}

/** Whether a part asks a figure: 多少, 几个, or any measure asked (几本, 多少册). */
function asksFigure(part: string): boolean {
  return QUANTITY_RE.test(part) || STANDARD_ASK_RE.test(part) || askedMeasure(part) !== undefined;
}

/** "运营补贴按什么标准给": the standard of a payment is an amount. */
const STANDARD_ASK_RE = /(?:按|以|是)?(?:什么|啥|哪个)标准|标准是什么/;

/** Ways of saying one thing a part may ask of a figure: its period (一年, 全年, 每年) and its bound (最多, 不超过, 封顶). */
const SAME_SENSE: Array<[RegExp, string]> = [
  [/全年|每年|一年|年度/g, "年度"],
  [/最多|最高|不超过|不高于|上限|封顶/g, "上限"],
  [/至少|最低|不低于|不少于|下限/g, "下限"],
];

/** The measure class a part asks in: its measure word's, or money (罚多少, 补多少钱) or time (期限多长, 多久). */
function partClass(part: string, measure: string | undefined): string | undefined {
  if (measure) return measureClass(measure);
  // What the part asks decides before what it speaks of: 购房补贴…多久内申请 asks a time, 占比要达到多少 a share.
  if (/多久|多长时间|期限|时限|几天|几年|几个月/.test(part)) return "time";
  if (/占比|比例|比重|百分之几|几成/.test(part)) return "share";
  // A loan asked for (最高能贷到多少) is an amount of money.
  if (mentionsMoney(part) || /罚|奖(?=多少|几)|[能可]贷|贷到|贷多少/.test(part)) return "money";
  return undefined;
}

function bigrams(text: string): Set<string> {
  const canonical = SAME_SENSE.reduce((t, [re, to]) => t.replace(re, to), text);
  const chars = [...canonical.replace(HAN_COUNT_RE, (d) => HAN_DIGITS[d] ?? d).replace(/[^\p{Script=Han}A-Za-z0-9]/gu, "")];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * For each part of a question that asks several figures, the figure of the given units that
 * shares the most of its words (two bigrams at least) and is in the measure it asks for.
 */
export function figuresForParts(question: string, units: Unit[], figuresOf: (u: Unit) => Figure[], datesOf: (u: Unit) => Figure[] = () => []): FigureMatch[] {
  const parts = figureParts(question);
  const out: FigureMatch[] = [];
  // (A measure between the ask and a noun, 多少个避灾安置场所, counts the noun; at the end, 能容纳多少人, it is what is measured.)
  const asked = (part: string) => bigrams(part.replace(COUNTED_NOUN_RE, " ").replace(ASK_WORD_RE, " ").replace(new RegExp(DATE_ASK_RE.source, "g"), " "));
  const candidates: FigureMatch[][] = [];
  // "每部补助多少钱？市级出多少？": a part that names no measure asks in the one the part before it asked in.
  let previousClass: string | undefined;
  for (const [i, raw] of parts.entries()) {
    // "老小区呢": the thing is its own, the rest (what is measured, in what) is the part before it.
    const followOn = i > 0 ? FOLLOW_ON_RE.exec(raw)?.[1] : undefined;
    const part = followOn ? parts[i - 1]! : raw;
    const dated = DATE_ASK_RE.test(part) && !QUANTITY_RE.test(part);
    const measure = dated ? undefined : askedMeasure(part);
    const context = followOn ? asked(part) : new Set<string>();
    // A follow-on is told apart by its own words: those the part before it also says (创业 of 合伙创业 after 创业担保贷款) tell nothing.
    const fresh = followOn ? new Set([...bigrams(followOn)].filter((b) => !context.has(b))) : new Set<string>();
    const own = followOn ? (fresh.size > 0 ? fresh : bigrams(followOn)) : asked(part);
    const found: FigureMatch[] = [];
    // A part that asks in a class of measure (最高能贷到多少 asks money) is answered by a figure of that class.
    const cls = dated ? undefined : partClass(part, measure);
    for (const [rank, unit] of units.entries()) {
      for (const f of dated ? datesOf(unit) : figuresOf(unit)) {
        if (measure && !(f.unit.includes(measure) || (f.figure ?? "").includes(measure) || sameMeasure(measure, f.unit))) continue;
        if (!measure && cls && measureClass(f.unit) !== cls && !(cls === "money" && measureClass(f.unit) === "share" && mentionsMoney(f.quote))) continue;
        // "合伙创业的呢": the case may open the figure's sentence (合伙创业或组织起来共同创业的，贷款额度…最高300万元),
        // not its clause; what comes before the figure in its sentence says whose it is.
        // For any part, the clause just before the quote may say what it measures (双职工缴存家庭的最高可贷额度，二孩家庭由70万元提高到84万元);
        // it counts half of what the figure's own clause says, which tells two figures of one sentence apart.
        const lead = leadOf(unit.text, f);
        const about = bigrams(`${f.metric} ${asWords(f)} ${followOn ? lead : ""}`);
        const before = followOn ? new Set<string>() : bigrams(lead.split(/[，,；;：:]/).slice(-2).join(""));
        let shared = 0;
        let near = 0;
        for (const b of own) if (about.has(b)) shared++;
        else if (before.has(b)) near++;
        // A follow-on's own words outweigh the words it shares with the part before it.
        // The best-ranked unit is the likelier place of an answer (as in figure matching).
        let score = (followOn ? FOLLOW_ON_OWN * shared : shared + 0.5 * near) * (UNIT_RANK_WEIGHT[rank] ?? UNIT_RANK_WEIGHT.at(-1)!);
        shared += near;
        if (followOn) for (const b of context) if (about.has(b)) score += 0.5;
        // A part of one word (秸秆) shares what it has: its one pair of characters.
        if (shared >= (followOn ? 1 : Math.min(2, own.size))) found.push({ figure: f, unit, score });
      }
    }
    // "个人会被罚多少？补办期限多长": a part whose words the figure's clause does not repeat still asks in a measure
    // (a fine is money, a 期限 is time): the best unit's figure of that measure answers it.
    if (found.length === 0 && !followOn && units[0]) {
      // …the one of them that shares most with the part (每个奖多少 → 给予每个10万元奖励), else the first.
      const cls = partClass(part, measure) ?? previousClass;
      const ofClass = cls ? (dated ? datesOf(units[0]) : figuresOf(units[0])).filter((f) => measureClass(f.unit) === cls) : [];
      // (Pairs of characters first, then single ones: 能借多久 → 借期30天.)
      const chars = new Set([...part.replace(ASK_WORD_RE, "")].filter((c) => /\p{Script=Han}/u.test(c)));
      const overlap = (f: Figure) => {
        const text = `${f.metric} ${f.quote}`;
        return 100 * [...own].filter((b) => bigrams(text).has(b)).length + [...chars].filter((c) => text.includes(c)).length;
      };
      const fallback = ofClass.reduce<Figure | undefined>((best, f) => (best === undefined || overlap(f) > overlap(best) ? f : best), undefined);
      if (fallback) found.push({ figure: fallback, unit: units[0], score: 0.5 });
    }
    previousClass = partClass(part, measure) ?? previousClass;
    candidates.push(found.sort((a, b) => b.score - a.score));
  }
  // Things listed together are asked in one measure (三个指标分别…): a tie goes to the measure the other parts are answered in.
  const tops = candidates.map((c) => c.filter((m) => m.score === c[0]?.score));
  const counts = new Map<string, number>();
  for (const t of tops) if (t.length === 1) counts.set(t[0]!.figure.unit, (counts.get(t[0]!.figure.unit) ?? 0) + 1);
  const usual = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  // …and one that ties between units goes to the unit the part before it was answered from (新建多少亩？亩均投入不低于多少？).
  // (Near a tie, too: 单个农场最多补多少 after 按投资额的多少补 is the same 农场's cap, not another unit's.)
  for (const [i, top] of tops.entries()) {
    const fresh = top.filter((m) => !out.some((o) => o.figure.quote === m.figure.quote));
    const previous = out.at(-1)?.unit;
    const close = candidates[i]!.filter((m) => m.unit === previous && m.score >= (candidates[i]![0]?.score ?? 0) * SAME_UNIT_MARGIN && !out.some((o) => o.figure.quote === m.figure.quote));
    const pick = fresh.find((m) => m.unit === previous && m.figure.unit === usual) ?? close[0] ?? fresh.find((m) => m.figure.unit === usual) ?? fresh[0];
    if (pick) out.push(pick);
  }
  return out;
}
