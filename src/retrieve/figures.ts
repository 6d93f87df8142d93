import type { Unit } from "../plan/types.js";
import { toHalfWidth } from "../plan/numerals.js";
import { askedMeasures, askingClause, withoutOwnNumbers, type AnalyzedQuery } from "./query.js";
import { asksPrice } from "./scope.js";
import { charactersInOrder, normalizeText, segmenter } from "./text.js";
import type { Figure, FigureMatch, RetrievedUnit } from "./types.js";

/** A figure must share at least this much informative text with the question to answer it… */
export const FIGURE_MIN_SCORE = 2.5;
/** …in a corpus at least this informative (largest idf); word weights are idfs, so a smaller corpus needs proportionally less. */
const FIGURE_SCORE_IDF = 6;

/** A figure of the best unit covering this share of the question answers however little its words weigh (questions in a plan's own title words). */
export const FIGURE_STRONG_SHARE = 0.6;

/** The score a figure needs to answer, for a corpus whose largest idf is maxIdf (a plan of ten articles loaded alone weighs its words less). */
export function figureMinScore(maxIdf: number): number {
  return FIGURE_MIN_SCORE * Math.min(1, maxIdf / FIGURE_SCORE_IDF);
}
/** …and at least this share of what the question is about. */
const FIGURE_MIN_SHARE = 0.25;

/** Measure words that count the same kind of thing; a target in another class cannot answer. */
const MEASURE_CLASSES: Array<[RegExp, string]> = [
  [/(平方米|平方公里|公顷|亩)$/, "area"],
  [/立方米$/, "volume"],
  [/(公里|千米|km|米)$/i, "length"],
  // People are counted with 个 as often as with 人 (多少个护理员), so they share a class.
  [/[个家所座处只套户人名位台辆张]$/, "count"],
  [/吨$/, "weight"],
  [/(公?斤|千克)$/, "jin"],
  [/(元|块)$/, "money"],
  [/头$/, "head"],
  [/条$/, "chains"],
  [/[项宗]$/, "items"],
  [/(周?岁)$/, "age"],
  // 个工作日, 小时, 学时: spans of time, however counted.
  [/(年|月|周|天|日|小时|分钟|学时)$/, "time"],
  // 多少人次: visits, not people (1.5万人次 is not 6000人).
  [/人次$/, "visits"],
  [/(%|倍)$/, "share"],
];
/** Words that ask rather than name a topic; they never count as the question's most telling word. */
const ASKING_RE = /^((多长)?时间|时候|多久|多长|多大|多高|多远|多重|期限|年份|日期|有关|相关|方面|问题|情况|事情|东西|内容|部分|规定|说法|政策|方案|文件|目标|指标|数字|数据|措施|举措|要求|要点|做法|安排|工作|任务|办法|政府|部门|国家|上面|最低|最高|最多|最少|至少|最长|最短|最大|最小|上限|下限|门槛|条件|分别|人民|多少钱?|几[个年月天次]?|怎么[办样弄]?|咋[办样弄]?|为啥|为什么|是不是|会不会|能不能|可不可以|有没有|要不要|还是|吗|呢|到底|究竟|真的|听说|以后|今后|将来|现在|目前|一般|大概|左右|具体|怎样|哪里|哪儿|哪天|哪年|什么时候|啥时候)$/;

/** A word of one character and a locative (店里, 家中, 村上, 门外). */
const LOCATIVE_RE = /^[\u4e00-\u9fff][里内中上外边旁]$/;
/** A word that says what a rate is per (每顿饭, 每户, 每人次), or one of a thing counted by its measure word (一顿饭, 一碗面, 一趟车). */
const PER_RE = /^(?:每[\u4e00-\u9fff]{1,3}|[一1](?:顿|餐|碗|份|趟|晚|夜|张|瓶|斤)[\u4e00-\u9fff]{0,2})$/;

/** Whether a short word (2–3 characters) abbreviates a term of the text: its characters in order, at most two apart (保额 in 保险金额). */
export function abbreviates(word: string, text: string): boolean {
  if (word.length < 2 || word.length > 3 || !/^[\u4e00-\u9fff]+$/.test(word)) return false;
  return charactersInOrder(word, 1, 2).test(text);
}

/** Whether a word asks (时候, 多少, 情况) rather than names a topic. */
export function isAskingWord(word: string): boolean {
  return ASKING_RE.test(word);
}

/**
 * The question's most telling nouns: those the plans never use, and the rarest one they do use.
 * Places, numbers, generic and asking words are not topics.
 */
export function tellingWords(q: AnalyzedQuery, weights: Map<string, number>): { unseen: string[]; rarest?: string } {
  const places = new Set([...q.places, ...q.localPlaces]);
  const nouns = new Set(q.nouns);
  // 店里, 家中, 村上: one character and where (里, 中, 上) says where the asker is, not what is asked about.
  // 每顿饭, 每户: what a rate is per says how it is counted, not what is asked about.
  const candidates = q.words.filter((w) => w.length >= 2 && nouns.has(w) && !/^[\d.%a-z]+$/.test(w) && !places.has(w) && !ASKING_RE.test(w) && !LOCATIVE_RE.test(w) && !PER_RE.test(w));
  const seen = candidates.filter((w) => weights.has(w)).sort((a, b) => weights.get(b)! - weights.get(a)!);
  return { unseen: candidates.filter((w) => !weights.has(w)), rarest: seen[0] };
}

/**
 * Whether a word the plans do not print whole is made of words they do (粮食产量 where a plan says 粮食…产量):
 * another loaded plan's words can make the segmenter keep it whole, and it is not then a new topic.
 */
