/**
 * Every sentence policybot says to a person outside an answer itself: one catalogue for the CLI, the
 * web page's API and the answer engine's input checks. Chinese is the default; English is chosen by a
 * question written in English, `--lang en`, or an English locale (LANG=en_*).
 */

import { telegramMessages } from "./messages-telegram.js";

/** A language policybot speaks. */
export type Lang = "zh" | "en";

/**
 * The language a text is written in: English only when it is clearly Latin prose with (almost) no
 * Chinese. A cheap count, so that CLI start-up need not load the segmenter (retrieve/text.ts's
 * isEnglish applies the same rule to questions).
 */
export function langOf(text: string): Lang {
  const prose = text.replace(/<[^>]*>/g, " ").replace(/[A-Za-z_]+\([^)]*\)/g, " ");
  const latin = prose.match(/[A-Za-z]/g)?.length ?? 0;
  const cjk = prose.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return latin >= 6 && cjk <= latin / 6 ? "en" : "zh";
}

/** Parses a `--lang` value or a locale name (zh_CN.UTF-8, en_US, en); undefined when it names neither. */
export function parseLang(raw: string | undefined): Lang | undefined {
  const m = /^(zh|en)(?:$|[-_.@])/i.exec((raw ?? "").trim());
  return m ? (m[1]!.toLowerCase() as Lang) : undefined;
}

