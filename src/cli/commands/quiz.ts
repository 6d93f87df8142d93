import { createInterface } from "node:readline";
import { quizSheet } from "../../quiz/compose.js";
import { filterTargets, formatOptions, hash32, mulberry32 } from "../../quiz/generate.js";
import { createQuizService } from "../../quiz/service.js";
import { quizDbPath, SqliteQuizStore } from "../../quiz/store.js";
import { QUESTION_TYPES, type QuestionType } from "../../quiz/types.js";
import { extractTargets, figureOf } from "../../targets/extract.js";
import type { Target } from "../../targets/types.js";
import { parseCommandArgs, UsageError } from "../args.js";
import { type Command, type CommandContext, println } from "../context.js";
import { loadPlansReported } from "../plans.js";

/** The plans' ledger and units, or undefined (after telling the user) when no plan loaded. */
function loadLedger(ctx: CommandContext) {
  const { docs } = loadPlansReported(ctx);
  if (docs.length === 0) return undefined;
  return { docs, targets: docs.flatMap((d) => extractTargets(d)), units: docs.flatMap((d) => d.units) };
}

function positiveInt(command: string, name: string, raw: string | undefined, fallback: number, max = 500): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`policybot ${command}: --${name} expects a whole number from 1 to ${max}, got "${raw}".`);
  return n;
}

/** A seed typed as a number is used as is; any other text is hashed, so --seed spring2026 works too. */
const seedOf = (raw: string | undefined) => (raw === undefined ? undefined : /^\d+$/.test(raw) ? Number(raw) % 2 ** 32 : hash32(raw));

function typesOf(raw: string | undefined): QuestionType[] | undefined {
  if (!raw) return undefined;
  const types = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = types.filter((t) => !(QUESTION_TYPES as readonly string[]).includes(t));
  if (bad.length) throw new UsageError(`policybot quiz: unknown question type "${bad.join(",")}"; use ${QUESTION_TYPES.join(", ")}.`);
  return types as QuestionType[];
}

/**
 * `policybot quiz [topic] [--count N] [--sheet N [--json]] [--seed S] [--user NAME] [--types …]`:
 * an interactive round in the terminal (answers read line by line from stdin, so piped input works),
 * or a printable sheet with its answer key.
 */
export const quizCommand: Command = {
  name: "quiz",
  usage: "policybot quiz [topic] [--count N] [--sheet N [--json]] [--seed S] [--user NAME]",
  summary: "quiz yourself on the plans' targets, or print a question sheet with an answer key",
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs("quiz", argv, {
      sheet: { type: "string" },
      json: { type: "boolean" },
      seed: { type: "string" },
      user: { type: "string" },
      count: { type: "string" },
      types: { type: "string" },
    });
    const topic = positionals.join(" ").trim() || undefined;
    const types = typesOf(values.types);
    if (values.json && values.sheet === undefined) throw new UsageError("policybot quiz: --json goes with --sheet N (the interactive quiz prints text).");
    const ledger = loadLedger(ctx);
    if (!ledger) return 1;

    if (values.sheet !== undefined) {
      const count = positiveInt("quiz", "sheet", values.sheet, 10);
      const seed = seedOf(values.seed) ?? Math.floor(Math.random() * 1e6);
      const { questions, text } = quizSheet(ledger.targets, ledger.units, { count, topic, seed, types });
      if (questions.length === 0) return noTargets(ctx, topic);
      if (values.json) {
        println(ctx.stdout, JSON.stringify(questions.map(({ type, question, options, answer, ref, label, quote }) => ({ type, question, options, answer, ref, label, quote })), null, 2));
      } else println(ctx.stdout, text);
      return 0;
    }

    const count = positiveInt("quiz", "count", values.count, 5);
    const seed = seedOf(values.seed);
    const store = new SqliteQuizStore(quizDbPath(ctx.config.DATA_DIR));
    try {
      const quiz = createQuizService({ store, targets: ledger.targets, units: ledger.units, ...(seed !== undefined ? { random: mulberry32(seed) } : {}) });
      const userId = `cli:${values.user ?? "local"}`;
      // One session asks each target once; a topic with too few goes on with related targets, and says so.
      const asked: string[] = [];
      let question = quiz.next(userId, { topic, types, exclude: asked });
      if (!question) return noTargets(ctx, topic);
      const size = quiz.topicSize(topic);
      if (topic && size < count) println(ctx.stdout, `主题“${topic}”只有${size}个目标，之后的题目来自相关条目。`);
      let right = 0;
      const show = () => {
        println(ctx.stdout, `\n第${asked.length + 1}/${count}题  ${question!.question}`);
        if (question!.options.length) println(ctx.stdout, formatOptions(question!).split("\n").map((l) => `  ${l}`).join("\n"));
        ctx.stdout.write("> ");
      };
      show();
      const rl = createInterface({ input: ctx.stdin, crlfDelay: Infinity, terminal: false });
      for await (const line of rl) {
        const response = line.trim();
        if (!response) continue;
        if (/^(?:q|quit|exit|退出)$/i.test(response)) break;
        const grade = quiz.answer(userId, question, response);
        asked.push(question.targetKey);
        if (grade.correct) right++;
        println(ctx.stdout, grade.correct ? "✓ 正确！" : `✗ 错误。正确答案：${grade.expected}`);
        println(ctx.stdout, `  原文：“${grade.quote}”（${grade.label}）`);
        if (asked.length >= count) break;
        question = quiz.next(userId, { topic, types, exclude: asked });
        if (!question) break;
        show();
      }
      rl.close();
      const total = quiz.score(userId);
      println(ctx.stdout, `\n本轮得分：${right}/${asked.length}。累计：${total.correct}/${total.answered}（用户 ${values.user ?? "local"}）`);
      return 0;
    } finally {
      store.close();
    }
  },
};

