import { type StructuralRef, parseStructuralRefs } from "./structural.js";
import { isEnglish, isTraditional, normalizeText, segmenter, tokenize } from "./text.js";
import { englishMeasure, expandRegister } from "./register.js";
import { expandQuery, expandWithLexicon, mapEnglish, type LexicalExpansion, type Vocabulary } from "./vocabulary.js";

/** What a question asks for, beyond its topic. */
export interface QueryIntent {
  /** How much / how many / what share. */
  quantity: boolean;
  /** Who issued the plan, when, to whom, its title. */
  meta: boolean;
  /** Lists: 有哪些, 包括什么, which tasks. */
  list: boolean;
  /** Why the plan was made (目的, 为什么出这个方案): its preamble says. */
  purpose: boolean;
  /** When something happens (哪一年通车, what year). */
  temporal: boolean;
  /** How long (多久, 多长时间): a span, not a date; kept by a follow-up (那专业目录呢？). */
  duration?: boolean;
  /** A time of day (几点, 几点到几点, what time): only a time the plan prints answers it, not a date. */
  clock?: boolean;
  /** The measure word a "how many" question counts in (所, 家, 公里, 元), when it names one. */
  measure?: string;
}

/** A question prepared for retrieval. */
export interface AnalyzedQuery {
  raw: string;
  language: "zh" | "en";
  traditional: boolean;
  /** The Chinese text searched (for English questions: the mapped plan terms). */
  normalized: string;
  structural: StructuralRef[];
  /** The question's own words and bigrams (what confidence is measured on). */
  words: string[];
  bigrams: string[];
  /** Plan terms added for everyday phrases: phrase → terms; a `weight` (against the question's own words, 1) ranks them below those; `cover` (else `weight`, else 1) is how far a unit holding a term covers the phrase. */
  expansions: Array<{ phrase: string; terms: string[]; weight?: number; cover?: number; spelled?: boolean }>;
  /** English words that could not be mapped. */
  unknownEnglish: string[];
  /** Text given to the embedder. */
  embedText: string;
  intent: QueryIntent;
  /** Years the question names (2025, or 去年 resolved against the plan year). */
  years: number[];
  /** Relative years (去年, 明年) named. */
  relativeYears: string[];
  /** Places named in the question (provinces, big cities, countries). */
  places: string[];
  /** Cities, districts and counties (杭州, 义乌, 合肥, 江北): a figure for a whole province or city is not theirs. */
  localPlaces: string[];
  /** The asker tells their own situation (我…, 家里…): places and years in it are background. */
  narrative: boolean;
  /** Words that name things (nouns, noun-like verbs, idioms and abbreviations by their part of speech): the candidates for the question's topic. */
  nouns: string[];
  /** Words that name nothing (突然, 一直, 我们): adverbs, pronouns, particles and the like. */
  minor?: string[];
  /**
   * For a question whose last clause asks and whose earlier clauses tell the asker's story (我是种地的，现在秸秆不让烧了，
   * 那秸秆能拿来干什么？): the asking clause, normalised. Words only in the story weigh less in ranking.
   */
  askingText?: string;
  /**
   * For a how-many question, the thing whose figure is asked: the noun counted after the ask
   * (几个城市 → 城市) or the noun just before it (专项债额度是多少 → 额度), as its last two characters.
   */
  askedThing?: string;
}

/** Where a clause of a question ends (after its punctuation, which stays with it). */
const CLAUSE_END = /(?<=[，,。；;！!？?])/;