export function madeOfSeen(word: string, weights: ReadonlyMap<string, number>): boolean {
  if (word.length < 3) return false;
  const covered = new Array<boolean>(word.length).fill(false);
  for (const piece of weights.keys()) {
    if (piece.length < 2 || piece.length >= word.length) continue;
    for (let i = word.indexOf(piece); i >= 0; i = word.indexOf(piece, i + 1)) covered.fill(true, i, i + piece.length);
  }
  return covered.every(Boolean);
}

/** The class of a measure word (count, area, money, time …); a figure answers only a question of its class. */
export function measureClass(unit: string): string {
  // 亿立方米 is 立方米, 万千瓦 is 千瓦: a scale word does not change what is measured.
  // 6个月内, 30个工作日内: a bound printed with the measure does not change it either.
  const bare = withoutScale(unit.replace(/(?:及以上|及以下|以上|以下|以内|之内|内|左右)$/, ""));
  for (const [re, cls] of MEASURE_CLASSES) if (re.test(bare)) return cls;
  // 1100部 (电梯), 20艘: a count of a kind of its own, which a plain how-many question (几个, how many) also asks.
  const counted = /[部艘架件批支栋幢间床例场轮枚株棵册篇份本瓶罐桶箱袋盒具盏根剂粒趟]$/.exec(bare)?.[0];
  // 几本书 is counted in 册 as the plans print it.
  if (counted) return `count:${counted === "本" ? "册" : counted}`;
  if (bare !== unit) return bare;
  return unit === "" ? "share" : unit;
}
// 元 as a measure (多少元, 万元), not inside a word (多元, 单元).
const MONEY_RE = /钱|(?<![多单二一])元|[奖罚](?=多少|几[百千万])|补(?=多少(?![个人天年月次名项家所座])|几[百千万块])|资金|投资|投入|补贴|补助|津贴|奖励|奖补|奖金|经费|费用|预算|拨款|budget|funding|funds? for|money|yuan|invest|cost|spend|wage|salary|price|fare|\bfees?\b/i;
/** Whether a text speaks of money (补贴, 费用, 多少钱, funding), so that a figure asked of it is in 元. */
export function mentionsMoney(text: string): boolean {
  return MONEY_RE.test(text);
}
/**
 * Money as the denominator of an intensity (万元国内生产总值用水量, 每万元产值能耗): a name, not the measure asked.
 * An amount asked or stated (多少元, 几万元补助, 5万元) has a number or 多少 before it.
 */
const PER_MONEY_RE = /(?<![\d.多几少百千两一二三四五六七八九十])每?[万亿]?元(?=[\u4e00-\u9fff])(?![的以左上下钱吗呢啊呀吧])/g;
/** An asked thing that is a share (比例, 占比, 覆盖率): its figure is a percentage or ratio. */
const SHARE_THING_RE = /比例|比重|占比|份额|率$/;
/** A counted thing that is itself an amount of money (药费, 工资, 房价): its figure is in 元. */
const MONEY_THING_RE = /[费价钱薪款]$|工资$/;

/**
 * Weighted overlap where the plan terms of one everyday phrase count as one: the question's own tokens add
 * their weights, each phrase's terms (and their words) only the heaviest one the text holds (with no text: every token).
 */
function groupedOverlap(q: AnalyzedQuery, weights: Map<string, number>): (norm: string | undefined, keep?: (token: string) => boolean) => number {
  const own = new Set([...q.words, ...q.bigrams]);
  const phraseOf = new Map<string, string>();
  for (const e of q.expansions) {
    for (const term of e.terms) {
      const t = normalizeText(term);
      for (const piece of [t, ...segmenter().cut(t, false)]) if (weights.has(piece) && !own.has(piece) && !phraseOf.has(piece)) phraseOf.set(piece, e.phrase);
    }
  }
  return (norm, keep = () => true) => {
    let sum = 0;
    const best = new Map<string, number>();
    for (const [t, v] of weights) {
      if (!keep(t) || (norm !== undefined && !norm.includes(t))) continue;
      const phrase = phraseOf.get(t);
      if (phrase === undefined) sum += v;
      else best.set(phrase, Math.max(best.get(phrase) ?? 0, v));
    }
    for (const v of best.values()) sum += v;
    return sum;
  };
}

/** How much a figure in the very measure asked outscores others of its class. */
const EXACT_MEASURE = 1.3;
/** How much a figure printed as the bound a question asks (最多 → 最高不超过5万元) outweighs the others. */
const BOUND_FIT = 2;
/** A question that asks an upper bound (最多能补多少, 最高能贷多少, 上限) or a lower one (至少要多少, 最低). */
const UPPER_ASK_RE = /最多|最高|至多|上限|封顶|最大|at most|maximum|\bcap\b|up to/i;
const LOWER_ASK_RE = /至少|最少|最低|下限|起码|at least|minimum/i;
/** A bound printed before a figure in its clause (最高不超过, 不低于), or after it (以内, 以上). */
const UPPER_PRINTED_RE = /(?:最高|不超过|不高于|不多于|上限|封顶|最多|至多)[^，,。；;]{0,12}$/;
const LOWER_PRINTED_RE = /(?:不低于|不少于|至少|最低|下限)[^，,。；;]{0,12}$/;

/** The bound a question asks, if it asks one. */
export function askedBound(text: string): "upper" | "lower" | undefined {
  const upper = UPPER_ASK_RE.test(text);
  const lower = LOWER_ASK_RE.test(text);
  return upper === lower ? undefined : upper ? "upper" : "lower";
}

