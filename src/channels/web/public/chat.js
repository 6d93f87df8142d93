// The chat: streamed answers with citation chips, votes, copy and share, example questions,
// the conversation kept in localStorage across reloads, and export as Markdown.
import { chip, tagOf } from "./unit.js";
import { $, ApiError, copyText, download, el, getJson, langOf, plan, postJson, request, showError, toast, words, docParam } from "./util.js";

/** Turns sent for follow-ups: the engine reads the last 6, and the server takes at most 10. */
const MAX_HISTORY = 6;
/** Bodies stay under the server's 16 KB limit even with long questions and answers. */
const MAX_BODY = 15000;
/** Turns kept in the browser; older ones are dropped so storage stays small. */
const MAX_KEPT = 50;
const STORE_KEY = "policybot.chat";

/** The conversation: { q, result } per turn, result being the /api/ask JSON (plus the user's vote). */
let turns = [];
let busy = false;
let feedbackOn = false;

export function enableFeedback(on) {
  feedbackOn = on;
}

function save() {
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify({ doc: plan.doc, turns: turns.slice(-MAX_KEPT) }));
  } catch {
    /* storage full or disabled: the conversation simply is not kept */
  }
}

/** How firmly the question was answered: the server's grade, or (older servers) derived from abstained. */
export const gradeOf = (r) => r.grade ?? (r.abstained ? (r.citations?.length ? "closest" : "declined") : "answered");

/** Answer text with every 〔label〕 that matches a citation turned into a chip. */
function renderAnswer(text, citations) {
  const p = el("p", { class: "answer-text" });
  const byLabel = new Map();
  for (const c of citations) if (!byLabel.has(tagOf(c))) byLabel.set(tagOf(c), c);
  let last = 0;
  for (const m of text.matchAll(/〔([^〕]{1,40})〕/g)) {
    const c = byLabel.get(m[1]);
    if (!c) continue;
    p.append(text.slice(last, m.index), chip(c));
    last = m.index + m[0].length;
  }
  p.append(text.slice(last));
  return p;
}

function sourcesList(citations, w) {
  const seen = new Set();
  const items = [];
  for (const c of citations) {
    const k = `${c.ref}\u0000${c.quote}`;
    if (seen.has(k) || c.quote === c.heading) continue;
    seen.add(k);
    items.push(el("li", {}, chip(c), el("q", {}, c.quote)));
  }
  return items.length ? el("details", { class: "sources" }, el("summary", {}, w.sources(items.length)), el("ul", {}, ...items)) : undefined;
}

/** The answer as plain text with its sources, for the clipboard and the export. */
function answerText(r) {
  const lines = [r.answer];
  const seen = new Set();
  for (const c of r.citations) {
    const k = `${c.ref}\u0000${c.quote}`;
    if (seen.has(k)) continue;
    seen.add(k);
    lines.push(`〔${c.label}〕${c.heading}${c.quote && c.quote !== c.heading && !r.answer.includes(c.quote) ? `：“${c.quote}”` : ""}`);
  }
  return lines.join("\n");
}

const questionLink = (q) => `${location.origin}${location.pathname}#q=${encodeURIComponent(q)}`;

function voteButtons(turn, w) {
  const box = el("span", { class: "votes", role: "group", "aria-label": w.up + " / " + w.down });
  const make = (vote, icon, label) => {
    const b = el("button", { type: "button", class: "tool vote", "aria-label": label, title: label, "aria-pressed": String(turn.result.vote === vote) }, icon);
    b.addEventListener("click", async () => {
      try {
        await postJson("/api/feedback", { answerId: turn.result.answerId, vote });
      } catch (err) {
        toast(err instanceof ApiError ? err.message : "出错了，请重试。");
        return;
      }
      turn.result.vote = vote;
      save();
      for (const other of box.querySelectorAll("button")) other.setAttribute("aria-pressed", String(other === b));
      toast(w.thanks);
    });
    return b;
  };
  box.append(make("up", "👍", w.up), make("down", "👎", w.down));
  return box;
}

function renderResult(body, turn) {
  const r = turn.result;
  const w = words(langOf(r.question));
  const grade = gradeOf(r);
  body.classList.toggle("uncertain", grade !== "answered");
  body.replaceChildren(el("p", { class: `grade grade-${grade}` }, w[grade]), renderAnswer(r.answer, r.citations));
  const sources = sourcesList(r.citations, w);
  if (sources) body.append(sources);
  const copy = el("button", { type: "button", class: "tool" }, w.copy);
  copy.addEventListener("click", async () => {
    if (await copyText(answerText(r))) toast(w.copied);
  });
  const share = el("button", { type: "button", class: "tool" }, w.share);
  share.addEventListener("click", async () => {
    if (await copyText(questionLink(r.question))) toast(w.linkCopied);
  });
  const tools = el("div", { class: "tools" }, copy, share);
  if (feedbackOn && r.answerId) tools.append(voteButtons(turn, w));
  tools.append(el("span", { class: "meta" }, `${r.mode === "llm" ? w.modeLlm : w.modeExtractive} · ${w.ms(Math.round(r.ms))}`));
  body.append(tools);
}

function addTurn(question) {
  const body = el("div", { class: "answer", "aria-busy": "true" }, el("p", { class: "hint" }, "正在查找原文…"));
  const li = el("li", { class: "turn" }, el("p", { class: "question" }, question), body);
  $("turns").append(li);
  return { li, body };
}