/** A question asking a figure (多少, 几年, 占比, how many); 十几亩, 好几个 are the asker's own rough number. */
export const QUANTITY_RE = /多少|(?<![这那哪十好第])几(?:个|家|条|人|所|成|年|月|天|次|项)|多大|多高|多长|多快|多远|百分之几|比例|比重|占比|比率|覆盖率|数量|数字(?=$|[^\u4e00-\u9fff]|[是有吗呢的为都])|指标|目标值|增长多少|提高到|达到多少|how many|how much|what percentage|what share|what proportion|what ratio|what rate|what is the target|number of|percent|%/i;
const META_RE = /谁|哪个部门|哪些部门|哪个单位|哪家单位|发布|印发|发文|下发|出台|颁布|发给|发到|什么时候|(?<!任)何时|哪天|哪一天|日期|落款|文号|标题|题目|名称叫|叫什么|全称|全名|正式名称|完整名称|who issued|issued by|who published|published|who wrote|when was|(?<!by |until |till |up to )(?:what|which) date|what is the title|title of|addressed to|sent to|recipients?|document number|reference number|doc(?:ument)? no\b|issue date|date of issue|issued on|date (?:it was|was it) issued/i;
const LIST_RE = /哪些|哪几|包括|包含|分别(?:指|是)(?:的是)?(?:什么|哪些|啥)|各(?:指|是)什么|分(?:为|成)?几(?:个(?![月年批次]|工作日|小时)|类|种|级|档|等|大类)|有几项|几项任务|都有什么|都有啥|有啥|有什么(举措|措施|要求|要点|安排|任务|目标|指标|做法)|(举措|措施|要求|要点)(是什么|有什么)|列出|列一下|整理|下面|下设|list|which tasks|what tasks|what (measures|steps|actions|requirements|targets)|what does .* (include|cover|contain)/i;
const PURPOSE_RE = /(为什么|为何|目的|初衷|为了什么|意义何在).{0,8}(方案|文件|计划|出台|制定|印发)|(方案|文件|计划).{0,8}(为什么|为何|目的|初衷)|why (was|is|did) .*(plan|document)|purpose of (the|this) (plan|document)/i;
// English "when" asks a time at the start of a question or before a verb, not as a conjunction (…applies when only two qualify).
/** A question asking a time of day: 几点开门, 几点到几点, 最晚几点, what time. */
const CLOCK_ASK_RE = /几点|几时(?!候)|\bwhat time\b/i;
const TEMPORAL_RE = /几点|哪一年|哪年|什么时候|(?<!任)何时|几月|哪个月|哪天|什么时间|多久|截止|期限|^\s*when\b|\bwhen (?:will|is|was|does|do|did|should|must|are|were|can|has|have)\b|what year|which year|how long|deadline|(?:until|till) (?:what|which) (?:date|time|year)|until when/i;
/** Other years, and single days: a yearly plan speaks of neither. */
const RELATIVE_YEAR_RE = /去年|前年|明年|后年|上一年|下一年|上年度|下年度|今天|今日|明天|昨天|后天|下周|上周|本周|last year|next year|previous year|today|tomorrow|yesterday/gi;
/** The measure a "how many" question counts in (多少所, 几家, how many km). */
const MEASURE_RE = /(?:多少|(?<![这那哪十好第])几)(?:万|千|百|亿)?(个月|个工作日|工作日|个小时|小时|分钟|学时|课时|学分|周岁|岁|平方米|平方公里|立方米|公顷|公里|千米|千瓦|米|所|家|个|座|处|条|人次|人|名|位|亩|吨|斤|头|元|块|项|宗|户|套|台|辆|张|次|倍|年|月|周|天|日|部(?!分|门|署|位)|艘|架(?!构|次)|件(?!事)|批(?!次|准|复)|支(?!持|出|付|撑|部)|栋|幢|间(?!隔)|床(?!位)|例(?!如)|场(?!所|景|馆|地|次)|轮(?!次)|枚|株|棵|只(?!有|要|能)|册|篇|份(?!额)|本(?!地|科|级|市|省|区|县|人|单位|身)|种(?!类|植|子|养)|类(?!型|别)|瓶|罐|桶|箱|袋|盒|具(?!体|有|备)|盏|根(?!据|本)|剂|粒|趟|分)|多少钱/;