/** The bound a figure is printed as, read from the words around it in the unit's text. */
function boundOf(text: string, f: Figure): "upper" | "lower" | undefined {
  if (f.index === undefined) return undefined;
  const at = f.index + Math.max(0, f.quote.lastIndexOf(f.figure ?? f.quote));
  const before = text.slice(Math.max(0, at - 24), at);
  const after = text.slice(at + (f.figure ?? "").length, at + (f.figure ?? "").length + 3);
  if (UPPER_PRINTED_RE.test(before) || /^(?:以内|以下)/.test(after) || /(?:以内|以下)$/.test(f.figure ?? "")) return "upper";
  if (LOWER_PRINTED_RE.test(before) || /^以上/.test(after) || /以上$/.test(f.figure ?? "")) return "lower";
  return undefined;
}

/** A measure without its scale word (万人次 → 人次, 亿立方米 → 立方米). */
function withoutScale(unit: string): string {
  return unit.replace(/^(?:百万|千万|万|亿)(?=.)/, "");
}

/** Spellings of one measure: 天 and 日, 个月 and 月, 周岁 and 岁. */
function measureWord(unit: string): string {
  return withoutScale(unit).replace(/^个(?=.)/, "").replace(/工作日$/, "日").replace(/天$/, "日").replace(/^周岁$/, "岁").replace(/^本$/, "册");
}

/** Whether a figure is stated in the measure a question asks in (多少部 and 1100部, 几天 and 15个工作日). */
export function sameMeasure(asked: string, unit: string): boolean {
  const a = measureWord(asked);
  return a.length > 0 && measureWord(unit).endsWith(a);
}

/** Sum of the weights of the tokens a text contains. */
export function weightedOverlap(text: string, weights: Map<string, number>): number {
  return overlapNormalized(normalizeText(text), weights);
}

/** Like {@link weightedOverlap}, for text that is already normalised. */
export function overlapNormalized(norm: string, weights: Map<string, number>): number {
  let s = 0;
  for (const [t, v] of weights) if (norm.includes(t)) s += v;
  return s;
}

/** Whether a figure's measure class is one a question asks for: a plain count (个, how many) takes any count (1100部). */
export function classFits(allowed: ReadonlySet<string>, cls: string): boolean {
  return allowed.has(cls) || (allowed.has("count") && cls.startsWith("count:"));
}

/** The measure classes a question asks for (a question can ask two: 多少个项目、投资多少); empty = any. */
export function askedClasses(q: AnalyzedQuery): Set<string> {
  const allowed = new Set<string>();
  if (q.intent.measure) allowed.add(measureClass(q.intent.measure));
  // "资金分摊方案要公示多长时间": how long is a span of time, whatever money the question names.
  if (q.intent.duration && (!q.intent.measure || measureClass(q.intent.measure) === "time")) return new Set(["time"]);
  // "投资中…的比例不低于多少": a share of an amount of money is a share, not money.
  if (q.askedThing !== undefined && SHARE_THING_RE.test(q.askedThing)) return allowed.add("share");
  // An English question is read in its own words: its Chinese readings (fund → 资金) are guesses.
  // 缴多少保费, 几块钱一盒: a price or a fee is money.
  if ((q.language === "zh" && MONEY_RE.test(q.normalized.replace(PER_MONEY_RE, " "))) || MONEY_RE.test(q.raw.replace(PER_MONEY_RE, " ")) || (q.askedThing !== undefined && MONEY_THING_RE.test(q.askedThing)) || asksPrice(q.raw)) allowed.add("money");
  return allowed;
}

/**
 * Figures of the top units, scored by how much of the question their metric and quote share. A
 * figure answers only when its measure fits what is asked (所/个/人, 元, 亩, %), it covers enough of
 * the question, and a city asked about is the figure's own.
 */