/** Reads a text/event-stream response and calls onEvent(name, data) for each event. */
async function readEvents(res, onEvent) {
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let end;
    while ((end = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      let name = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      onEvent(name, data ? JSON.parse(data) : null);
    }
  }
}

/** The request body; answers are cut short and the oldest turns dropped until it fits. */
function askBody(question) {
  let history = turns.slice(-MAX_HISTORY).map((t) => ({ q: t.result.question, a: t.result.answer.slice(0, 300) }));
  const make = () => JSON.stringify({ q: question, history, ...(plan.doc ? { doc: plan.doc } : {}) });
  let body = make();
  while (new TextEncoder().encode(body).length > MAX_BODY && history.length) {
    history = history.slice(1);
    body = make();
  }
  return body;
}

/** Asks a question; the answer's top is scrolled into view when it arrives (not only when the question is sent). */
export async function ask(question) {
  if (busy) return;
  busy = true;
  $("ask-send").disabled = true;
  showError("chat-error", null);
  $("chat-hint").hidden = true;
  const { li, body } = addTurn(question);
  li.scrollIntoView({ block: "nearest" });
  try {
    const res = await request("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: askBody(question),
    });
    let result;
    let draft = "";
    if ((res.headers.get("Content-Type") ?? "").startsWith("text/event-stream")) {
      await readEvents(res, (name, data) => {
        if (name === "token") {
          // The streamed draft is shown as plain text; the verified answer replaces it.
          draft += data.text;
          body.replaceChildren(el("p", { class: "answer-text draft" }, draft));
        } else if (name === "answer") result = data;
        else if (name === "error") throw new ApiError(data.error);
      });
    } else result = await res.json();
    if (!result) throw new ApiError("回答中断了，请重试。");
    const turn = { result };
    turns.push(turn);
    save();
    renderResult(body, turn);
    $("q").value = "";
    $("chat-export").disabled = false;
    li.scrollIntoView({ block: "start" });
  } catch (err) {
    li.remove();
    if (turns.length === 0) $("chat-hint").hidden = false;
    showError("chat-error", err instanceof ApiError ? err : new ApiError("网络连接中断，请重试。"));
  } finally {
    body.removeAttribute("aria-busy");
    busy = false;
    $("ask-send").disabled = false;
    $("q").focus({ preventScroll: true });
  }
}

/** Shows the conversation kept from an earlier visit (same plan). */
export function restore() {
  turns = [];
  try {
    const kept = JSON.parse(localStorage.getItem(STORE_KEY) ?? "null");
    if (!kept || !Array.isArray(kept.turns) || (kept.doc ?? "") !== plan.doc) return;
    turns = kept.turns.filter((t) => t?.result && typeof t.result.answer === "string" && Array.isArray(t.result.citations));
  } catch {
    turns = [];
  }
  for (const turn of turns) {
    const { body } = addTurn(turn.result.question);
    body.removeAttribute("aria-busy");
    renderResult(body, turn);
  }
  $("chat-hint").hidden = turns.length > 0;
  $("chat-export").disabled = turns.length === 0;
}

/** Clears the conversation and shows the examples again. */
export function reset() {
  turns = [];
  save();
  $("turns").replaceChildren();
  $("chat-hint").hidden = false;
  $("chat-export").disabled = true;
  showError("chat-error", null);
  $("q").focus();
}

/** Example questions built from the plan itself: a target's metric, a section's tasks, a task. */
export async function loadExamples() {
  const examples = [];
  try {
    const [targets, toc] = await Promise.all([getJson(`/api/targets${docParam()}`), getJson(`/api/toc${docParam()}`)]);
    const metrics = [...new Set(targets.targets.map((t) => t.metric).filter((m) => m.length >= 4 && m.length <= 16))];
    if (metrics[0]) examples.push(`${metrics[0]}的目标是多少？`);
    const units = toc.documents.flatMap((d) => d.units);
    const section = units.find((u) => u.ref.startsWith("section:"));
    if (section) examples.push(`${section.label}下面有哪些任务？`);
    const task = units.find((u) => u.ref.startsWith("task:"));
    if (task) examples.push(`${task.label}讲什么？`);
    if (metrics[1]) examples.push(`${metrics[1]}要达到多少？`);
  } catch {
    /* the generic examples below */
  }
  if (examples.length === 0) examples.push("有哪些量化目标？", "第一部分讲什么？");
  $("examples").replaceChildren(...examples.slice(0, 4).map((q) => {
    const b = el("button", { type: "button", class: "example" }, q);
    b.addEventListener("click", () => ask(q));
    return el("li", {}, b);
  }));
}

/** The conversation as Markdown, for download. */
function exportMarkdown() {
  const lines = [`# 政策问答 · 对话记录`, "", `导出时间：${new Date().toLocaleString("zh-CN")}`, ""];
  for (const { result: r } of turns) lines.push(`## 问：${r.question}`, "", answerText(r), "");
  return lines.join("\n");
}

$("ask-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("q").value.trim();
  if (!q) {
    // The message sits in the sticky bar above the input, so it is in view however long the conversation is.
    showError("chat-error", new ApiError("请先输入问题再发送。"));
    $("q").focus();
    return;
  }
  ask(q);
});
$("q").addEventListener("input", () => {
  if ($("q").value.trim()) showError("chat-error", null);
});
$("ask-reset").addEventListener("click", reset);
$("chat-export").addEventListener("click", () => download("政策问答-对话.md", exportMarkdown(), "text/markdown;charset=utf-8"));
