// The policybot page: wires the tabs, the plan picker, links (#q=…, #unit=…) and start-up.
// The parts live in chat.js, unit.js, browse.js and quiz.js; util.js holds the shared helpers.
import { loadToc, loadTargets, resetBrowse } from "./browse.js";
import { ask, enableFeedback, loadExamples, reset, restore } from "./chat.js";
import "./quiz.js";
import { openUnit } from "./unit.js";
import { $, getJson, plan, saveToken } from "./util.js";

const PLAN_KEY = "policybot.plan";

/* ---------- tabs ---------- */

const tabs = ["chat", "toc", "targets", "quiz"];
const onShow = { toc: () => loadToc(), targets: () => loadTargets() };

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

/* ---------- access token ---------- */

$("auth-form").addEventListener("submit", (e) => {
  e.preventDefault();
  saveToken($("auth-token").value.trim());
  $("auth-token").value = "";
  $("auth").hidden = true;
});

/* ---------- plans ---------- */

/** The loaded plans: GET /api/plans when the server has it, else the documents /healthz lists. */
async function plans(health) {
  // One plan needs no picker (and an older server has no /api/plans to ask).
  if ((health.documents ?? []).length < 2) return (health.documents ?? []).map((d) => ({ id: d.id, title: d.title }));
  try {
    const data = await getJson("/api/plans");
    const list = Array.isArray(data) ? data : data.plans ?? data.documents ?? [];
    if (list.length) return list.map((p) => ({ id: p.id ?? p.doc, title: p.title ?? p.id, short: p.shortName }));
  } catch {
    /* an older server: fall back to /healthz */
  }
  return (health.documents ?? []).map((d) => ({ id: d.id, title: d.title }));
}

function showTitle(list) {
  const chosen = list.find((p) => p.id === plan.doc);
  $("doc-title").textContent = chosen ? `依据：${chosen.title}` : list.length === 1 ? `依据：${list[0].title}` : `依据：${list.length} 份规划`;
}

function setupPicker(list) {
  if (list.length < 2) return;
  const select = $("plan-select");
  // The short name keeps the menu narrow on a phone; the full title shows under the heading.
  for (const p of list) select.append(new Option(p.short || p.title, p.id));
  select.value = plan.doc;
  $("plan-picker").hidden = false;
  select.addEventListener("change", () => {
    plan.doc = select.value;
    localStorage.setItem(PLAN_KEY, plan.doc);
    showTitle(list);
    resetBrowse();
    $("turns").replaceChildren();
    restore();
    loadExamples();
    const open = tabs.find((t) => !$(`view-${t}`).hidden);
    onShow[open]?.();
  });
}

/* ---------- links: #q=question, #unit=doc/ref ---------- */

function followLink() {
  const hash = location.hash.slice(1);
  if (hash.startsWith("q=")) {
    const q = decodeURIComponent(hash.slice(2)).trim();
    history.replaceState(null, "", location.pathname + location.search);
    if (q) ask(q.slice(0, 2000));
  } else if (hash.startsWith("unit=")) {
    const [doc, ref] = hash.slice(5).split("/").map((s) => decodeURIComponent(s ?? ""));
    if (ref) openUnit({ doc, ref, label: "", heading: "", quote: "" });
  }
}
window.addEventListener("hashchange", followLink);

/* ---------- start-up ---------- */

async function start() {
  let health = {};
  try {
    health = await (await fetch("/healthz")).json();
  } catch {
    /* the API calls below report the problem */
  }
  enableFeedback(Boolean(health.feedback));
  const list = await plans(health);
  const kept = localStorage.getItem(PLAN_KEY) ?? "";
  plan.doc = list.length > 1 && list.some((p) => p.id === kept) ? kept : "";
  showTitle(list);
  setupPicker(list);
  restore();
  loadExamples();
  followLink();
}

start();
$("q").focus({ preventScroll: true });