/** English names of provinces, large cities and countries, and the Chinese names the plans print. */
const EN_PLACES: Record<string, string> = {
  beijing: "北京", tianjin: "天津", shanghai: "上海", chongqing: "重庆", hebei: "河北", shanxi: "山西", liaoning: "辽宁", jilin: "吉林",
  heilongjiang: "黑龙江", jiangsu: "江苏", zhejiang: "浙江", anhui: "安徽", fujian: "福建", jiangxi: "江西", shandong: "山东", henan: "河南", hubei: "湖北",
  hunan: "湖南", guangdong: "广东", hainan: "海南", sichuan: "四川", guizhou: "贵州", yunnan: "云南", shaanxi: "陕西", gansu: "甘肃",
  qinghai: "青海", taiwan: "台湾", tibet: "西藏", xinjiang: "新疆", ningxia: "宁夏", guangxi: "广西", "inner mongolia": "内蒙古", "hong kong": "香港", macau: "澳门",
  shijiazhuang: "石家庄", taiyuan: "太原", shenyang: "沈阳", dalian: "大连", changchun: "长春", harbin: "哈尔滨", jinan: "济南", qingdao: "青岛",
  zhengzhou: "郑州", changsha: "长沙", fuzhou: "福州", xiamen: "厦门", nanchang: "南昌", guiyang: "贵阳", kunming: "昆明", lanzhou: "兰州", xining: "西宁",
  lhasa: "拉萨", yinchuan: "银川", urumqi: "乌鲁木齐", hohhot: "呼和浩特", nanning: "南宁", haikou: "海口",
  nanjing: "南京", suzhou: "苏州", guangzhou: "广州", shenzhen: "深圳", chengdu: "成都", wuhan: "武汉", "xi'an": "西安", hefei: "合肥",
  hangzhou: "杭州", ningbo: "宁波",
  japan: "日本", korea: "韩国", america: "美国", usa: "美国", europe: "欧洲",
};

/** English names of the loaded plans' own cities and counties (luoyang → 洛阳), beside the fixed list. */
const planPlaces = new Map<string, string>();

/** Whether the fixed list already names a place in English (浙江 → zhejiang). */
export function hasEnglishPlace(zh: string): boolean {
  return Object.values(EN_PLACES).includes(zh);
}

/** Adds English names of places the loaded plans govern, so that an English question naming one points to it. */
export function addEnglishPlaces(names: ReadonlyMap<string, string>): void {
  for (const [zh, en] of names) if (!(en in EN_PLACES)) planPlaces.set(en, zh);
}

/** The places an English text names, as the plans print them. */
function englishPlaces(lower: string): string[] {
  return [...Object.entries(EN_PLACES), ...planPlaces].filter(([en]) => new RegExp(`\\b${en}\\b`).test(lower)).map(([, zh]) => zh);
}

/** Provinces, large cities (every provincial capital and 计划单列市 among them) and countries: a question about one the plans never mention is out of scope. */
const CITIES = "杭州 宁波 南京 苏州 无锡 常州 徐州 合肥 福州 厦门 南昌 济南 青岛 郑州 武汉 长沙 广州 深圳 东莞 佛山 珠海 成都 贵阳 昆明 西安 兰州 西宁 拉萨 银川 乌鲁木齐 呼和浩特 南宁 海口 三亚 石家庄 太原 沈阳 大连 长春 哈尔滨 雄安".split(" ");
const PROVINCES = "北京 天津 上海 重庆 浙江 河北 山西 辽宁 吉林 黑龙江 江苏 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门".split(" ");
const PLACES = [
  ...PROVINCES,
  ...CITIES,
  ..."美国 日本 韩国 英国 法国 德国 俄罗斯 印度 欧洲 欧盟 新加坡".split(" "),
];
/** Whether a word names a province-level region (浙江, 上海). */
export function isProvince(word: string): boolean {
  return PROVINCES.includes(word);
}

/** Whether a word is one of the large cities listed (长沙, 青岛): a city's plan does not govern another. */
export function isListedCity(word: string): boolean {
  return CITIES.includes(word);
}

/** Whether a word names a province, country or city (北京, 厦门, 沈阳): one the lists hold or the segmenter tags as a place. */
export function namesPlace(word: string): boolean {
  if (word.length < 2) return false;
  if (PLACES.includes(word) || LOCAL_PLACES.includes(word)) return true;
  const tags = segmenter().tag(word, false);
  return tags.length === 1 && tags[0]!.tag === "ns";
}
/** A city, district or county the segmenter knows as a place, by its name (合肥市, 江北区, 西工区 → 合肥, 江北, 西工). */
const LOCAL_NAME_RE = /^([\u4e00-\u9fff]{2,6}?)(?:自治州|自治县|新区|市|区|县|州|旗)$/;
/** Words ending like a place that name a kind of area, not one (沿海地区, 老旧城区, 苏州工业园区 is a park, not a district). */
const AREA_WORD_RE = /(?:地区|城区|园区|景区|社区|山区|牧区|库区|片区|街区|校区|小区|辖区|市区|郊区)$/;

