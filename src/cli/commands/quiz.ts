import { createInterface } from "node:readline";
import { quizSheet } from "../../quiz/compose.js";
import { filterTargets, formatOptions, hash32, mulberry32 } from "../../quiz/generate.js";
import type { Messages } from "../../answer/messages.js";
import { understands } from "../../quiz/grade.js";
import { createQuizService } from "../../quiz/service.js";
import { openStorage } from "../../storage.js";
import { QUESTION_TYPES, type QuestionType } from "../../quiz/types.js";
import { describeValue } from "../../targets/describe.js";
import { extractTargets } from "../../targets/extract.js";
import type { Target } from "../../targets/types.js";
import { parseCommandArgs, UsageError } from "../args.js";
import { type Command, type CommandContext, println } from "../context.js";
import { choosePlan, loadPlansReported } from "../plans.js";

/** The plans' ledger and units, or undefined (after telling the user) when no plan loaded. */
function loadLedger(ctx: CommandContext, command: string, doc?: string) {
  const loaded = loadPlansReported(ctx).docs;
  if (loaded.length === 0) return undefined;
  // --doc: one plan's targets (and its units, so that topics and distractors stay within it).
  const chosen = choosePlan(command, loaded, doc);
  const docs = chosen ? loaded.filter((d) => d.id === chosen) : loaded;
  return { docs, targets: docs.flatMap((d) => extractTargets(d)), units: docs.flatMap((d) => d.units) };
}

function positiveInt(m: Messages, command: string, name: string, raw: string | undefined, fallback: number, max = 500): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(m.cliWholeNumber(command, `--${name}`, max, raw));
  return n;
}

/** A seed typed as a number is used as is; any other text is hashed, so --seed spring2026 works too. */
const seedOf = (raw: string | undefined) => (raw === undefined ? undefined : /^\d+$/.test(raw) ? Number(raw) % 2 ** 32 : hash32(raw));

function typesOf(m: Messages, raw: string | undefined): QuestionType[] | undefined {
  if (!raw) return undefined;
  const types = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = types.filter((t) => !(QUESTION_TYPES as readonly string[]).includes(t));
  if (bad.length) throw new UsageError(m.cliUnknownType(bad.join(","), QUESTION_TYPES.join(", ")));
  return types as QuestionType[];
}

/**
 * `policybot quiz [topic] [--count N] [--sheet N [--json]] [--seed S] [--user NAME] [--types …]`:
 * an interactive round in the terminal (answers read line by line from stdin, so piped input works),
 * or a printable sheet with its answer key.
 */
