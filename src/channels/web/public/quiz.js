// The quiz in rounds of five, with letters on the options and a leaderboard at the end (as in Telegram).
import { chip } from "./unit.js";
import { $, ApiError, el, postJson, showError } from "./util.js";

const LETTERS = "ABCDEFGH";
const NAME_KEY = "policybot.quizName";
let round;
let answered = false;
let pending;
/** The server's remark on the round's topic (how many targets it has), shown beside the progress. */
let note = "";

function showQuestion(r) {
  round = r;
  answered = false;
  const q = r.question;
  $("quiz-card").hidden = false;
  $("quiz-board").hidden = true;
  $("quiz-result").replaceChildren();
  if (r.note !== undefined || r.index === 0) note = r.note ?? "";
  $("quiz-progress").textContent = `第 ${r.index + 1} / ${r.total} 题${note ? ` · ${note}` : ""}`;
  $("quiz-question").textContent = q.question;
  const options = q.options ?? [];
  const lettered = q.type !== "true-false";
  $("quiz-options").replaceChildren(...options.map((o, i) => {
    const b = el("button", { type: "button", class: "option", "data-option": o }, lettered ? el("span", { class: "letter" }, `${LETTERS[i]}.`) : "", lettered ? " " : "", o);
    b.addEventListener("click", () => submitAnswer(o, b));
    return b;
  }));
  $("quiz-options").hidden = options.length === 0;
  $("quiz-fill").hidden = options.length > 0;
  $("quiz-response").value = "";
  for (const c of $("quiz-fill").elements) c.disabled = false;
  (options.length ? $("quiz-options").querySelector("button") : $("quiz-response")).focus();
}

async function startRound() {
  showError("quiz-error", null);
  const topic = $("quiz-topic").value.trim();
  const name = $("quiz-name").value.trim();
  localStorage.setItem(NAME_KEY, name);
  try {
    showQuestion(await postJson("/api/quiz/round", { ...(topic ? { topic } : {}), ...(name ? { name } : {}), count: 5 }));
  } catch (err) {
    showError("quiz-error", err);
  }
}

async function submitAnswer(response, button) {
  if (!round || answered) return;
  showError("quiz-error", null);
  let grade;
  try {
    const name = $("quiz-name").value.trim();
    grade = await postJson("/api/quiz/answer", { roundId: round.roundId, index: round.index, response, ...(name ? { name } : {}) });
  } catch (err) {
    showError("quiz-error", err);
    return;
  }
  answered = true;
  // expected carries the option's letter (C. 第5项 …) for lettered options.
  const expected = grade.expected.replace(/^[A-H][.．、]\s*/, "");
  for (const b of $("quiz-options").querySelectorAll("button")) {
    b.disabled = true;
    if (b.dataset.option === expected) b.classList.add("right");
  }
  for (const c of $("quiz-fill").elements) c.disabled = true; // one answer per question
  if (button && !grade.correct) button.classList.add("wrong");
  const cite = { doc: round.question.doc ?? "", ref: grade.ref, label: grade.label, heading: "", quote: grade.quote };
  pending = grade;
  const last = Boolean(grade.finished);
  $("quiz-result").replaceChildren(...[
    el("p", { class: grade.correct ? "verdict right" : "verdict wrong" }, grade.correct ? "✓ 回答正确" : `✗ 回答错误，正确答案：${grade.expected}`),
    el("p", { class: "quote" }, el("q", {}, grade.quote), " ", chip(cite)),
    el("button", { type: "button", id: "quiz-again" }, last ? "查看本轮成绩" : "下一题"),
  ]);
  $("quiz-again").addEventListener("click", advance);
  $("quiz-again").focus();
}

function advance() {
  const grade = pending;
  if (!grade) return;
  if (grade.next) return showQuestion(grade.next);
  showBoard(grade);
}

function showBoard(grade) {
  round = undefined;
  $("quiz-card").hidden = true;
  const board = $("quiz-board");
  const rows = (grade.leaderboard ?? []).map((s, i) =>
    el("tr", { class: s.me ? "me" : "" }, el("td", {}, String(i + 1)), el("td", {}, s.displayName || "访客"), el("td", { class: "num" }, `${s.correct} / ${s.answered}`)));
  board.replaceChildren(...[
    el("h2", {}, `本轮成绩：答对 ${grade.finished.correct} / ${grade.finished.answered} 题`),
    el("p", { class: "hint" }, `累计：答对 ${grade.score.correct} / ${grade.score.answered} 题`),
    rows.length
      ? el("table", { class: "board" }, el("caption", {}, "排行榜（答对题数）"), el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "名次"), el("th", { scope: "col" }, "昵称"), el("th", { scope: "col" }, "答对 / 已答"))), el("tbody", {}, ...rows))
      : undefined,
    el("button", { type: "button", id: "quiz-restart" }, "再来一轮"),
  ].filter(Boolean));
  board.hidden = false;
  $("quiz-restart").addEventListener("click", startRound);
  $("quiz-restart").focus();
}

$("quiz-name").value = localStorage.getItem(NAME_KEY) ?? "";
$("quiz-form").addEventListener("submit", (e) => {
  e.preventDefault();
  startRound();
});
$("quiz-fill").addEventListener("submit", (e) => {
  e.preventDefault();
  const v = $("quiz-response").value.trim();
  if (v) submitAnswer(v);
  else showError("quiz-error", new ApiError("请先填写答案。"));
});