/**
 * The asker's own rough numbers are not questions: 几百头猪, 几十年, 已经有几个证了; nor is the basis of a charge (按扔多少收钱).
 * They are blanked before asking whether the question asks a figure.
 */
export function withoutOwnNumbers(text: string): string {
  return text
    .replace(/几[十百千万]+/g, "数")
    // 按扔多少来收钱, 按用多少付费: the basis of a charge, not a figure asked.
    .replace(/按([^，,。？?]{0,4})多少(?=[^，,。？?]{0,3}(?:收|付|交|缴|计|算))/g, "按$1量")
    // 根据入围企业数量分…: the basis of a division, not a figure asked.
    .replace(/(根据|按照|依据|按|视)([^，,。？?]{0,10})数量/g, "$1$2量")
    // 分几个等级, 分为几类: the kinds are asked (初级、中级、高级), which the list answer gives.
    .replace(DIVISION_RE, "分数$2")
    .split(CLAUSE_END)
    .map((clause) => (/(?:已经[有是]?|好)几/.test(clause) || /几.{0,8}了[，,。；;！!？?]?$/.test(clause) || YES_NO_RE.test(clause) ? clause.replace(/几/g, "数") : clause))
    .join("");
}

/** 分几个等级, 分为几类, 分成几种: asks what the kinds are. */
const DIVISION_RE = /分(为|成)?几(个(?![月年批次]|工作日|小时)|类|种|级|档|等|大类|个等级|个阶段|个层次)/g;

/** A yes-no clause (能少上几门课吗, 这样合理吗): a 几 in it is "a few", not "how many". */
const YES_NO_RE = /(?:[吗嘛]|(?<![什怎那这多要])么)[？?！!。，,；;]?$/;
/** Nouns that name a figure without asking one (药占比, 指标): in the asker's story they are not the question. */
const FIGURE_NOUN_RE = /比例|比重|占比|比率|覆盖率|数量|数字|指标|目标值/g;

/**
 * The part of a question that may ask a figure: "医生说要控制药占比，…这样合理吗" asks a yes or no, so the 占比
 * of its story asks nothing; "药占比要控制在多少" asks it.
 */
function quantityText(asking: string): string {
  const clauses = asking.split(CLAUSE_END).filter((c) => c.trim());
  if (clauses.length < 2) return asking;
  const last = clauses[clauses.length - 1]!;
  const asksFigure = (c: string) => QUANTITY_RE.test(c) || MEASURE_RE.test(c);
  if (!YES_NO_RE.test(last.trim()) || asksFigure(last)) return asking;
  // …and a 几 told before it (我手里有几个证书，…能少上几门课吗) is the asker's own "a few".
  return clauses.map((c) => c.replace(FIGURE_NOUN_RE, "").replace(/几(?=[^？?]*[，,；;]$)/g, "数")).join("");
}

/** Every measure a question counts in (多少所…和多少个… → 所, 个). */
export function askedMeasures(text: string): string[] {
  return [...text.matchAll(new RegExp(MEASURE_RE.source, "g"))].map((m) => countedIn(m, text));
}

/** The measure a match of MEASURE_RE names: 几个人 counts people (2人), not 个; 多少钱 counts 元. */
function countedIn(m: RegExpExecArray | RegExpMatchArray, text: string): string {
  if (m[1] === undefined) return "元";
  if (m[1] === "个" && /^人(?![员民才口事])/.test(text.slice(m.index! + m[0].length))) return "人";
  return m[1];
}

/** The measure a figure question counts in (多少所 → 所, 多少亿 → 亿, 百分之几 → %), if it names one. */
export function askedMeasure(text: string): string | undefined {
  return measureOf(text).measure;
}

function measureOf(text: string): { measure?: string } {
  const m = MEASURE_RE.exec(text);
  if (m) return { measure: countedIn(m, text) };
  const scale = /(?:多少|(?<![这那哪十好第])几)(万|亿)/.exec(text)?.[1] ?? (/百分之几|百分比|几成/.test(text) ? "%" : undefined);
  if (scale) return { measure: scale };
  const english = englishMeasure(text);
  return english ? { measure: english } : {};
}

