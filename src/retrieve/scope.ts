import type { PlanDocument } from "../plan/types.js";
import { normalizeText } from "./text.js";

/**
 * What one plan covers, read from the plan itself: the years its text names, the region its
 * issuer governs, and its whole text (to check a name the question gives).
 */
export interface PlanScope {
  doc: string;
  /** The plan's short name (千万工程方案). */
  name: string;
  /** Every year the plan's text names (its own year, target years, the notice's date). */
  years: Set<number>;
  /** The years its title names (四川省2027年…方案 → 2027): the plan is that year's. */
  ownYears: Set<number>;
  /** The province or city whose government issued it (浙江); undefined for a national plan. */
  region?: string;
  /** Its issuers' names and its title, normalised: a place named there is the plan's own (江北区人民政府 → 江北). */
  home: string;
  /**
   * The place the plan is for, as a question names it: its issuers' region, else the place its title opens with, down to a
   * district or county (《株洲市…》政策解读 → 株洲, 东海区2027年…方案 → 东海区). It points questions to the plan; unlike the
   * region, it never rules a place out.
   */
  place?: string;
  /** The plan's whole text, normalised. */
  text: string;
}

/**
 * An issuer that governs a region: 中共浙江省委, 浙江省人民政府, 上海市人民政府, 广西壮族自治区人民政府, and a
 * department of a region's government (宁波市卫生健康委员会, 江西省水利厅, 安徽省住房城乡建设厅), whose plan is that
 * region's too; not a national body (国家市场监督管理总局).
 */
const REGIONAL_ISSUER_RE = /^(?:中共)?(?!国家)(.{2,4}?)(?:省|市(?!场)|县|自治区|壮族自治区|回族自治区|维吾尔自治区)(?:委|人民政府|政府|委员会|办公厅|[\u4e00-\u9fff]{1,10}(?:局|厅|委员会|委|办公室))/;
/** A title that opens with its province (湖南省医疗保障局2027年工作要点, 山西省乡村医疗…方案): the plan is that province's. */
const PROVINCE_TITLE_RE = /^(?!国家)(.{2,3}?)(?:省|壮族自治区|回族自治区|维吾尔自治区|自治区)/;

/** A title opening with the place it is for (《株洲市…》, 汉寿县2027年…, 东海区…): the place, a county's or district's with its ending. */
const PLACE_TITLE_RE = /^《?(?!国家|全国|全省|全市|中共)([\u4e00-\u9fff]{2,4}?)(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|自治州|县|区|旗)(?![级域内外属场])/;
/** Words a title may open with that name no place (中心城区, 经济开发区, 新城区). */
const NOT_PLACE_RE = /^(?:中心|城|新城|老城|主城|开发|经济|高新|示范|试点|重点|各|本|我)/;

/** The place a plan is for (see {@link PlanScope.place}). */
export function planPlace(meta: { issuers: readonly string[]; title: string }): string | undefined {
  const region = issuerRegion(meta.issuers);
  if (region) return region;
  // A district's or county's office (东海区教育局); a title only where no issuer is printed (a 国务院 plan's title names no place).
  for (const name of meta.issuers.length > 0 ? meta.issuers : [meta.title]) {
    const m = PLACE_TITLE_RE.exec(name.trim());
    if (!m || NOT_PLACE_RE.test(m[1]!)) continue;
    // A province or city is named without its ending (株洲, 广东); a county or district keeps it (东海区), its bare name being too short a word.
    return /^(?:县|区|旗)$/.test(m[2]!) ? `${m[1]}${m[2]}` : m[1];
  }
  return undefined;
}

/** The region a plan's issuers govern (中共浙江省委 → 浙江, 禾丰县人民政府 → 禾丰); undefined when they are national (国务院). */
export function issuerRegion(issuers: readonly string[]): string | undefined {
  return issuers.map((i) => REGIONAL_ISSUER_RE.exec(i)?.[1]).find((r) => r !== undefined);
}