export function matchFigures(q: AnalyzedQuery, top: RetrievedUnit[], deps: { weights: Map<string, number>; figuresOf: (u: Unit) => Figure[]; maxIdf: number; anyMeasure?: boolean; corpusHas?: (text: string) => boolean; ownPlace?: (unit: Unit, place: string) => boolean; leadOf?: (unit: Unit) => string }): FigureMatch[] {
  const { maxIdf } = deps;
  // In a question of several clauses, the clause that asks (…规定要提前多少天告诉我们) says what the figure is about;
  // the others tell the asker's situation (养老院突然说下个月涨价).
  const clause = askingClause(q);
  const inClause = (t: string) => clause!.includes(t) || q.expansions.some((e) => clause!.includes(normalizeText(e.phrase)) && e.terms.some((x) => normalizeText(x).includes(t)));
  // …unless that clause names little of it itself (最多能收多少一度？ after 充电桩服务费会不会乱收).
  const clauseShare = clause ? [...deps.weights].reduce((sum, [t, w]) => sum + (t.length >= 2 && inClause(t) ? w : 0), 0) / Math.max(1e-9, [...deps.weights].reduce((sum, [t, w]) => sum + (t.length >= 2 ? w : 0), 0)) : 0;
  // …or one of the question's most telling words is its own (产假 of 她产假能休多少天, after 我老婆是小学老师，下个月预产期).
  const said = new Set(q.nouns);
  const telling = [...deps.weights].filter(([t]) => t.length >= 2 && said.has(t) && !ASKING_RE.test(t)).sort((a, b) => b[1] - a[1]).slice(0, ASK_TELLING_TOP).map(([t]) => t);
  const ask = clause && (clauseShare >= ASK_CLAUSE_MIN_SHARE || telling.some((t) => clause.includes(t))) ? clause : undefined;
  const inAsk = (t: string) => inClause(t);
  const weights = ask ? new Map([...deps.weights].map(([t, w]) => [t, inAsk(t) ? w : w * SITUATION_WEIGHT] as const)) : deps.weights;
  const allowed = deps.anyMeasure ? new Set<string>() : askedClasses(q);
  const measures = q.language === "zh" ? askedMeasures(withoutOwnNumbers(normalizeText(q.raw))) : [];
  // An everyday phrase's plan terms are alternatives for one thing (保姆 → 家政服务员, 养老护理员): together they weigh
  // as their heaviest, in what the question is about and in what a figure covers.
  const overlap = groupedOverlap(q, weights);
  // What the question is about, without the measure words: the share of it a target's metric covers.
  const topical = overlap(undefined, (t) => !MONEY_RE.test(t));
  // Words the plans never use are part of what is asked (医保 in 医保报销比例): a figure cannot cover them.
  // …unless the figure's sentence spells it out (保额 → 保险金额).
  // …but not a word that names nothing: an adverb the plans never print (突然) asks nothing.
  const minor = new Set(q.minor ?? []);
  // …in what is asked: a story word no plan prints (预产期 of 下个月预产期，产假能休多少天) tells the situation.
  const unseen = q.words.filter((w) => (!ask || inAsk(w)) && !weights.has(w) && !madeOfSeen(w, weights) && !minor.has(w) && !MONEY_RE.test(w) && !ASKING_RE.test(w) && !PER_RE.test(w) && !q.expansions.some((e) => e.phrase.includes(w)));
  const unseenWeight = (w: string) => maxIdf * (w.length >= 2 ? 1 : 0.3);
  // A word no plan uses counts in full wherever it is said: the situation may be what no plan covers.
  const about = topical + unseen.reduce((sum, w) => sum + unseenWeight(w), 0);
  // Only a thing the plans never name rules figures out: a paraphrase of a plan word is left to scoring.
  const thingUnseen = q.askedThing !== undefined && deps.corpusHas !== undefined && !deps.corpusHas(q.askedThing);
  const out: FigureMatch[] = [];
  const bestCoverage = Math.max(0, ...top.slice(0, 3).map((u) => u.coverage));
  // "城市生活垃圾回收利用率要达到多少": a rate of another thing (畜禽粪污综合利用率) does not answer.
  const rateOf = deps.anyMeasure ? undefined : rateModifier(clause ?? normalizeText(q.raw));
  const price = asksPrice(q.raw);
  // The bound asked: of the asking clause, or of a question of one clause (of several, each part asks its own).
  const single = normalizeText(q.raw).split(/[，,？?；;。]/).filter((c) => c.trim()).length === 1;
  const bound = askedBound(clause ?? (single ? normalizeText(q.raw) : ""));
  const beside: FigureMatch[] = [];
  const age = askedAge(q.raw);
  // The lowest age each figure is for (80 for 其中80周岁以上…5元): of a unit's tiers, the highest the asker reaches is theirs.
  const ageFloors = new Map<Figure, number>();
  top.slice(0, 3).forEach((ru, rank) => {
    for (const t of deps.figuresOf(ru.unit)) {
      // "要多少人同意": a share of the people (人数占比三分之二以上, 参与表决人数四分之三以上) answers how many people.
      const shareOfPeople = allowed.has("count") && measureClass(t.unit) === "share" && /分之/.test(t.figure ?? "") && /人数|人员|户数|业主|职工|成员|代表/.test(`${t.metric}${t.quote}`);
      // "参加广交会补助多少": a share of a cost or a fund (按展位费的30%给予补助) answers how much money is given.
      // …but not a share of the very amount asked (最低工资标准是多少钱 ↛ 按最低工资标准的70%给予补贴).
      // …nor a price (猪肉多少钱一斤): what a thing costs is an amount of money, never a share of a grant.
      const shareOfMoney = allowed.has("money") && measureClass(t.unit) === "share" && MONEY_RE.test(t.quote) && !shareOfAsked(q, t) && !price;
      if (allowed.size > 0 && !classFits(allowed, measureClass(t.unit)) && !shareOfPeople && !shareOfMoney) continue;
      // "我今年70岁…每顿饭补贴多少": a figure for 80周岁以上 is not the asker's; the one for 60周岁以上 is.
      if (age !== undefined && t.index !== undefined) {
        // The quote holds its figure's condition when it opens with it (其中80周岁以上老年人…每餐补贴4元).
        const at = t.index + Math.max(0, t.quote.lastIndexOf(t.figure ?? t.quote));
        const fit = ageFit(age, ru.unit.text.slice(Math.max(0, at - AGE_REACH), at));
        if (fit === false) continue;
        if (typeof fit === "number") ageFloors.set(t, fit);
      }
      // "宁波要建多少5G基站", "江北区要建几个": a figure for the whole region does not answer for one city or district
      // (unless the place is just where the asker lives).
      // …unless the place is the plan's own (洛阳 in Luoyang's rules, which say 本市).
      if (!q.narrative && q.localPlaces.some((p) => !ru.unit.text.includes(p) && !(deps.ownPlace?.(ru.unit, p) ?? false))) continue;
      // "第二十三项的目标数字": a unit named by its number answers with its own targets.
      const named = ru.structural && q.structural.length > 0;
      // "专项债额度是多少" where the plans never say 额度: a figure is about something else unless a plan term for it is there.
      const sentence = t.index === undefined ? t.quote : sentenceAround(ru.unit.text, t.index, t.quote.length);
      if (!named && thingUnseen && !namesThing(q, normalizeText(`${t.metric} ${sentence}`))) continue;
      if (!named && rateOf && !sharesBigram(rateOf, normalizeText(`${t.metric} ${leadOf(ru.unit.text, t)}${t.quote}`))) continue;
      // A numbered entry's figure measures what the title it stands under names (硕士研究生每人3万元 under 发放就业安家补贴).
      const own = overlap(normalizeText(`${t.metric} ${t.quote} ${deps.leadOf?.(ru.unit) ?? ""}`));
      // The rest of the figure's sentence says what it is about (…11个城市，…开展国家组织药品集中采购试点): it counts half.
      // …only in a unit at least as much about the question as the others: elsewhere a sentence's other words are noise.
      const context = t.index !== undefined && ru.coverage >= bestCoverage * 0.9;
      const around = context ? overlap(normalizeText(sentence)) : own;
      const spelled = unseen.filter((w) => abbreviates(w, sentence)).reduce((sum, w) => sum + unseenWeight(w), 0);
      const shared = own + spelled + 0.5 * Math.max(0, around - own) + (named ? figureMinScore(maxIdf) : 0);
      // An English word maps to several plan terms, so an English question's share runs lower.
      const minShare = q.language === "en" ? FIGURE_MIN_SHARE / 2 : FIGURE_MIN_SHARE;
      const bounded = bound !== undefined && boundOf(ru.unit.text, t) === bound;
      // "利息能帮着出一部分吗？最多多少？": the bound asked may be stated beside the figure that answers the rest, in its
      // sentence (…按利息的50%给予贴息，…单个主体年度贴息额最高不超过5万元): it is kept if that figure is.
      const weak = !named && about > 0 && shared / about < minShare;
      if (weak && !(bounded && shared / about >= minShare / 2)) continue;
      // Within a class, the very measure asked fits best (多少部 → 1100部 before 500个, 几天 → 4天 before 8小时).
      const exact = measures.some((m) => sameMeasure(m, t.unit)) ? EXACT_MEASURE : 1;
      // "最多多少", "最低要多少": the figure printed as that bound (最高不超过5万元, 不低于3000元) is the one asked.
      const fit = bounded ? BOUND_FIT : 1;
      const score = shared * (ru.structural ? 1.2 : [1, 0.75, 0.55][rank]!) * yearFit(q, t, ru.unit) * exact * fit;
      if (score > 0) (weak ? beside : out).push({ figure: t, unit: ru.unit, score, share: about > 0 ? Math.min(1, shared / about) : 0 });
    }
  });
  // (The whole sentence, to its full stop: the bound is often a clause of its own.)
  const stopBefore = (m: FigureMatch) => (m.figure.index === undefined ? -2 : Math.max(...["。", "！", "？", "\n"].map((c) => m.unit.text.lastIndexOf(c, m.figure.index!))));
  for (const b of beside) if (out.some((o) => o.unit === b.unit && stopBefore(o) === stopBefore(b) && stopBefore(b) !== -2)) out.push(b);
  return ownTier(proseFirst(givenFigures(q, out, deps.figuresOf, allowed).sort((a, b) => b.score - a.score)), ageFloors);
}