/** The asker speaking of themselves (我是…, 我们村…, 家里…), not "告诉我" or "帮我查". */
const NARRATIVE_RE = /(?<![告诉给帮让叫问])我(?!们?(?:问|想知道|想问))|俺|咱|本人|家里|老家|\bI('m| am| have| live| work| was)\b|\bmy\b|\bour\b/i;

/** English function words that may appear inside a Chinese question. */
const EN_FILLER = new Set("a an the of in on at to for by with and or is are was were be been will would can could do does did how what which who when where why many much this that these those it its there please".split(" "));

/** Cities of Zhejiang, the seed plan's province; a question about one asks for a local figure. */
const LOCAL_PLACES = "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌 慈溪 余姚 诸暨 乐清 瑞安 温岭 海宁 桐乡 萧山 余杭 hangzhou ningbo wenzhou".split(" ");

/** jieba part-of-speech tags of words that name things: nouns (n, nz, nt, nr…), noun-like verbs (vn), set phrases (l, i: 拖欠工资), abbreviations (j). */
const NOUN_TAG = /^(n[a-z]*|vn|l|i|j)$/;

/** Tags of words that name nothing: adverbs, pronouns, particles, prepositions, conjunctions, numerals, measure and time words. */
const MINOR_TAG = /^(d|ad|r|u[a-z]*|y|e|p|c|m|q|t|f|zg)$/;

/** A how-long question: its answer is a span (5年, 30日), not a date. */
const DURATION_RE = /多久|多长时间|多少时间|\bhow long\b|\bhow much time\b/i;
/** A span asked by its name (贷款期限最长是多少, 见习期多长, 保存年限为多少): a length of time, not a date. */
const SPAN_ASKED_RE = /(期限|周期|时长|年限|有效期|保存期|使用期|服务期|见习期|试用期|公示期|合同期|租期|工期)[^，,。？?！!；;]{0,4}?多(?:长|少)(?!钱)/;

const ASK_WORD_RE = /^(多少|几|几个|多大|多高|多长|多重|多远)$/;
/** Tags skipped when looking back from the ask: verbs, adverbs, time words, pronouns, particles, numerals. */
const SKIP_TAG = /^(v|vd|d|t|r|u[a-z]*|p|c|m|q|a|ad|zg|y|e|f|x)$/;
/** Nouns too generic to be the thing asked about. */
const GENERIC_NOUN = /^(计划|方案|目标|指标|数字|政策|工作|情况|规定|文件|问题|方面|东西|今年|全省|全国|我们|国家|政府|上限|下限|封顶|顶格|人数|数量|个数|总数|总量|规模|数目|目标值|指标值|数值|预期值|具体数|具体数字)$/;

/** Words for an amount, which name the thing only with the noun before them (罚款额度 asks the 罚款). */
const AMOUNT_NOUN = /^(额度|金额|数额|幅度)$/;

/** The head (last two characters) of the noun a how-many question asks the figure of. */
function askedThing(tagged: Array<{ word: string; tag: string }>): string | undefined {
  const at = tagged.findIndex((t) => ASK_WORD_RE.test(t.word));
  if (at < 0) return undefined;
  // Plain nouns only: jieba also tags adverbs such as 一共 as abbreviations (j).
  const isNoun = (t: { word: string; tag: string } | undefined) => t !== undefined && t.word.length >= 2 && /^(n|nz|nt|nr|vn|l)$/.test(t.tag) && !GENERIC_NOUN.test(t.word);
  // 几个城市, 多少个基地: the counted noun follows the measure word.
  let next = at + 1;
  if (tagged[next]?.tag === "q" || tagged[next]?.tag === "m") next++;
  // "多少分会被注销": the segmenter glued the measure to the next verb (分会, 个能); that is no counted noun.
  const glued = tagged[next] !== undefined && /^.[会能要可才就将]$/.test(tagged[next]!.word) && MEASURE_RE.test(`多少${tagged[next]!.word[0]}`);
  if (isNoun(tagged[next]) && !glued) return tagged[next]!.word.slice(-2);
  for (let i = at - 1; i >= 0 && at - i <= 6; i--) {
    const t = tagged[i]!;
    // "社会保险这一项怎么计分，上限是多少": the thing is asked in the clause that asks, not the one before it.
    if (/^[，,；;。？?！!]$/.test(t.word)) return undefined;
    // 罚款额度, 补贴金额: the amount of the noun before it is asked; alone (额度是多少), the amount word itself.
    if (isNoun(t) && AMOUNT_NOUN.test(t.word) && isNoun(tagged[i - 1])) return tagged[i - 1]!.word.slice(-2);
    if (isNoun(t)) return t.word.slice(-2);
    if (!SKIP_TAG.test(t.tag) && !GENERIC_NOUN.test(t.word)) return undefined;
  }
  return undefined;
}

/**
 * Prepares a question: normalisation, language, structural references, expansion of everyday words,
 * intent, and the years and places it names.
 * @example analyzeQuery("高標準農田今年要建多少？", vocab).normalized // "高标准农田今年要建多少?"
 */
export function analyzeQuery(raw: string, vocab: Vocabulary, inCorpus?: (text: string) => boolean, spellOut?: (word: string) => string[]): AnalyzedQuery {
  const english = isEnglish(raw);
  // "26年" is how people write 2026年.
  // "26年" is 2026年 — but not a duration (满25年, 25年以上, 教龄25年).
  const base = normalizeText(raw).replace(/(?<![\d.满龄近超过了达])([23]\d)\s*年(?![代以多内来后前间左的工])/g, "20$1年");
  let normalized = base;
  let unknownEnglish: string[] = [];
  let lexical: AnalyzedQuery["expansions"] = [];
  let englishEmbed: AnalyzedQuery["expansions"] = [];
  if (english) {
    const mapped = mapEnglish(raw, vocab, inCorpus);
    unknownEnglish = mapped.unknown;
    // Each English phrase's readings are alternatives (see AnalyzedQuery.expansions).
    lexical = [...mapped.groups, ...mapped.lexical];
    englishEmbed = mapped.lexical;
    // A place named in English is searched as the plans print it: "Sichuan's plan" points to 四川.
    const enPlaces = englishPlaces(base.toLowerCase());
    normalized = [mapped.terms.join(" "), enPlaces.join(" "), (base.match(/[\u3400-\u9fff]+/g) ?? []).join(" ")].filter(Boolean).join(" ");
  }
  const structural = parseStructuralRefs(base);
  // Structural references are not topic words: "第五项讲什么" should not match 五 or 项.
  const topical = structural.reduce((t, r) => t.replace(r.match, " "), normalized);
  const tokens = tokenize(topical);
  // In a Chinese question, English filler ("how many 5G基站 will be built") is not a topic; 5G, AI stay.
  const words = english ? tokens.words : tokens.words.filter((w) => !/^[a-z]+$/.test(w) || !EN_FILLER.has(w));
  const { bigrams } = tokens;
  const reviewed = english ? [] : expandQuery(topical, vocab, inCorpus);
  // The domain-general register (药 → 药品) beside the reviewed vocabulary, which was written against one plan.
  const register = english || !inCorpus ? [] : expandRegister(topical, words, inCorpus);
  // The general lexicon is the last source, for words the plans and both lists lack.
  if (!english && inCorpus) lexical = expandWithLexicon(words, [...reviewed, ...register], inCorpus);
  // 液化气, 集采: a short word the plans never print, spelled out as they print it (液化石油气, 集中采购).
  const spelled = english || !inCorpus || !spellOut ? [] : spelledOut(words, inCorpus, spellOut);
  const expansions: AnalyzedQuery["expansions"] = [...reviewed, ...register, ...spelled, ...lexical];
  const yearMatches = [...base.matchAll(/(?<!\d)((?:19|20)\d{2})\s*(?:年|年度)?(?!\d)/g)].map((m) => Number(m[1]));
  const relativeYears = [...base.matchAll(RELATIVE_YEAR_RE)].map((m) => m[0]);
  const lower = base.toLowerCase();
  // Places are matched as words, so 浙江西部 is not 江西 and 沿海南部 is not 海南.
  const segmented = segmenter().cut(base, false);
  const isPlaceWord = (p: string) => segmented.some((w) => w === p || (w.startsWith(p) && /^[省市县区]$/.test(w.slice(p.length))));
  // An English place is matched as words and named as the plans print it (sichuan → 四川).
  const places = [...new Set([...PLACES.filter(isPlaceWord), ...englishPlaces(lower)])];
  // In Chinese only reviewed terms steer the embedding (a lexicon guess must not pull a stray question
  // towards the plans); an English question has no other Chinese to embed.
  // The English register's readings are alternatives for ranking; the embedding keeps the glossary's and the lexicon's words.
  const expansionText = (english ? englishEmbed : [...reviewed, ...register]).flatMap((e) => e.terms).join(" ");
  const tagged = english ? [] : segmenter().tag(topical, false);
  const asked = askedThing(tagged);
  const asking = quantityText(withoutOwnNumbers(base));
  const storyAsk = english ? undefined : storyAsking(base);
  return {
    raw,
    language: english ? "en" : "zh",
    traditional: !english && isTraditional(raw),
    normalized,
    structural,
    words,
    bigrams,
    expansions,
    unknownEnglish,
    embedText: [topical, expansionText].filter(Boolean).join(" "),
    intent: {
      quantity: QUANTITY_RE.test(asking) || MEASURE_RE.test(asking),
      meta: META_RE.test(base),
      list: LIST_RE.test(base),
      temporal: TEMPORAL_RE.test(base),
      clock: CLOCK_ASK_RE.test(base),
      duration: DURATION_RE.test(base) || (SPAN_ASKED_RE.test(base) && !/什么时候|何时|哪一?年|哪天|几月/.test(base)),
      purpose: PURPOSE_RE.test(base),
      ...measureOf(asking),
    },
    years: yearMatches,
    relativeYears,
    places,
    // A city or district below the plans' regions: a figure for the whole region is not its own.
    localPlaces: [...new Set([
      ...LOCAL_PLACES.filter((p) => (/^[a-z]/.test(p) ? lower.includes(p) : isPlaceWord(p))),
      ...CITIES.filter(isPlaceWord),
      ...tagged.filter((t) => t.tag === "ns" && !AREA_WORD_RE.test(t.word)).map((t) => LOCAL_NAME_RE.exec(t.word)?.[1]).filter((p): p is string => p !== undefined && !PLACES.includes(p)),
    ])],
    narrative: NARRATIVE_RE.test(raw),
    nouns: tagged.filter((t) => NOUN_TAG.test(t.tag)).map((t) => t.word),
    minor: tagged.filter((t) => MINOR_TAG.test(t.tag)).map((t) => t.word),
    ...(asked ? { askedThing: asked } : {}),
    ...(storyAsk ? { askingText: storyAsk } : {}),
  };
}

/**
 * The plans' spelling of the question's short words they never print (液化气 → 液化石油气, 集采 → 集中采购),
 * beside whatever other readings they have; never for a place, a measure or an asking word.
 */
function spelledOut(words: string[], inCorpus: (text: string) => boolean, spellOut: (word: string) => string[]): AnalyzedQuery["expansions"] {
  const out: AnalyzedQuery["expansions"] = [];
  // The segmenter cuts a word it does not know into characters (集采 → 集 采): two single characters in a row are one candidate.
  const joined: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    if (words[i]!.length === 1 && words[i + 1]!.length === 1) joined.push(words[i]! + words[++i]!);
  }
  const joinedSet = new Set(joined.filter((j) => !words.includes(j)));
  for (const w of new Set([...words, ...joined])) {
    if (!/^[\u4e00-\u9fff]{2,3}$/.test(w) || inCorpus(w) || PLACES.includes(w) || MEASURE_RE.test(w) || QUANTITY_RE.test(w)) continue;
    // Two characters the segmenter left apart are an abbreviation only where each starts a word of the term (集中|采购),
    // not a verb and a measure that happen to occur in a phrase (建…家 in 建立国家).
    const terms = spellOut(w).filter((t) => t.length > w.length && (!joinedSet.has(w) || startsWordsOf(w, t)));
    if (terms.length > 0) out.push({ phrase: w, terms, spelled: true });
  }
  return out;
}