/** The region a plan is shown with: its issuers', or where no issuer is printed, the province its title opens with. */
export function planRegion(meta: { issuers: readonly string[]; title: string }): string | undefined {
  return meta.issuers.length > 0 ? issuerRegion(meta.issuers) : PROVINCE_TITLE_RE.exec(meta.title)?.[1];
}

/** Reads each plan's scope once: its years, its issuer's region and its text. */
export function planScopes(docs: readonly PlanDocument[]): Map<string, PlanScope> {
  const out = new Map<string, PlanScope>();
  for (const d of docs) {
    const text = normalizeText([d.meta.title, d.meta.noticeTitle ?? "", ...d.units.map((u) => u.text)].join("\n"));
    // A year inside another document's title (《健康山东行动（2023—2030年）》) is that document's, not one this plan speaks for.
    // …but the plan's own title, quoted so in its notice, keeps its years.
    const ownText = text.replace(/《[^《》]{0,80}》/g, "");
    const ownYears = yearsIn(d.meta.title);
    const years = new Set([...yearsIn(ownText), ...ownYears]);
    // The issuers' region only: a title's province (no issuer printed) names the plan in a list, but is too weak to rule places out.
    const region = issuerRegion(d.meta.issuers);
    const home = normalizeText([d.meta.title, ...d.meta.issuers].join(" "));
    const place = planPlace(d.meta);
    out.set(d.id, { doc: d.id, name: d.meta.shortName, years, ownYears, ...(region ? { region } : {}), ...(place ? { place } : {}), home, text });
  }
  return out;
}

/** The years a text names (2027, 2029 in 2027—2029年). */
function yearsIn(text: string): Set<number> {
  return new Set([...text.matchAll(/(?<!\d)((?:19|20)\d{2})(?!\d)/g)].map((m) => Number(m[1])));
}

/** Whether a place is the plan's own: its region, or a place its issuers or title name (江北区人民政府, 洛阳市西工区…). */
export function ownsPlace(scope: PlanScope | undefined, place: string): boolean {
  return scope !== undefined && (scope.region === place || scope.home.includes(place));
}

/** Years from now that a relative year word means (去年 −1, 明年 +1); undefined for a day word (明天). */
const RELATIVE_YEARS: Record<string, number> = { 去年: -1, 前年: -2, 明年: 1, 后年: 2, 上一年: -1, 下一年: 1, 上年度: -1, 下年度: 1, "last year": -1, "next year": 1, "previous year": -1 };

/** The calendar year a relative year word means today (明年 → 2027 in 2026); undefined for a day (明天, today). */
export function relativeYearOf(word: string, now: Date): number | undefined {
  const offset = RELATIVE_YEARS[word.toLowerCase()];
  return offset === undefined ? undefined : now.getFullYear() + offset;
}

/**
 * Personal advice: the asker wants a decision made for them (我该不该…, 该报职高还是普高, should I …).
 * A plan states policy; it never weighs one person's choice.
 */
const ADVICE_RE = /哪(?:家|个|所)[^，。？?！!]{0,10}最(?:便宜|好|实惠|划算|靠谱|近)|哪(?:家|个|所|种|款)[^，。？?！!]{0,12}(?:比较|更)(?:便宜|好|实惠|划算|合算|靠谱)|有什么[^，。？?！!]{0,8}推荐|选哪(?:家|个|所|种)|哪(?:家|个|所)(?:比较|更)?(?:好|靠谱)|哪(?:个|种|款|家)(?:牌子|品牌|型号|厂家|公司)[^，。？?！!]{0,4}(?:好|靠谱|划算|耐用)|推荐(?:一下)?哪|该不该|应不应该|应该不应该|值不值得?|划不划算|划算吗|合算吗|值得吗|(?:我|咱|俺|孩子|家里)[^。？?！!]{0,16}(?:该|应该|要不要)[^，。？?！!]{0,12}还是|帮我(?:选|拿主意|决定)|(?:我|咱|俺|家里|孩子)[^。？?！!]{0,16}(?:要不要|该不该|应不应该)[^。？?！!]{0,12}(?:换成|改成|改用|换用|换到|转到|转成)|(?:好|合适|划算|靠谱)还是[^，。？?！!]{1,12}(?:好|合适|划算|靠谱)|给我.{0,4}建议|(?:你|您)(?:有|能给|可以给|给)(?:我)?(?:什么|啥|点|些|一些|几条)?(?:好的?)?建议|(?<!\b(?:when|where|how|what|which|who|whom)\b[^.?!]{0,30})\bshould (?:i|we)\b|\bis it worth\b|\bdo you (?:recommend|advise)\b|\bwould you recommend\b/i;