/** Of the top unit's figures for age tiers the asker is in (70周岁以上 3元, 80周岁以上 5元, asked at 85), the highest tier's leads. */
function ownTier(matches: FigureMatch[], floors: ReadonlyMap<Figure, number>): FigureMatch[] {
  const top = matches[0];
  if (!top || floors.size < 2) return matches;
  const tiers = matches.filter((m) => m.unit === top.unit && floors.has(m.figure) && measureClass(m.figure.unit) === measureClass(top.figure.unit));
  const own = tiers.sort((a, b) => floors.get(b.figure)! - floors.get(a.figure)!)[0];
  return own && own !== top ? [own, ...matches.filter((m) => m !== own)] : matches;
}

/** The asker's own age (我今年70岁, 老人82岁了), when the question states one. */
function askedAge(raw: string): number | undefined {
  const m = /(\d{1,3})\s*周?岁/.exec(toHalfWidth(raw));
  return m ? Number(m[1]) : undefined;
}

/** How far before a figure an age condition may stand (…的60周岁以上本市户籍老年人，每餐补贴2元). */
const AGE_REACH = 60;
/** An age condition: 80周岁以上, 65岁及以上, 满70周岁, 3周岁以下, 不满6周岁. */
const AGE_COND_RE = /(不满|未满|满)?(\d{1,3})\s*周?岁(及以上|以上|以下|以内|及以下)?/g;

/**
 * Whether the last age condition before a figure, in its sentence, holds for the asker's age: false when
 * it does not, the age it starts from when it is a floor the asker reaches (80周岁以上), true otherwise.
 */
function ageFit(age: number, before: string): boolean | number {
  const clause = before.slice(Math.max(before.lastIndexOf("。"), before.lastIndexOf("！"), before.lastIndexOf("？")) + 1);
  const last = [...toHalfWidth(clause).matchAll(AGE_COND_RE)].at(-1);
  if (!last) return true;
  const n = Number(last[2]);
  const under = /以下|以内/.test(last[3] ?? "") || /不满|未满/.test(last[1] ?? "");
  const over = /以上/.test(last[3] ?? "") || last[1] === "满";
  if (under) return age <= n;
  return over ? (age >= n ? n : false) : true;
}

/** A prose figure scoring at least this share of a table cell's that states the same amount is shown before it. */
const PROSE_SHARE = 0.5;

/**
 * The same amount in the text and in a table (医师数达到6.0名以上 beside an indicator row's 6.0): the text's
 * figure leads, with its bound (以上, 不低于) and its sentence, which a table cell drops.
 */
function proseFirst(matches: FigureMatch[]): FigureMatch[] {
  const top = matches[0];
  if (!top || top.unit.kind !== "row") return matches;
  const amount = amountOf(top.figure);
  if (amount === undefined) return matches;
  const prose = matches.find((m) => m.unit.kind !== "row" && m.score >= top.score * PROSE_SHARE && amountOf(m.figure) === amount && measureClass(m.figure.unit) === measureClass(top.figure.unit));
  return prose ? [prose, ...matches.filter((m) => m !== prose)] : matches;
}

/** The first number of a figure as printed (6.0名以上 → 6), undefined when it prints none. */
function amountOf(f: Figure): number | undefined {
  const m = /\d+(?:\.\d+)?/.exec(toHalfWidth(f.figure ?? f.quote));
  return m ? Number(m[0]) : undefined;
}