/** Whether each character of a word, in order, starts a word of the term as the segmenter cuts it (集采 in 集中|采购). */
function startsWordsOf(word: string, term: string): boolean {
  const starts = new Set<number>();
  let at = 0;
  for (const piece of segmenter().cut(term, false)) {
    starts.add(at);
    at += piece.length;
  }
  let from = 0;
  return [...word].every((c) => {
    const i = term.indexOf(c, from);
    from = i + 1;
    return i >= 0 && starts.has(i);
  });
}

/** Words that make a clause a question (…干什么, 怎么办, 能…吗, 多少). */
const QUESTION_CLAUSE_RE = /[？?]$|什么|怎么|怎样|如何|哪|谁|多少|几|吗|呢|是否|能否|有没有|是不是|可不可以|能不能/;

/** The last clause of a question told as a story (two clauses or more, the last one asking), normalised; undefined otherwise. */
function storyAsking(base: string): string | undefined {
  const clauses = base.split(CLAUSE_END).map((c) => c.trim()).filter(Boolean);
  if (clauses.length < 2) return undefined;
  const last = clauses[clauses.length - 1]!;
  // Every earlier clause tells, none asks: "低保补贴多少钱，什么时候能领？" asks twice.
  if (!QUESTION_CLAUSE_RE.test(last) || clauses.slice(0, -1).some((c) => QUESTION_CLAUSE_RE.test(c))) return undefined;
  return last;
}