export const quizCommand: Command = {
  name: "quiz",
  usage: "policybot quiz [topic] [--doc PLAN] [--count N] [--sheet N [--json]] [--seed S] [--user NAME]",
  summary: "quiz yourself on the plans' targets, or print a question sheet with an answer key",
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs("quiz", argv, {
      sheet: { type: "string" },
      json: { type: "boolean" },
      seed: { type: "string" },
      user: { type: "string" },
      count: { type: "string" },
      types: { type: "string" },
      doc: { type: "string" },
    }, ctx.m);
    const { m, c } = ctx;
    const topic = positionals.join(" ").trim() || undefined;
    const types = typesOf(m, values.types);
    if (values.json && values.sheet === undefined) throw new UsageError(m.cliJsonNeedsSheet);
    const ledger = loadLedger(ctx, "quiz", values.doc);
    if (!ledger) return 1;

    if (values.sheet !== undefined) {
      const count = positiveInt(m, "quiz", "sheet", values.sheet, 10);
      const seed = seedOf(values.seed) ?? Math.floor(Math.random() * 1e6);
      const { questions, text } = quizSheet(ledger.targets, ledger.units, { count, topic, seed, types });
      if (questions.length === 0) return noTargets(ctx, topic);
      if (values.json) {
        println(ctx.stdout, JSON.stringify(questions.map(({ type, question, options, answer, ref, label, quote }) => ({ type, question, options, answer, ref, label, quote })), null, 2));
      } else println(ctx.stdout, text);
      return 0;
    }

    const count = positiveInt(m, "quiz", "count", values.count, 5);
    const seed = seedOf(values.seed);
    const storage = await openStorage(ctx.config, { logger: ctx.logger });
    const store = storage.quiz;
    try {
      const quiz = createQuizService({ store, targets: ledger.targets, units: ledger.units, ...(seed !== undefined ? { random: mulberry32(seed) } : {}) });
      const user = values.user ?? "local";
      const userId = `cli:${user}`;
      // One session asks each target once; a topic with too few goes on with related targets, and says so.
      const seen: string[] = [];
      let question = await quiz.next(userId, { topic, types, exclude: seen });
      if (!question) return noTargets(ctx, topic);
      if (topic) println(ctx.stdout, c.dim(m.quizTopicCount(topic, quiz.topicSize(topic), count)));
      let asked = 0;
      let right = 0;
      const prompt = () => ctx.stdout.write(c.green("> "));
      const show = () => {
        println(ctx.stdout, `\n${c.bold(m.quizQuestionHeader(asked + 1, count))}  ${question!.question}`);
        if (question!.options.length) println(ctx.stdout, formatOptions(question!).split("\n").map((l) => `  ${l}`).join("\n"));
        prompt();
      };
      show();
      const rl = createInterface({ input: ctx.stdin, crlfDelay: Infinity, terminal: false });
      // Ctrl-C ends the round like q does, so the score is still shown.
      let interrupted = false;
      const onSigint = () => {
        interrupted = true;
        rl.close();
      };
      process.once("SIGINT", onSigint);
      try {
        for await (const line of rl) {
          const response = line.trim();
          if (!response) {
            println(ctx.stdout, c.dim(m.quizEmpty));
            prompt();
            continue;
          }
          if (/^(?:q|quit|exit|退出)$/i.test(response)) break;
          // A typo is asked again rather than graded wrong.
          if (!understands(question, response)) {
            const hint = question.type === "fill" ? m.quizNeedNumber : m.quizNotUnderstood(question.type === "true-false" ? "对/错" : question.options.map((_, i) => String.fromCharCode(65 + i)).join("/"));
            println(ctx.stdout, c.yellow(hint + m.quizQuitHint));
            prompt();
            continue;
          }
          const grade = await quiz.answer(userId, question, response);
          asked++;
          seen.push(question.targetKey);
          if (grade.correct) right++;
          println(ctx.stdout, grade.correct ? c.green(m.quizRight) : c.red(m.quizWrong(grade.expected)));
          println(ctx.stdout, `  ${c.dim(m.quizSource(grade.quote, grade.label))}`);
          if (asked >= count) break;
          question = await quiz.next(userId, { topic, types, exclude: seen });
          if (!question) break;
          show();
        }
      } finally {
        process.off("SIGINT", onSigint);
        rl.close();
      }
      const total = await quiz.score(userId);
      if (interrupted) println(ctx.stdout, `\n${m.quizStopped}`);
      println(ctx.stdout, `\n${c.bold(m.quizRoundScore(right, asked))}${m.quizTotal(total.correct, total.answered, user)}`);
      return 0;
    } finally {
      await storage.close();
    }
  },
};

function noTargets(ctx: CommandContext, topic: string | undefined): number {
  println(ctx.stderr, `policybot quiz: ${ctx.m.quizNoTopic(topic ?? "")}`);
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
  usage: "policybot targets [keyword or label] [--doc PLAN] [--json | --csv]",
  summary: "list the plans' quantitative targets (metric, value, unit, qualifier, verbatim quote)",
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs("targets", argv, { json: { type: "boolean" }, csv: { type: "boolean" }, doc: { type: "string" } }, ctx.m);
    if (values.json && values.csv) throw new UsageError(ctx.m.cliOneFormat);
    const ledger = loadLedger(ctx, "targets", values.doc);
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
    if (list.length === 0 && topic) println(ctx.stderr, `policybot targets: ${ctx.m.quizNoTargetsMatch(topic)}`);
    return list.length || !topic ? 0 : 1;
  },
};

function printGrouped(ctx: CommandContext, ledger: NonNullable<ReturnType<typeof loadLedger>>, list: Target[]): void {
  for (const d of ledger.docs) {
    const mine = list.filter((t) => t.doc === d.id);
    if (mine.length === 0) continue;
    println(ctx.stdout, ctx.c.bold(`# ${d.meta.title}（${mine.length}项目标）`));
    for (const u of d.units) {
      const here = mine.filter((t) => t.ref === u.ref);
      if (here.length === 0) continue;
      println(ctx.stdout, `\n${ctx.c.cyan(u.label.includes(u.heading) ? u.label : `${u.label} ${u.heading}`)}`);
      for (const t of here) println(ctx.stdout, `  ${t.metric}：${ctx.c.bold(describeValue(t))}  ${ctx.c.dim(`“${t.quote}”`)}`);
    }
  }
}