/** What a share is of, as printed before it (按照当地最低工资标准的70% → 当地最低工资标准). */
const SHARE_BASE_RE = /([\u4e00-\u9fff]{2,16})的(?:[\d.]+%|百分之|[一二三四五六七八九十]+分之)/;

/** Whether a share is of the amount the question asks (the question names the share's base, 最低工资标准). */
function shareOfAsked(q: AnalyzedQuery, f: Figure): boolean {
  const base = SHARE_BASE_RE.exec(f.quote)?.[1]?.replace(/^(?:按照?|以|当地|本地|同期|上年度?)+/, "");
  if (!base || base.length < 3) return false;
  const asked = normalizeText(q.raw).replace(/\s+/g, "");
  return asked.includes(base) || (base.length >= 4 && asked.includes(base.slice(-4)));
}

/** A question that checks a figure it states (是按50%补助吗, 是不是3年). */
const CHECKING_RE = /吗|是不是|对不对|是否|对吗|没错吧/;
/** A figure said as the case it applies to: 突破5亿美元, 满3年, 超过1000元的. */
const CONDITION_BEFORE_RE = /突破|达到|超过|满|不足|低于|高于|累计|首次|在$/;
const CONDITION_AFTER_RE = /^(?:的|以上|以下|以内|及以上|时|后|之后|左右的)/;

/** A figure as the question would write it: its number and measure, without the bound (不低于, 以上). */
function bareFigure(f: Figure): string | undefined {
  const printed = normalizeText(f.figure ?? "").replace(/^(不低于|不少于|不超过|不高于|超过|达到|约)/, "").replace(/(以上|以下|以内|左右|及以上)$/, "");
  return /\d/.test(printed) && printed.length >= 2 ? printed : undefined;
}

/**
 * A figure the question itself states (首次突破5亿美元，奖励多少) is its condition, not its answer: where the
 * unit has other figures that match, it gives way. And where the unit lists figures respectively
 * (突破1亿美元、5亿美元、10亿美元的企业，分别给予50万元、100万元、200万元), the one in the place of the figure
 * the question states answers, and the others of that list do not.
 */
function givenFigures(q: AnalyzedQuery, matches: FigureMatch[], figuresOf: (u: Unit) => Figure[], allowed: ReadonlySet<string>): FigureMatch[] {
  const question = normalizeText(q.raw).replace(/\s+/g, "");
  // "是按50%补助吗": a question checking a figure asks that very figure.
  if (CHECKING_RE.test(question)) return matches;
  const stated = (f: Figure) => {
    const bare = bareFigure(f);
    if (!bare) return false;
    const at = question.indexOf(bare);
    // 5亿美元 in the question, not 15亿美元 or 5亿美元多; and said as a case (突破5亿美元的, 满3年后), not as a figure.
    if (at < 0 || /[\d.]/.test(question[at - 1] ?? "") || /[\d.]/.test(question[at + bare.length] ?? "")) return false;
    return CONDITION_BEFORE_RE.test(question.slice(Math.max(0, at - 4), at)) || CONDITION_AFTER_RE.test(question.slice(at + bare.length, at + bare.length + 4));
  };
  const units = [...new Set(matches.map((m) => m.unit))];
  // The case may be in another measure than the figure asked (建筑面积达到400平方米的 → 20万元), so every figure of the units counts.
  if (!units.some((u) => figuresOf(u).some(stated))) return matches;
  let out = matches;
  for (const unit of units) {
    const top = Math.max(...matches.filter((m) => m.unit === unit).map((m) => m.score));
    for (const [given, answers] of respectiveLists(unit, figuresOf(unit))) {
      const i = given.findIndex(stated);
      const answer = answers[i];
      if (i < 0 || !answer || (allowed.size > 0 && !classFits(allowed, measureClass(answer.unit)))) continue;
      // The list's other cases and their figures are for other cases.
      out = out.filter((m) => !(m.unit === unit && (answers.includes(m.figure) || given.includes(m.figure))));
      // Quoted by its whole sentence: the figure's own clause (分别给予…50万元、100万元) does not say whose it is.
      const { text: sentence, start } = sentenceOf(unit.text, answer.index!);
      out.push({ figure: { ...answer, quote: sentence, index: start, ...(given[i]!.figure ? { condition: given[i]!.figure } : {}) }, unit, score: top * 1.1, share: 1 });
    }
  }
  // Stated figures give way where other figures of their unit remain.
  return out.filter((m) => !stated(m.figure) || !out.some((o) => o.unit === m.unit && !stated(o.figure)));
}

/** The sentence of a text around an index, without its closing stop, and where it starts. */
function sentenceOf(text: string, index: number): { text: string; start: number } {
  const { start, end } = sentenceSpan(text, index);
  return { text: text.slice(start, end), start };
}

/**
 * Figures a unit lists respectively: a run of two or more numbers joined only by 、/和/及/或, and after 分别 in
 * the same sentence a run as long; pairs of (the cases, the figures given for each).
 */