const zh = {
  // question checks (answer/engine.ts)
  questionNotText: "请输入文字问题。",
  questionEmpty: "请输入问题，例如：有哪些量化目标？",
  questionTooLong: (length: number, max: number) => `问题太长，请精简到${max}字以内（现在${length}字）。`,
  questionNoWords: "请用文字提问。",

  // answers as text (CLI)
  citations: "引用：",
  sourceOnly: "出处",
  modeLlm: "LLM 回答（引用已校验）",
  modeExtractive: "离线摘录",
  gradeAnswered: "已回答",
  gradeClosest: "最接近的内容（不确定）",
  gradeDeclined: "无法回答（规划中没有找到）",
  // declined answers (answer/decline.ts)
  declinedHead: (why: string | undefined) => `已载入的规划没有回答这个问题${why ? `（${why}）` : ""}。`,
  declinedWhy: {
    "other-year": "规划没有涉及这一年份",
    "other-day": "规划是年度或多年的工作安排，不涉及具体某一天",
    "other-place": "规划没有涉及这一地区",
    advice: "规划只写政策，不替个人做选择",
    "other-batch": "规划没有提到问题所说的批次或届次",
    outcome: "规划只定目标和任务，不记录实际完成情况",
    forecast: "规划不预测市场和价格的走势",
    "no-figure": "规划提到了相关内容，但没有给出这个数字",
    "no-date": "规划提到了相关内容，但没有给出这个时间",
  } as Partial<Record<string, string>>,
  declinedCovers: (plans: string) => `已载入的规划：${plans}。`,
  planScope: (name: string, region: string | undefined) => `${name}（${region ?? "全国"}）`,
  planIssued: (name: string, date: string) => `${name}印发于${date}。`,
  morePlans: (n: number) => `等${n}份`,
  listSeparator: "、",
  declinedNearest: (list: string) => `最接近的内容（仅供参考，不是答案）：${list}`,
  pointerSeparator: "；",
  answerFailed: "抱歉，回答时出错了，请换个说法再试。",

  // quiz
  quizDisabled: "本服务未开启测验。",
  quizNoTopic: (topic: string) => (topic ? `没有与“${topic}”相关的题目，请换个主题（例如：教育、第5项、（六））。` : "规划中没有可出题的量化目标。"),
  quizTopicCount: (topic: string, n: number, count: number) =>
    n >= count ? `主题“${topic}”有${n}个目标。` : `主题“${topic}”只有${n}个目标，其余题目来自相关目标。`,
  quizQuestionHeader: (i: number, total: number) => `第${i}/${total}题`,
  quizRight: "✓ 正确！",
  quizWrong: (expected: string) => `✗ 错误。正确答案：${expected}`,
  quizSource: (quote: string, label: string) => `原文：“${quote}”（${label}）`,
  quizNotUnderstood: (letters: string) => `没看懂这个答案，请输入选项字母（${letters}）或选项内容。`,
  quizNeedNumber: "请输入一个带数字的答案（例如 12万亩 或 35%）。",
  quizQuitHint: "输入 q 结束。",
  quizEmpty: "请输入答案；输入 q 结束。",
  quizRoundScore: (right: number, asked: number) => `本轮得分：${right}/${asked}。`,
  quizTotal: (correct: number, answered: number, user: string) => `累计：${correct}/${answered}（用户：${user}）`,
  quizStopped: "测验已中断。",
  quizUnknownQuestion: "这道题已失效，请开始新一轮。",
  quizNoRound: "这一轮已经结束，请开始新一轮。",
  quizAnswerOnce: "这道题已经答过了，每道题只计一次分；请换下一题。",
  quizNotIssued: "这道题不是发给你的，或已过期；请先获取新题目。",
  quizNoTargetsMatch: (topic: string) => `没有与“${topic}”相关的目标。`,

  // web API
  rateLimited: (wait: number) => `请求过于频繁，请${wait}秒后再试。`,
  unauthorized: "需要有效的访问令牌（Authorization: Bearer <令牌>）。",
  notFound: (path: string) => `找不到 ${path}`,
  methodNotAllowed: (allow: string) => `不支持这个请求方法，请用 ${allow}。`,
  bodyTooBig: (kb: number) => `请求内容超过 ${kb} KB。`,
  bodyEmpty: '请求内容为空，请发送例如 {"q":"有哪些量化目标？"}',
  bodyNotJson: "请求内容不是有效的 JSON。",
  notJsonType: (got: string) => `请以 JSON 格式提交（Content-Type: application/json；${got ? `收到的是 ${got}` : "请求未声明类型"}）。`,
  bodyUnreadable: "无法读取请求内容。",
  invalidRequest: (details: string) => `请求格式不对：${details}`,
  badClientId: "请发送 X-Client-Id：8–64 个字母、数字、_ 或 -。",
  badK: "k 必须是 1 到 50 的整数。",
  badUnitRef: "编号的网址编码不对（例如 task%3A5）。",
  noDocument: (doc: string) => `没有文件 ${doc}`,
  noUnit: (ref: string, doc?: string) => `${doc ? `${doc} 中` : ""}没有编号 ${ref}`,
  noAnswer: "这条回答已过期或不存在。",
  feedbackDisabled: "本服务未开启反馈。",
  internalError: "服务器出错了，请稍后再试。",

  // CLI
  cliTagline: "policybot：回答政策规划的问题，并引用规划自己的条目编号。",
  cliUsage: "用法：",
  cliFooter: "配置来自环境变量，详见 README.md。加 --lang en 显示英文。",
  cliUnknownCommand: (name: string) => `policybot：没有“${name}”这个命令。`,
  cliBadArgs: (command: string, detail: string) => `policybot ${command}：参数不对（${detail}）。见 \`policybot help\`。`,
  cliNeedQuestion: (command: string) => `policybot ${command}：请给出问题，例如 policybot ${command} "有哪些量化目标？"`,
  cliWholeNumber: (command: string, name: string, max: number, raw: string) => `policybot ${command}：${name} 需要 1 到 ${max} 的整数，收到“${raw}”。`,
  cliFailed: (command: string, message: string) => `policybot ${command} 失败：${message}`,
  cliConfig: (message: string) => `配置有误：${message}`,
  cliJsonNeedsSheet: "policybot quiz：--json 要和 --sheet N 一起用（交互测验输出文本）。",
  cliUnknownType: (bad: string, all: string) => `policybot quiz：没有题型“${bad}”，可用：${all}。`,
  cliOneFormat: "policybot targets：--json 和 --csv 只能选一个。",
  cliPortInUse: (port: number) => `端口 ${port} 已被占用：请设置 PORT=其他端口（例如 PORT=8081 npm start），或关闭占用它的程序。`,
  cliListening: (url: string, mode: string) => `policybot：网页问答和 HTTP API 在 ${url}（${mode}）。Ctrl-C 停止。`,
  cliNextStep: '在终端里提问：npx policybot ask "你的问题"，或 npx policybot chat 连续对话。',
  cliNothingToRun: "policybot：没有可运行的服务（没有 TELEGRAM_BOT_TOKEN 且 WEB=off）。终端对话请用 `policybot chat`。",
  jsonlNotJson: (line: number) => `第${line}行不是有效的 JSON。`,
  jsonlBadLine: (line: number, problems: string) => `第${line}行格式不对：${problems}。每行应为 {"q":"问题"}，可带 id、history、doc。`,
  jsonlMissing: (field: string) => `缺少 ${field}`,
  jsonlWrongType: (field: string) => `${field} 的类型不对`,
  jsonlBadDoc: (line: number, detail: string) => `第${line}行：doc 无效：${detail}`,
  jsonlLine: (line: number, detail: string) => `第${line}行：${detail}`,
  jsonlInternal: (line: number) => `第${line}行：回答时内部出错，请查看日志。`,
  noVotes: "还没有投票。",
  confidence: (c: string, low: string | undefined) => `置信度 ${c}${low ? `（偏低：${low}）` : ""}`,
  score: (s: string, byNumber: boolean) => `得分 ${s}${byNumber ? "（按编号）" : ""}`,
  unitChars: (n: number) => `（${n}字）`,
  indexBuilt: (chunks: number, docs: number, embedder: string, dims: number, ms: number, dir: string) => `已用 ${embedder}（${dims}维）从 ${docs} 份文件建立 ${chunks} 个片段，用时 ${ms} 毫秒 → ${dir}/`,
  indexFigures: (mb: number, mbPerS: number, artifactMb: number, version: number) => `政策文本 ${mb.toFixed(2)} MB，${mbPerS.toFixed(2)} MB/秒；索引文件 ${artifactMb.toFixed(1)} MB（格式 ${version}）`,
  indexExists: (dir: string) => `错误：${dir} 已存在。索引文件写成后不再修改：请换一个新目录，或先删除它。`,
  planSkipped: (message: string) => `警告：${message}（已跳过）`,
  planWarning: (where: string, message: string) => `警告：${where}：${message}`,
  noPlans: (dir: string) => `错误：${dir}/ 中没有可读取的政策文件（请放入 .txt、.md、.html、.docx 或 .pdf 文件）`,
  votesSummary: (n: number, up: number, down: number, answers: number, abstentions: number) => `\n共 ${n} 票：👍 ${up} · 👎 ${down}；记录了 ${answers} 条回答，其中 ${abstentions} 条未能回答。`,

  // terminal chat
  chatMode: (mode: string) => `模式：${mode}。输入 /help 查看用法，Ctrl-D 退出。`,
  chatHelp: `输入问题即可，例如：
  有哪些量化目标？ / 某项指标要达到多少？  （数字和出处）
  用日常说法描述你的情况                  （例如：我们村看病远，有什么打算？）
  第5项讲什么 / （三）下面有哪些任务       （按编号查）
命令：/task N  /section N  /part N  /reset（清空上下文）  /help  /quit（或 Ctrl-D）`,
  chatReset: "已清空上下文。",
  chatUnknown: (cmd: string) => `未知命令 ${cmd}。`,
  chatBye: "再见。",
  chatPrompt: "问> ",
  tasksUnder: "包含的任务：",

  // summaries of the commands, shown by `policybot help`
  summary: {
    start: "运行 policybot：默认离线提供网页问答和 HTTP API；设置 TELEGRAM_BOT_TOKEN 时运行 Telegram 机器人",
    ask: "回答一个问题并附引用；--jsonl 从标准输入逐行回答 JSON",
    chat: "终端连续对话，支持追问、/task N 和 /help",
    search: "列出最能回答问题的条目及置信度",
    units: "列出每个文件的全部可引用条目（编号、标签、标题、长度）",
    targets: "列出规划的量化目标（指标、数值、单位、限定、原文）",
    quiz: "用规划目标自测，或打印带答案的题单",
    feedback: "导出 👍/👎 投票及对应的问题和回答",
    index: "根据 seeds 重建 INDEX_DIR 中的索引；--out 目录：另建一份只读索引文件供各实例加载",
    eval: "在评测集上计算 hit@1、首条引用、数字、拒答和婉拒情况，并与朴素基线对比",
    plans: "列出已加载的规划：简称、标题、印发机关、文号、日期、条目数和目标数",
    backup: "把测验和反馈数据库复制到一个文件夹（运行中也安全），默认 DATA_DIR/backups/<时间>",
    restore: "用检查过的备份替换数据文件（一个文件或 policybot backup 的文件夹）；旧文件会保留",
    migrate: "在 DATABASE_URL 指向的 PostgreSQL 中建表，并把 SQLite 数据文件夹（DATA_DIR）复制进去",
  } as Record<string, string>,
  /** Command usage lines with the placeholders in the user's language. */
  usage: {
    start: "policybot start",
    ask: 'policybot ask "<问题>" [--json] | --jsonl',
    chat: "policybot chat",
    search: 'policybot search "<问题>" [-k 条数] [--json]',
    units: "policybot units [--json] [--doc 文件ID]",
    targets: "policybot targets [关键词或编号] [--json | --csv]",
    quiz: "policybot quiz [主题] [--count 题数] [--sheet 题数 [--json]] [--seed 种子] [--user 名字]",
    feedback: "policybot feedback [--json]",
    index: "policybot index [--out 目录]",
    eval: "policybot eval [--set 文件]… [--plans 文件夹] [--misses] [--embedders] [--answers-only]",
    backup: "policybot backup [目标文件夹] [--db quiz|feedback]",
    restore: "policybot restore 备份",
    migrate: "policybot migrate [--from 文件夹]",
  } as Record<string, string>,
  unknownOption: (opt: string) => `没有选项 ${opt}`,
  missingValue: (opt: string) => `选项 ${opt} 需要一个值`,
  noValue: (opt: string) => `选项 ${opt} 不带值`,
  /** The Telegram bot's own sentences (messages-telegram.ts). */
  telegram: telegramMessages.zh,
};

