// The policybot page: chat with citation chips, the targets ledger and the quiz.
// Server data is only ever inserted with textContent and DOM nodes (never innerHTML), see el().

const $ = (id) => document.getElementById(id);
/** Turns sent for follow-ups: the engine reads the last 6, and the server takes at most 10. */
const MAX_HISTORY = 6;
/** Bodies stay under the server's 16 KB limit even with long questions and answers. */
const MAX_BODY = 15000;
const TOKEN_KEY = "policybot.token";
const CLIENT_KEY = "policybot.clientId";

/** Creates an element; children are nodes or strings (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

/** A random id for the quiz, kept across visits so progress is kept. */
function clientId() {
  let id = localStorage.getItem(CLIENT_KEY);
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(CLIENT_KEY, id);
  }
  return id;
}

/** An error whose message is fit for the user. */
class ApiError extends Error {}

function headers(extra = {}) {
  const h = { "X-Client-Id": clientId(), ...extra };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

/** Turns a failed response into a message for the user. */
async function failure(res) {
  let message = "";
  try {
    message = (await res.json()).error ?? "";
  } catch {
    /* not JSON: use the status below */
  }
  if (res.status === 401) {
    $("auth").hidden = false;
    return new ApiError("需要访问令牌：请在页面顶部输入令牌后重试。");
  }
  if (res.status === 429) {
    const wait = res.headers.get("Retry-After");
    return new ApiError(`请求太频繁了，请${wait ? `${wait}秒` : "稍"}后再试。`);
  }
  // 503 says what is unavailable (e.g. the quiz's data file); other 5xx carry nothing for the user.
  if (res.status >= 500 && !(res.status === 503 && message)) return new ApiError("服务器出错了，请稍后再试。");
  return new ApiError(message || `请求失败（${res.status}）。`);
}

async function request(path, init = {}) {
  let res;
  try {
    res = await fetch(path, { ...init, headers: headers(init.headers) });
  } catch {
    throw new ApiError("网络连接失败，请检查网络后重试。");
  }
  if (!res.ok) throw await failure(res);
  return res;
}

const getJson = async (path) => (await request(path)).json();

function showError(id, err) {
  const box = $(id);
  box.textContent = err ? (err instanceof ApiError ? err.message : "出错了，请重试。") : "";
  box.hidden = !err;
  if (err && !(err instanceof ApiError)) console.error(err);
}

/* ---------- tabs ---------- */

const tabs = ["chat", "targets", "quiz"];
const onShow = { targets: () => loadTargets(), quiz: () => {} };

function selectTab(name, focus = false) {
  for (const t of tabs) {
    const tab = $(`tab-${t}`);
    const on = t === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`view-${t}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  onShow[name]?.();
}

for (const t of tabs) {
  const tab = $(`tab-${t}`);
  tab.addEventListener("click", () => selectTab(t));
  // Arrow keys move between tabs, as in the WAI-ARIA tabs pattern.
  tab.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(t);
    const next = e.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : e.key === "ArrowLeft" ? tabs[(i + tabs.length - 1) % tabs.length] : undefined;
    if (next) {
      e.preventDefault();
      selectTab(next, true);
    }
  });
}

/* ---------- citations and the unit dialog ---------- */

const units = new Map();

/** A chip for a citation: a real button that opens the cited unit with the quote marked. */
function chip(citation) {
  const b = el("button", { type: "button", class: "chip", title: `${citation.label} ${citation.heading}`, "aria-label": `查看原文 ${citation.label}：${citation.heading}` }, `〔${citation.label}〕`);
  b.addEventListener("click", () => openUnit(citation, b));
  return b;
}

/** Answer text with every 〔label〕 that matches a citation turned into a chip. */
function renderAnswer(text, citations) {
  const p = el("p", { class: "answer-text" });
  const byLabel = new Map();
  for (const c of citations) if (!byLabel.has(c.label)) byLabel.set(c.label, c);
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

/** The unit text as nodes, with the first occurrence of the quote inside <mark>. */
function highlighted(text, quote) {
  const frag = document.createDocumentFragment();
  const at = quote ? text.indexOf(quote) : -1;
  if (at < 0) {
    frag.append(text);
    return frag;
  }
  frag.append(text.slice(0, at), el("mark", {}, quote), text.slice(at + quote.length));
  return frag;
}

async function openUnit(citation, opener) {
  const dialog = $("unit-dialog");
  const box = $("unit-text");
  $("unit-title").textContent = `${citation.label} ${citation.heading}`;
  $("unit-path").textContent = "";
  box.replaceChildren(el("p", { class: "hint" }, "正在加载原文…"));
  dialog.returnFocus = opener;
  if (!dialog.open) dialog.showModal();
  $("unit-close").focus();
  const key = `${citation.doc}\u0000${citation.ref}`;
  try {
    if (!units.has(key)) units.set(key, await getJson(`/api/units/${encodeURIComponent(citation.ref)}?doc=${encodeURIComponent(citation.doc)}`));
    const u = units.get(key);
    $("unit-title").textContent = `${u.label} ${u.heading}`;
    $("unit-path").textContent = u.path;
    box.replaceChildren(highlighted(u.text, citation.quote));
    box.querySelector("mark")?.scrollIntoView({ block: "center" });
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, err instanceof ApiError ? err.message : "无法加载原文。"));
  }
}

$("unit-close").addEventListener("click", () => $("unit-dialog").close());
// Esc closes a modal <dialog> natively; focus goes back to the chip that opened it.
$("unit-dialog").addEventListener("close", () => $("unit-dialog").returnFocus?.focus());
// A click on the backdrop (outside the panel) closes it too.
$("unit-dialog").addEventListener("click", (e) => {
  if (e.target === e.currentTarget) {
    const r = e.currentTarget.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) e.currentTarget.close();
  }
});

/* ---------- chat ---------- */

let history = [];
let busy = false;

function sourcesList(citations) {
  const seen = new Set();
  const items = [];
  for (const c of citations) {
    const k = `${c.ref}\u0000${c.quote}`;
    if (seen.has(k) || c.quote === c.heading) continue;
    seen.add(k);
    items.push(el("li", {}, chip(c), el("q", {}, c.quote)));
  }
  return items.length ? el("details", { class: "sources" }, el("summary", {}, `出处（${items.length}）`), el("ul", {}, ...items)) : undefined;
}

function renderResult(body, r) {
  body.replaceChildren(renderAnswer(r.answer, r.citations));
  if (r.abstained) body.classList.add("abstained");
  const sources = sourcesList(r.citations);
  if (sources) body.append(sources);
  body.append(el("p", { class: "meta" }, `${r.mode === "llm" ? "流畅模式（引用已校验）" : "离线摘录"} · ${r.ms} ms`));
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
  let turns = history.map((t) => ({ q: t.q, a: t.a.slice(0, 300) }));
  let body = JSON.stringify({ q: question, history: turns });
  while (new TextEncoder().encode(body).length > MAX_BODY && turns.length) {
    turns = turns.slice(1);
    body = JSON.stringify({ q: question, history: turns });
  }
  return body;
}

async function ask(question) {
  busy = true;
  $("ask-send").disabled = true;
  showError("chat-error", null);
  $("chat-hint").hidden = true;
  const body = el("div", { class: "answer", "aria-busy": "true" }, el("p", { class: "hint" }, "正在查找原文…"));
  const turn = el("li", { class: "turn" }, el("p", { class: "question" }, question), body);
  $("turns").append(turn);
  turn.scrollIntoView({ block: "end", behavior: "smooth" });
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
    renderResult(body, result);
    history = [...history, { q: result.question, a: result.answer }].slice(-MAX_HISTORY);
    $("q").value = "";
  } catch (err) {
    turn.remove();
    showError("chat-error", err instanceof ApiError ? err : new ApiError("网络连接中断，请重试。"));
  } finally {
    body.removeAttribute("aria-busy");
    busy = false;
    $("ask-send").disabled = false;
    $("q").focus();
  }
}

$("ask-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("q").value.trim();
  if (!q) {
    showError("chat-error", new ApiError("请输入问题，例如：今年高标准农田要建多少？"));
    return;
  }
  if (!busy) ask(q);
});

$("ask-reset").addEventListener("click", () => {
  history = [];
  $("turns").replaceChildren();
  $("chat-hint").hidden = false;
  showError("chat-error", null);
  $("q").focus();
});

/* ---------- targets ---------- */

let targetsTimer;
let targetsSeq = 0;

function formatValue(t) {
  return `${t.value}${t.unit}`;
}

async function loadTargets() {
  const q = $("targets-q").value.trim();
  const seq = ++targetsSeq;
  $("targets-status").textContent = "正在加载…";
  try {
    const data = await getJson(`/api/targets?q=${encodeURIComponent(q)}`);
    if (seq !== targetsSeq) return; // a newer search has started
    showError("targets-error", null);
    renderTargets(data.targets);
    $("targets-status").textContent = data.count ? `共 ${data.count} 项目标${q ? `（搜索“${q}”）` : ""}` : `没有找到与“${q}”相关的目标。`;
  } catch (err) {
    if (seq !== targetsSeq) return;
    $("targets-status").textContent = "";
    showError("targets-error", err);
  }
}

function renderTargets(list) {
  const table = $("targets-table");
  for (const tb of table.querySelectorAll("tbody")) tb.remove();
  const groups = new Map();
  for (const t of list) {
    const k = `${t.doc}\u0000${t.ref}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(t);
  }
  for (const items of groups.values()) {
    const first = items[0];
    const cite = { doc: first.doc, ref: first.ref, label: first.label, heading: first.heading, quote: "" };
    const tbody = el("tbody", {}, el("tr", { class: "group" }, el("th", { colspan: "4", scope: "rowgroup" }, chip(cite), first.label.includes(first.heading) ? "" : ` ${first.heading}`)));
    for (const t of items) {
      const quoteChip = chip({ ...cite, quote: t.quote });
      quoteChip.textContent = "原文";
      tbody.append(
        el("tr", {},
          el("td", { "data-label": "指标" }, t.metric),
          el("td", { "data-label": "目标值", class: "num" }, formatValue(t)),
          el("td", { "data-label": "限定" }, t.qualifier || "—"),
          el("td", { "data-label": "原文", class: "quote" }, t.quote, " ", quoteChip)),
      );
    }
    table.append(tbody);
  }
}

$("targets-q").addEventListener("input", () => {
  clearTimeout(targetsTimer);
  targetsTimer = setTimeout(loadTargets, 200);
});
$("targets-form").addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(targetsTimer);
  loadTargets();
});