function respectiveLists(unit: Unit, figures: Figure[]): Array<[Figure[], Figure[]]> {
  const text = unit.text;
  // Each figure at its number's own place (its quote is its whole clause).
  const placed = figures
    .filter((f) => f.index !== undefined && f.figure)
    .map((f) => ({ f, at: text.indexOf(f.figure!, f.index!) }))
    .filter((x) => x.at >= 0)
    .sort((a, b) => a.at - b.at);
  const out: Array<[Figure[], Figure[]]> = [];
  for (const m of text.matchAll(/分别/g)) {
    const { text: sentence, start } = sentenceOf(text, m.index);
    const end = start + sentence.length;
    const runs = (from: number, to: number): Figure[][] => {
      const groups: Array<Array<{ f: Figure; at: number }>> = [];
      for (const x of placed.filter((p) => p.at >= from && p.at + p.f.figure!.length <= to)) {
        const last = groups.at(-1)?.at(-1);
        const gap = last ? text.slice(last.at + last.f.figure!.length, x.at).replace(/\s/g, "") : undefined;
        if (last && gap !== undefined && /^(?:、|和|及|或)$/.test(gap)) groups.at(-1)!.push(x);
        else groups.push([x]);
      }
      return groups.filter((g) => g.length >= 2).map((g) => g.map((x) => x.f));
    };
    const before = runs(start, m.index).at(-1);
    const after = runs(m.index, end)[0];
    if (before && after && before.length === after.length) out.push([before, after]);
  }
  return out;
}

/** The year a unit's heading is, when the heading is only a year (2. 2028年。…, 2027年度). */
export function headingYear(heading: string): number | undefined {
  const m = /^((?:19|20)\d{2})年?度?$/.exec(heading.replace(/[。.\s]/g, ""));
  return m ? Number(m[1]) : undefined;
}

/**
 * How well a figure's year fits the question's: "2030年要到多少" prefers the 2030 column (2030年：95) or clause
 * over the 2025 one (2025年：82), read from the words just before the figure.
 */
function yearFit(q: AnalyzedQuery, f: Figure, unit?: Unit): number {
  if (q.years.length === 0) return 1;
  const printed = f.figure ?? "";
  const at = printed ? f.quote.lastIndexOf(printed) : -1;
  const lead = at >= 0 ? f.quote.slice(Math.max(0, at - 10), at) : f.quote.slice(-16);
  const years = [...lead.matchAll(/(?:19|20)\d{2}/g)].map((m) => Number(m[0]));
  if (years.length > 0) return years.some((y) => q.years.includes(y)) ? 1.2 : 0.7;
  // A unit titled by its year (2. 2028年。新开工改造…) states that year's figures.
  const titled = unit ? headingYear(unit.heading) : undefined;
  if (titled !== undefined) return q.years.includes(titled) ? 1.2 : 0.7;
  // A span of years at the head of the figure's sentence (2027—2029年，全省…6000个) is not one year of it.
  const sentence = unit && f.index !== undefined ? sentenceAround(unit.text, f.index, f.quote.length) : f.quote;
  const span = /((?:19|20)\d{2})\s*[—–~～至-]\s*((?:19|20)\d{2})/.exec(sentence);
  if (span && q.years.every((y) => y >= Number(span[1]) && y <= Number(span[2])) && !q.years.some((y) => sentence.includes(`${y}年`) && !span[0].includes(String(y)))) return 0.85;
  return 1;
}

/** A rate, share or proportion a question asks for, and the words before it that say whose it is. */
const RATE_RE = /([\u4e00-\u9fff]{3,18}?)((?<![功频])率|比例|占比|比重)(?=要|是|将|会|应|能|可|达到|提高|提升|降低|下降|控制|不低于|不超过|多少|为|有|在|到|[？?，,]|$)/;
/** Characters a noun phrase does not run across (到2020年城市… → 城市…; 学校里的…). */
const PHRASE_BREAK_RE = /.*[年的里中在把对让将要]/;

/**
 * The word naming whose rate or share a question asks (城市生活垃圾回收利用率 → 垃圾, 新能源车占比 → 新能源车), without
 * the verbs that say what is measured (回收, 利用, 覆盖); undefined when the question names nothing before it.
 */
export function rateModifier(text: string): string | undefined {
  const m = RATE_RE.exec(text);
  if (!m) return undefined;
  // 城市生活垃圾回收利用 is whose rate and how measured: 利用 and 回收 are shared by other things' rates (地膜回收率).
  const tagged = segmenter().tag(m[1]!.replace(PHRASE_BREAK_RE, ""), false);
  // A rate's last word says what is measured (利用率, 覆盖率, 城镇化率); a share (占比, 比例) follows its thing.
  if (m[2] === "率") {
    if (tagged.length < 2) return undefined;
    tagged.pop();
  }
  while (tagged.length > 1 && /^v/.test(tagged[tagged.length - 1]!.tag)) tagged.pop();
  // The thing itself is the phrase's last word (垃圾 of 城市生活垃圾; 流浪犬 of 城区流浪犬): a place before it (城区) is shared by others.
  const last = tagged[tagged.length - 1]?.word ?? "";
  const head = last.length >= 2 ? last : (tagged[tagged.length - 2]?.word ?? "") + last;
  return head.length >= 2 ? head : undefined;
}

/** Whether two texts share a two-character stretch (新能源车 and 新能源汽车 share 新能). */
function sharesBigram(words: string, text: string): boolean {
  for (let i = 0; i + 2 <= words.length; i++) if (text.includes(words.slice(i, i + 2))) return true;
  return false;
}

/** The few characters of a unit's text just before a figure's quote (where the quote's subject often is). */
function leadOf(text: string, f: Figure): string {
  return f.index === undefined ? "" : text.slice(Math.max(0, f.index - 16), f.index);
}

/** How much the words of a question's other clauses (the asker's situation) count beside its asking clause. */
const SITUATION_WEIGHT = 0.3;
/** The asking clause must hold this share of the question's word weight to stand for what is asked. */
const ASK_CLAUSE_MIN_SHARE = 0.3;
/** …or hold one of the question's this many rarest words. */
const ASK_TELLING_TOP = 2;