/** A question's clauses, split at its punctuation, without it. */
function clausesOf(q: AnalyzedQuery): string[] {
  return normalizeText(q.raw).split(/[，,。？?；;！!]/).map((c) => c.trim()).filter(Boolean);
}

/** The one clause of a several-clause question that asks a figure or a date; undefined otherwise. */
export function askingClause(q: AnalyzedQuery): string | undefined {
  if (q.language !== "zh") return undefined;
  // A story told first, then asked about (…能直接给我开药吗): its last clause asks, whether for a figure or not.
  if (q.askingText) return q.askingText.replace(/[？?。！!，,；;\s]+$/, "");
  const clauses = clausesOf(q);
  if (clauses.length < 2) return undefined;
  const asking = clauses.filter((c) => QUANTITY_RE.test(c) || /多久|多长|什么时候|(?<!任)何时|哪年/.test(c));
  return asking.length === 1 ? asking[0] : undefined;
}

/** A clause in which the asker tells their own situation (我在县人民医院看门诊, 我家孩子在读小学): no ask in it. */
const OWN_STORY_RE = /^(?:我|我们|我家|俺|咱|咱们|家里)/;

/** The clauses of a question in which the asker only tells their own situation, asking nothing. */
export function storyClauses(q: AnalyzedQuery): string[] {
  if (q.language !== "zh") return [];
  const clauses = clausesOf(q);
  if (clauses.length < 2) return [];
  return clauses.filter((c) => OWN_STORY_RE.test(c) && !QUESTION_CLAUSE_RE.test(c) && !QUANTITY_RE.test(c));
}