/** A legal remedy the asker weighs (起诉, 索赔, 行政复议, 劳动仲裁, 能告医院吗). */
const LEGAL_RE = /起诉|打官司|(?:去|上)法院|索赔|精神损失|行政复议|行政诉讼|劳动仲裁|申请仲裁|仲裁|(?:能|可以|要|去)告(?:他|她|它|医院|物业|单位|公司|老板|学校|政府)/;

/**
 * The legal remedy a question asks about, as a plan would print it (告医院 → 诉讼); undefined when it asks none.
 * A plan that provides the remedy (当事人…可以依法申请行政复议) answers; one that does not cannot advise on it.
 */
export function legalRemedy(raw: string): string | undefined {
  const m = LEGAL_RE.exec(normalizeText(raw));
  if (!m) return undefined;
  if (m[0].includes("告")) return "诉讼";
  if (m[0] === "打官司" || m[0].includes("法院")) return "诉讼";
  if (m[0] === "申请仲裁" || m[0] === "劳动仲裁") return "仲裁";
  return m[0];
}

/** How one's own case would end (告他能赢吗, 起诉能要回来吗): no plan rules on a case. */
const CASE_OUTCOME_RE = /(?:(?<![报公广预通转被控])告(?![诉知示别])|起诉|诉讼|官司|仲裁)[^。？?！!]{0,12}(?:能|会|可以|有没有)?(?:(?<![共双多])赢|胜诉|打赢|告赢|要回来|要得回来|讨回来)(?:吗|不|么|呢)?|(?<![共双多])(?:赢|胜诉)的?(?:可能|几率|概率|把握)/;

/** Whether a question asks for a personal decision rather than what the plan says. */
export function asksAdvice(raw: string): boolean {
  return ADVICE_RE.test(raw) || CASE_OUTCOME_RE.test(normalizeText(raw));
}

/** A price or a fee (多少钱一盒, 几毛钱, 票价, how much does … cost): the plans set no prices, and a figure must be money. */
const PRICE_RE = /保费|缴费标准|(?:缴|交)多少(?:钱|元)?(?![年个份次天月项人])|几毛|几块钱?|几元|钱一[个张盒斤瓶次件]|多贵|贵不贵|(?:价格|价钱|票价|房价|药价|收费标准)(?:是|要|大概|大约|现在)?(?:多少|几)|\bhow much (?:does|do|is|are)\b.*\bcost\b|\bwhat (?:is|are) the (?:\w+ )?(?:price|fare|fee)s?\b/i;

/** Whether a question asks what something costs. */
export function asksPrice(raw: string): boolean {
  return PRICE_RE.test(raw);
}