/** Whether a figure's text names the thing a how-many question asks about, or a plan term an everyday phrase for it maps to. */
function namesThing(q: AnalyzedQuery, text: string): boolean {
  const thing = q.askedThing!;
  if (text.includes(thing) || abbreviates(thing, text)) return true;
  return q.expansions.some((e) => e.phrase.includes(thing) && e.terms.some((t) => text.includes(normalizeText(t))));
}

/** The sentence of a text that holds the span at index (sentences end at 。；！？ or a line break). */
export function sentenceAround(text: string, index: number, length: number): string {
  const { start, end } = sentenceSpan(text, index, length);
  return text.slice(start, end < text.length ? end + 1 : end);
}

/** Where the sentence holding text[index, index + length) starts, and where its closing stop is (or the text ends). */
function sentenceSpan(text: string, index: number, length = 0): { start: number; end: number } {
  let start = 0;
  for (let i = index - 1; i >= 0; i--) if (SENTENCE_STOPS.includes(text[i]!)) { start = i + 1; break; }
  const ends = /[。；;！？!?\n]/g;
  ends.lastIndex = index + length;
  const m = ends.exec(text);
  return { start, end: m ? m.index : text.length };
}
const SENTENCE_STOPS = "。；;！？!?\n";

/**
 * The figures of the kind asked for in the best units, nearest to the question first: what a
 * `closest` answer offers when no figure clearly answers.
 */
export function nearFigures(q: AnalyzedQuery, top: RetrievedUnit[], deps: { weights: Map<string, number>; figuresOf: (u: Unit) => Figure[] }): FigureMatch[] {
  const allowed = askedClasses(q);
  const out: FigureMatch[] = [];
  // The best unit's own figures: a figure of another unit is not "close" to what was asked.
  top.slice(0, 1).forEach((ru, rank) => {
    for (const t of deps.figuresOf(ru.unit)) {
      if (allowed.size > 0 && !classFits(allowed, measureClass(t.unit))) continue;
      out.push({ figure: t, unit: ru.unit, score: (weightedOverlap(`${t.metric} ${t.quote}`, deps.weights) + 0.01) * (rank === 0 ? 1 : 0.6) });
    }
  });
  return out.sort((a, b) => b.score - a.score);
}

/** The clauses of a text (split at ，；。！？ and line breaks): where each starts and ends, and which sentence it is in. */
function clausesOf(text: string): Array<{ start: number; end: number; text: string; sentence: number }> {
  const out: Array<{ start: number; end: number; text: string; sentence: number }> = [];
  let start = 0;
  let sentence = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (i === text.length || "，,；;。！？!?\n".includes(ch!)) {
      if (i > start) out.push({ start, end: i, text: text.slice(start, i), sentence });
      if (ch === undefined || "。！？!?\n".includes(ch)) sentence++;
      start = i + 1;
    }
  }
  return out;
}

/** Below this share of the best clause's weight, a clause is not about the question. */
const TOPICAL_CLAUSE_SHARE = 0.5;
/** The best clause must hold at least this share of the question's topic weight. */
const TOPICAL_MIN_SHARE = 0.3;

/**
 * The figures of the kind asked that the top units state where they speak of the question's topic:
 * those in the clauses that share the most informative words with the question. Empty means the
 * plans mention the topic but never state such a figure for it (高标准农田 … 投多少钱: 78万亩 is
 * area, and no clause about it names money).
 */
export function statedFigures(q: AnalyzedQuery, top: RetrievedUnit[], deps: { weights: Map<string, number>; figuresOf: (u: Unit) => Figure[]; anyMeasure?: boolean }): FigureMatch[] {
  const allowed = deps.anyMeasure ? new Set<string>() : askedClasses(q);
  // The topic alone: asking words (多少, 目标, 时间) and money words say what kind of answer, not what about.
  const topic = new Map([...deps.weights].filter(([t]) => t.length >= 2 && !ASKING_RE.test(t) && !MONEY_RE.test(t)));
  // A clause is about the topic only when it holds a word of the question or a whole plan term for one:
  // a piece of a term (服务 of 接网服务) also names unrelated things (养老服务).
  const anchors = [...q.words.filter((w) => w.length >= 2 && !ASKING_RE.test(w)), ...q.expansions.flatMap((e) => e.terms.map((t) => normalizeText(t)))];
  const scored = top.slice(0, 3).flatMap((ru) => clausesOf(ru.unit.text).map((c) => {
    const norm = normalizeText(c.text);
    return { ru, c, score: anchors.some((a) => norm.includes(a)) ? overlapNormalized(norm, topic) : 0 };
  }));
  const best = Math.max(0, ...scored.map((s) => s.score));
  // The best clause must carry a fair part of the topic: one shared common word (国家, 包括) is no topic.
  let total = 0;
  for (const v of topic.values()) total += v;
  if (best <= 0 || best < TOPICAL_MIN_SHARE * total) return [];
  const out: FigureMatch[] = [];
  scored.forEach(({ ru, c, score }, i) => {
    if (score < best * TOPICAL_CLAUSE_SHARE) return;
    // "经过5—10年左右时间，职业教育基本完成…转变": a figure often sits in the clause just before or after its topic.
    const near = (o: (typeof scored)[number] | undefined) => (o && o.ru === ru && o.c.sentence === c.sentence ? o.c : c);
    const [before, after] = [near(scored[i - 1]), near(scored[i + 1])];
    const [start, end] = [before.start, after.end];
    for (const f of deps.figuresOf(ru.unit)) {
      if (allowed.size > 0 && !classFits(allowed, measureClass(f.unit))) continue;
      if (f.index === undefined || f.index >= end || f.index + f.quote.length <= start) continue;
      out.push({ figure: f, unit: ru.unit, score });
    }
  });
  return [...new Map(out.sort((a, b) => b.score - a.score).map((m) => [`${m.unit.doc}|${m.unit.ref}|${m.figure.quote}`, m])).values()];
}