function noTargets(ctx: CommandContext, topic: string | undefined): number {
  println(ctx.stderr, topic ? `policybot quiz: no targets match "${topic}" (try a keyword such as 教育, a task such as 第5项 or a section such as （六））.` : "policybot quiz: the plans state no quantitative targets to ask about.");
  return 1;
}

/** The ledger fields the JSON and CSV outputs carry; the names are a contract. */
const FIELDS = ["doc", "ref", "label", "metric", "value", "unit", "qualifier", "quote"] as const;

/** One CSV field: quoted when it holds a comma, a quote, a line break or edge spaces (RFC 4180). */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `policybot targets [keyword or label] [--json | --csv]`: the targets ledger, filtered like a quiz topic. */
export const targetsCommand: Command = {
  name: "targets",
  usage: "policybot targets [keyword or label] [--json | --csv]",
  summary: "list the plans' quantitative targets (metric, value, unit, qualifier, verbatim quote)",
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs("targets", argv, { json: { type: "boolean" }, csv: { type: "boolean" } });
    if (values.json && values.csv) throw new UsageError("policybot targets: choose one of --json and --csv.");
    const ledger = loadLedger(ctx);
    if (!ledger) return 1;
    const topic = positionals.join(" ").trim() || undefined;
    const list = filterTargets(ledger.targets, ledger.units, topic);
    if (values.json) {
      println(ctx.stdout, JSON.stringify(list.map((t) => Object.fromEntries(FIELDS.map((f) => [f, t[f]]))), null, 2));
    } else if (values.csv) {
      ctx.stdout.write([FIELDS.join(","), ...list.map((t) => FIELDS.map((f) => csvField(t[f])).join(","))].map((l) => `${l}\r\n`).join(""));
    } else {
      printGrouped(ctx, ledger, list);
    }
    if (list.length === 0 && topic) println(ctx.stderr, `policybot targets: no targets match "${topic}".`);
    return list.length || !topic ? 0 : 1;
  },
};

function printGrouped(ctx: CommandContext, ledger: NonNullable<ReturnType<typeof loadLedger>>, list: Target[]): void {
  for (const d of ledger.docs) {
    const mine = list.filter((t) => t.doc === d.id);
    if (mine.length === 0) continue;
    println(ctx.stdout, `# ${d.id}: ${d.meta.title}（${mine.length}项目标）`);
    for (const u of d.units) {
      const here = mine.filter((t) => t.ref === u.ref);
      if (here.length === 0) continue;
      println(ctx.stdout, `\n${u.label.includes(u.heading) ? u.label : `${u.label} ${u.heading}`}`);
      for (const t of here) println(ctx.stdout, `  ${t.metric} ${figureOf(t)}${t.qualifier ? ` ${t.qualifier}` : ""}  “${t.quote}”`);
    }
  }
}