/** What was actually achieved (实际建成多少, 目标完成了吗, did it reach): a plan sets targets, it does not report results. */
const OUTCOME_RE = /(?:多少|几)[^，,。？?]{0,10}(?:提交了|申报了|申请了|申领了|领取了|报名了|参加了)|实际(?:上)?(?:完成|达到|建成|实现|投入|花了|用了)|(?<!结合|根据|按照|按|依据|切合|从|符合)实际(?:上)?[\u4e00-\u9fff]{1,6}了(?:多少|几)(?![^，,。？?]{0,6}(?:才能|可以|来算|计算))|(?:完成|实现|达到|达标|落实)(?:了吗|了没有|没有|得怎么样|得如何|情况如何|情况怎么样)|(?:目标|任务)(?:完成|实现)了|已经(?:建成|完成|实现)(?:了)?多少|(?:是不是|是否|有没有)真的|真的(?:建成|完成|实现|达到|做到)了|最(?:后|终)(?:选定|选了|确定了|定了|建成|完成|实现|达到)|(?:结果|成效|效果)(?:怎么样|如何|好不好)|(?:进度)?滞后了|(?:建成|完成|实现|达到)了多少|(?<![要将应该])(?<![要将应该][下减增上提])(?:降|下降|降低|减少|增加|增长|提高|上涨|涨|少)了(?:多少|几)|\b(?:actually|was (?:it|the target) (?:met|achieved|reached)|were .* (?:met|achieved))\b/i;

/** Whether a question asks what was achieved rather than what the plan sets. */
export function asksOutcome(raw: string): boolean {
  return OUTCOME_RE.test(raw);
}

/** A forecast of a market or of weather and disasters (房价会不会跌, 还会不会发大洪水): no plan says. Prices a plan acts on (药价会降吗) are its own topic. */
const FORECAST_RE = /(?:房价|楼市|股价|股市|油价|金价|利率|汇率|币价)[^，。？?！!]{0,6}(?:会不会|会|能不能|还会|是否)[^，。？?！!]{0,4}(?:涨|跌|降|下降|上涨|下跌|降低|上升|回落)|(?:会不会|还会|是否会|会)(?:再)?(?:发生?|有|出现|遇到|闹|来)?(?:大)?(?:洪水|洪灾|水灾|干旱|旱灾|地震|台风|暴雨|寒潮)|\bwill (?:house |housing |stock |property )?(?:prices?|the market) (?:rise|fall|drop|go up|go down)\b|\bwill there be (?:a |another )?(?:flood|drought|earthquake|typhoon)/i;

/** Whether a question asks for a forecast of a market or a price. */
export function asksForecast(raw: string): boolean {
  return FORECAST_RE.test(raw);
}

/** Where exactly a place is (地址在哪里, 具体在哪些小区, 门牌号): a plan names facilities, not their addresses. */
const ADDRESS_RE = /地址|门牌|具体位置|(?:具体)?(?:都)?在哪(?:些|个)(?:小区|街道|路)|哪条(?:路|街)|坐落在|\b(?:address|street)\b/i;
/** An address as printed: 解放路123号, 人民大道88号, 12号楼. */
const PRINTED_ADDRESS_RE = /[路街道巷]\d{1,5}号|\d{1,4}号楼/;

/** Who holds an office (局长是谁, 科长叫什么名字, who is the director): a plan names offices, not the people in them. */
const PERSON_RE = /(局长|副局长|科长|处长|厅长|部长|主任|书记|市长|县长|区长|镇长|乡长|院长|校长|所长|站长|馆长|负责人|总指挥|指挥长|指挥|组长|队长)(?:是谁|叫什么|姓什么|的名字|是哪位|叫啥)|现任[^，。？?]{0,12}(?:是谁|叫什么|姓什么|是哪位)|谁是[^，。？?]{0,12}(?:局长|科长|处长|厅长|部长|主任|书记|市长|县长|区长|镇长|乡长|院长|校长)|\bwho is the (?:director|head|chief|mayor|secretary)\b/i;

/** Whether a question asks who holds an office, and the text it would be answered from names no one in it (联系人：王晓峰 does). */
export function asksPerson(raw: string, unitText: string): boolean {
  const m = PERSON_RE.exec(raw);
  if (!m) return false;
  const title = m[1] ?? "";
  return !(title && new RegExp(`${title}[：:　\s]?[\u4e00-\u9fff]{2,3}(?:同志)?[，,；;。\s]`).test(unitText)) && !/联系人[：:]/.test(unitText);
}

/** A market price (市场价, 行情, 均价一般多少): what things cost on the market, which no plan sets. */
const MARKET_PRICE_RE = /市场价|市场行情|行情价|均价|市价|平均(?:收费|价格|费用|工资|房价|租金|每月|一个月)|\bmarket (?:price|rate)s?\b/i;