/** "这个方案的", "方案里": the plan spoken of, not the topic. */
const PLAN_LEAD_RE = /^(这个|这份|该|本)?[^的里中]{0,6}?(方案|规划|通知|意见|细则|办法|文件|计划)(的|里|中|里面)/;
/** "有哪几条", "包括哪些", "主要有哪些内容": the list asked, not the topic. */
const LIST_TAIL_RE = /(都|主要|具体|一共|分别)?(有|包括|包含|是|分为|提出了?)?(哪几|哪些)(条|项|个|点|方面|部分|内容|方面的内容|举措|措施|要求|任务|安排|政策|规定|工作)?$|(都|主要)?(有什么|是什么|包括什么)(内容)?$/;
/** A topic shorter than this (目标, 任务) is too general to name one heading; longer, it is a phrase, not a heading. */
const MIN_HEADING_TOPIC = 4;
const MAX_HEADING_TOPIC = 12;

/** The heading a list question names as its whole topic (保障措施有哪几条 → 保障措施), if it is no more than that. */
export function headingTopic(question: string, maxLength = MAX_HEADING_TOPIC): string | undefined {
  const bare = normalizeText(question).replace(/[\s\p{P}\p{S}]/gu, "");
  const topic = bare.replace(PLAN_LEAD_RE, "").replace(LIST_TAIL_RE, "");
  return topic !== bare && topic.length >= MIN_HEADING_TOPIC && topic.length <= maxLength ? topic : undefined;
}