/* ---------- quiz ---------- */

let current;

async function nextQuestion() {
  showError("quiz-error", null);
  const topic = $("quiz-topic").value.trim();
  try {
    current = await getJson(`/api/quiz/next${topic ? `?topic=${encodeURIComponent(topic)}` : ""}`);
  } catch (err) {
    showError("quiz-error", err);
    return;
  }
  $("quiz-card").hidden = false;
  $("quiz-result").replaceChildren();
  $("quiz-question").textContent = current.question;
  const options = current.options ?? [];
  $("quiz-options").replaceChildren(...options.map((o) => {
    const b = el("button", { type: "button", class: "option" }, o);
    b.addEventListener("click", () => submitAnswer(o, b));
    return b;
  }));
  $("quiz-options").hidden = options.length === 0;
  $("quiz-fill").hidden = options.length > 0;
  $("quiz-response").value = "";
  for (const c of $("quiz-fill").elements) c.disabled = false;
  (options.length ? $("quiz-options").querySelector("button") : $("quiz-response")).focus();
}

async function submitAnswer(response, button) {
  if (!current) return;
  showError("quiz-error", null);
  let grade;
  try {
    const res = await request("/api/quiz/answer", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ questionId: current.id, response }),
    });
    grade = await res.json();
  } catch (err) {
    showError("quiz-error", err);
    return;
  }
  // expected may carry the option's letter (C. 第5项 …).
  const expected = grade.expected.replace(/^[A-Z][.．、]\s*/, "");
  for (const b of $("quiz-options").querySelectorAll("button")) {
    b.disabled = true;
    if (b.textContent === expected) b.classList.add("right");
  }
  for (const c of $("quiz-fill").elements) c.disabled = true; // one answer per question
  if (button && !grade.correct) button.classList.add("wrong");
  const cite = { doc: current.doc ?? "", ref: grade.ref, label: grade.label, heading: "", quote: grade.quote };
  $("quiz-result").replaceChildren(...[
    el("p", { class: grade.correct ? "verdict right" : "verdict wrong" }, grade.correct ? "✓ 回答正确" : `✗ 回答错误，正确答案：${grade.expected}`),
    el("p", { class: "quote" }, el("q", {}, grade.quote), " ", chip(cite)),
    grade.score ? el("p", { class: "hint" }, `累计：答对 ${grade.score.correct} / ${grade.score.answered} 题`) : undefined,
    el("button", { type: "button", id: "quiz-again" }, "下一题"),
  ].filter(Boolean));
  $("quiz-again").addEventListener("click", nextQuestion);
  $("quiz-again").focus();
}

$("quiz-form").addEventListener("submit", (e) => {
  e.preventDefault();
  nextQuestion();
});
$("quiz-fill").addEventListener("submit", (e) => {
  e.preventDefault();
  const v = $("quiz-response").value.trim();
  if (v) submitAnswer(v);
});

/* ---------- access token, title ---------- */

$("auth-form").addEventListener("submit", (e) => {
  e.preventDefault();
  localStorage.setItem(TOKEN_KEY, $("auth-token").value.trim());
  $("auth-token").value = "";
  $("auth").hidden = true;
});

fetch("/healthz")
  .then((r) => r.json())
  .then((h) => {
    const title = h.documents?.[0]?.title;
    if (title) $("doc-title").textContent = `依据：${title}`;
  })
  .catch(() => {});

$("q").focus();