/** Whether a question asks a market price the text it would be answered from does not state. */
export function asksMarketPrice(raw: string, unitText: string): boolean {
  return MARKET_PRICE_RE.test(raw) && !/市场价|均价|市价|平均/.test(unitText);
}

/** Whether a question asks where exactly something is, and the text it would be answered from prints no address. */
export function asksAddress(raw: string, unitText: string): boolean {
  return ADDRESS_RE.test(raw) && !PRINTED_ADDRESS_RE.test(unitText);
}

/** A question for a number to call or write to (热线号码是多少, 联系电话是什么, what is the phone number). */
/** A telephone number or a service line as printed: 0574-87185236, 12356, 400-888-1234, 13912345678. */
export const CONTACT_NUMBER_RE = /(?<![\d.])(?:\d{3,4}-\d{7,8}|400-?\d{3}-?\d{4}|1[3-9]\d{9}|12\d{3})(?![\d.%年月日万亿元个])/g;

/** Whether a text prints a number to call. */
export function printsContact(text: string): boolean {
  return new RegExp(CONTACT_NUMBER_RE.source).test(text);
}

const CONTACT_RE = /(?:号码|电话|热线|联系方式|邮箱|传真)(?:是|为)?(?:多少|几号|什么|哪个)|打(?:什么|哪个|几号)(?:电话|号码|热线)?|\b(?:phone|telephone|hotline|contact) (?:number|line)\b|\bnumber (?:to|should i) call\b/i;

/** Whether a question asks for a number to call or write to. */
export function asksContact(raw: string): boolean {
  return CONTACT_RE.test(raw);
}

/** A particular day or week (this weekend, 周末, 今晚): a plan speaks of its year, never of one day's weather or news. */
const DAY_RE = /周末|今晚|明早|今早|昨晚|这两天|这几天|\bthis (?:weekend|week|morning|evening|afternoon)\b|\bnext (?:week|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\btonight\b/i;

/** Whether a question is about a particular day or week. */
export function asksDay(raw: string): boolean {
  return DAY_RE.test(raw);
}

/**
 * An English question that asks for an amount without "how much" (what is the minimum wage, what
 * is the fare): the noun says a figure is wanted.
 */
const EN_FIGURE_NOUN_RE = /\bwhat (?:is|are|was|were) the (?:\w+ ){0,3}(?:wage|wages|salary|price|prices|cost|fare|fee|fees|rate|amount|budget|quota|number|total|score|limit|threshold)\b/i;

/** Whether an English question asks for a figure by naming it (what is the minimum wage). */
export function namesFigureInEnglish(raw: string): boolean {
  return EN_FIGURE_NOUN_RE.test(raw);
}

const FOREIGN_RE = /^(美国|日本|韩国|英国|法国|德国|俄罗斯|印度|欧洲|欧盟|新加坡|japan|korea|america|usa|europe)$/i;

/**
 * Whether a plan speaks for a place: it names it, or it is national and the place is in China —
 * but a national figure or date is not one province's own, so for those the plan must name it.
 */
export function placeInScope(place: string, scope: PlanScope, figure = false): boolean {
  if (scope.text.includes(normalizeText(place))) return true;
  return scope.region === undefined && !FOREIGN_RE.test(place) && !figure;
}

/** An ordinal batch, round or session (第九批, 第二届, 第四次): a plan names the ones it covers. */
// 第一次在网上看病, 第一次来办: "the first time" the asker does something, not a session of anything.
const ORDINAL_RE = /第[一二三四五六七八九十百\d]+(?:批|届|轮|期|次(?![在去来到给用办申找看买做参领交坐上进带养生开听遇碰见跟和]))/g;

/** The ordinal batches, rounds and sessions a (normalised) question names. */
export function ordinalsOf(normalized: string): string[] {
  return [...normalized.matchAll(ORDINAL_RE)].map((m) => m[0]);
}