/** The catalogue's shape: every language has every key. */
export type Messages = typeof zh;

const en: Messages = {
  questionNotText: "The question must be text.",
  questionEmpty: "The question is empty. Ask e.g.: what are the plan's targets?",
  questionTooLong: (length, max) => `The question is too long (${length} characters; the limit is ${max}).`,
  questionNoWords: "The question has no words.",

  citations: "Citations:",
  sourceOnly: "Source",
  modeLlm: "LLM answer (citations checked)",
  modeExtractive: "offline extract",
  gradeAnswered: "answered",
  gradeClosest: "closest match (uncertain)",
  gradeDeclined: "cannot answer (not found in the plan)",
  declinedHead: (why) => `The plans loaded do not answer this${why ? ` (${why})` : ""}.`,
  declinedWhy: {
    "other-year": "they do not cover that year",
    "other-day": "they are yearly or multi-year work plans, not about a particular day",
    "other-place": "they do not cover that place",
    advice: "they state policy and do not make personal choices",
    "other-batch": "they do not mention that batch or round",
    outcome: "they set targets and tasks, not what was actually achieved",
    forecast: "they do not forecast markets or prices",
    "no-figure": "they speak of it but give no such figure",
    "no-date": "they speak of it but give no such date",
  },
  declinedCovers: (plans) => `Plans loaded: ${plans}.`,
  planScope: (name, region) => `${name} (${region ?? "national"})`,
  planIssued: (name, date) => `${name} was issued on ${date}.`,
  morePlans: (n) => ` and ${n} more`,
  listSeparator: "; ",
  declinedNearest: (list) => `Nearest parts (a pointer, not an answer): ${list}`,
  pointerSeparator: "; ",
  answerFailed: "Sorry, something went wrong while answering; please rephrase and try again.",

  quizDisabled: "The quiz is not enabled on this server.",
  quizNoTopic: (topic) => (topic ? `No quiz question for the topic "${topic}"; try another (e.g. education, 第5项, （六）).` : "The plans state no quantitative targets to ask about."),
  quizTopicCount: (topic, n, count) => (n >= count ? `The topic "${topic}" has ${n} targets.` : `The topic "${topic}" has only ${n} target(s); the other questions come from related targets.`),
  quizQuestionHeader: (i, total) => `Question ${i}/${total}`,
  quizRight: "✓ Correct!",
  quizWrong: (expected) => `✗ Wrong. The answer: ${expected}`,
  quizSource: (quote, label) => `Plan: "${quote}" (${label})`,
  quizNotUnderstood: (letters) => `I did not understand that answer; type an option letter (${letters}) or the option's text.`,
  quizNeedNumber: "Type an answer with a number (e.g. 12万亩 or 35%).",
  quizQuitHint: " q ends the quiz.",
  quizEmpty: "Type an answer; q ends the quiz.",
  quizRoundScore: (right, asked) => `This round: ${right}/${asked}.`,
  quizTotal: (correct, answered, user) => `Overall: ${correct}/${answered} (user: ${user})`,
  quizStopped: "Quiz interrupted.",
  quizUnknownQuestion: "This question has expired; start a new round.",
  quizNoRound: "This round is over; start a new one.",
  quizAnswerOnce: "This question was already answered; each counts once. Take the next one.",
  quizNotIssued: "This question was not issued to you, or has expired; get a new question first.",
  quizNoTargetsMatch: (topic) => `No targets match "${topic}".`,

  rateLimited: (wait) => `Too many requests; try again in ${wait} s.`,
  unauthorized: "Missing or wrong API token (send Authorization: Bearer <token>).",
  notFound: (path) => `Not found: ${path}`,
  methodNotAllowed: (allow) => `Method not allowed; use ${allow}.`,
  bodyTooBig: (kb) => `The request body is larger than ${kb} KB.`,
  bodyEmpty: 'The request body is empty; send e.g. {"q":"What are the plan\'s targets?"}',
  bodyNotJson: "The request body is not valid JSON.",
  notJsonType: (got) => `Send the body as JSON with Content-Type: application/json (got ${got || "none"}).`,
  bodyUnreadable: "The request body could not be read.",
  invalidRequest: (details) => `Invalid request: ${details}`,
  badClientId: "Send X-Client-Id: 8–64 characters of A–Z, a–z, 0–9, _ and -.",
  badK: "k must be a whole number from 1 to 50.",
  badUnitRef: "The unit ref is not valid URL encoding (e.g. task%3A5).",
  noDocument: (doc) => `No document ${doc}`,
  noUnit: (ref, doc) => `No unit ${ref}${doc ? ` in ${doc}` : ""}`,
  noAnswer: "This answer has expired or does not exist.",
  feedbackDisabled: "Feedback is not enabled on this server.",
  internalError: "Internal error; please try again later.",

  cliTagline: "policybot: answers questions about policy plans, citing the plan's own numbered units.",
  cliUsage: "Usage:",
  cliFooter: "Configuration comes from environment variables; see README.md. --lang zh switches to Chinese.",
  cliUnknownCommand: (name) => `policybot: unknown command "${name}".`,
  cliBadArgs: (command, detail) => `policybot ${command}: ${detail}. See \`policybot help\`.`,
  cliNeedQuestion: (command) => `policybot ${command}: give a question, e.g. policybot ${command} "What are the plan's targets?"`,
  cliWholeNumber: (command, name, max, raw) => `policybot ${command}: ${name} expects a whole number from 1 to ${max}, got "${raw}".`,
  cliFailed: (command, message) => `policybot ${command} failed: ${message}`,
  cliConfig: (message) => message,
  cliJsonNeedsSheet: "policybot quiz: --json goes with --sheet N (the interactive quiz prints text).",
  cliUnknownType: (bad, all) => `policybot quiz: unknown question type "${bad}"; use ${all}.`,
  cliOneFormat: "policybot targets: choose one of --json and --csv.",
  cliPortInUse: (port) => `Port ${port} is already in use: set PORT= to another port (e.g. PORT=8081 npm start) or stop the program using it.`,
  cliListening: (url, mode) => `policybot: web chat and HTTP API at ${url} (${mode}). Ctrl-C stops it.`,
  cliNextStep: 'Ask from a terminal: npx policybot ask "your question", or npx policybot chat for a conversation.',
  cliNothingToRun: "policybot: nothing to run (no TELEGRAM_BOT_TOKEN and WEB=off). Use `policybot chat` for the terminal chat.",
  jsonlNotJson: (line) => `line ${line} is not valid JSON`,
  jsonlBadLine: (line, problems) => `line ${line}: ${problems}; each line must be {"q":"question"}, optionally with id, history, doc`,
  jsonlMissing: (field) => `${field} is missing`,
  jsonlWrongType: (field) => `${field} has the wrong type`,
  jsonlBadDoc: (line, detail) => `line ${line}: doc: ${detail}`,
  jsonlLine: (line, detail) => `line ${line}: ${detail}`,
  jsonlInternal: (line) => `line ${line}: internal error while answering; see the log`,
  noVotes: "No votes yet.",
  confidence: (c, low) => `confidence ${c}${low ? ` (low: ${low})` : ""}`,
  score: (s, byNumber) => `score ${s}${byNumber ? " (by number)" : ""}`,
  unitChars: (n) => `(${n} chars)`,
  indexBuilt: (chunks, docs, embedder, dims, ms, dir) => `built ${chunks} chunks from ${docs} document(s) with ${embedder} (${dims} dimensions) in ${ms} ms → ${dir}/`,
  indexFigures: (mb, mbPerS, artifactMb, version) => `${mb.toFixed(2)} MB of plan text at ${mbPerS.toFixed(2)} MB/s; artifact ${artifactMb.toFixed(1)} MB (format ${version})`,
  indexExists: (dir) => `error: ${dir} exists already. An index artifact is never changed once written: choose a new folder or remove it first.`,
  planSkipped: (message) => `warning: ${message} (skipped)`,
  planWarning: (where, message) => `warning: ${where}: ${message}`,
  noPlans: (dir) => `error: no policy documents could be loaded from ${dir}/ (add .txt, .md, .html, .docx or .pdf files)`,
  votesSummary: (n, up, down, answers, abstentions) => `\n${n} vote(s): 👍 ${up} · 👎 ${down}; ${answers} answers recorded, ${abstentions} abstentions.`,

  chatMode: (mode) => `Mode: ${mode}. Type /help for help, Ctrl-D to quit.`,
  chatHelp: `Type a question, e.g.:
  What are the plan's targets? / How much should X reach?
  Your situation in everyday words (e.g. will village clinics improve?)
  第5项 / what does task 5 say
Commands: /task N  /section N  /part N  /reset (forget the context)  /help  /quit (or Ctrl-D)`,
  chatReset: "Context cleared.",
  chatUnknown: (cmd) => `Unknown command ${cmd}.`,
  chatBye: "Bye.",
  chatPrompt: "ask> ",
  tasksUnder: "Tasks under it:",

  summary: {
    start: "run policybot: web chat + HTTP API offline by default; the Telegram bot when TELEGRAM_BOT_TOKEN is set",
    ask: "answer a question with citations; --jsonl answers JSON lines from stdin",
    chat: "interactive terminal chat with follow-ups, /task N and /help",
    search: "rank the units that answer a question, with confidence",
    units: "list every citable unit (ref, label, heading, length) of every document",
    targets: "list the plans' quantitative targets (metric, value, unit, qualifier, verbatim quote)",
    quiz: "quiz yourself on the plans' targets, or print a question sheet with an answer key",
    feedback: "export the 👍/👎 votes with their questions and answers",
    index: "rebuild the index in INDEX_DIR from the seeds; --out DIR: write a read-only index artifact for instances to load",
    plans: "list the loaded plans: short name, title, issuers, document number, date, unit and target counts",
    migrate: "create the PostgreSQL schema of DATABASE_URL and copy a SQLite data folder (DATA_DIR) into it",
  },
  usage: {},
  unknownOption: (opt) => `unknown option ${opt}`,
  missingValue: (opt) => `option ${opt} needs a value`,
  noValue: (opt) => `option ${opt} takes no value`,
  telegram: telegramMessages.en,
};

const catalogue: Record<Lang, Messages> = { zh, en };

/**
 * The messages in a language.
 * @example messages(langOf(question)).questionTooLong(1920, 500)
 */
export function messages(lang: Lang = "zh"): Messages {
  return catalogue[lang];
}
