// Browsing the plan: the table of contents and the targets ledger (with CSV export).
import { chip, openUnit } from "./unit.js";
import { $, download, docParam, el, getJson, showError } from "./util.js";

/* ---------- table of contents ---------- */

let tocLoadedFor;

/** Loads the table of contents once per plan; each entry opens the unit. */
export async function loadToc() {
  const key = docParam() || "all";
  if (tocLoadedFor === key) return;
  $("toc-status").textContent = "正在加载目录…";
  try {
    const data = await getJson(`/api/toc${docParam()}`);
    tocLoadedFor = key;
    showError("toc-error", null);
    $("toc-status").textContent = "";
    $("toc").replaceChildren(...data.documents.map((d) => {
      const list = el("ul", { class: "toc-list" });
      for (const u of d.units) {
        const b = el("button", { type: "button", class: "toc-entry" }, el("span", { class: "toc-label" }, u.label), " ", u.label.includes(u.heading) ? "" : u.heading);
        b.addEventListener("click", () => openUnit({ doc: d.id, ref: u.ref, label: u.label, heading: u.heading, quote: "" }, b));
        list.append(el("li", { class: `depth-${Math.min(u.depth, 3)}` }, b));
      }
      return el("section", { class: "toc-doc" }, el("h2", {}, d.title), list);
    }));
  } catch (err) {
    $("toc-status").textContent = "";
    showError("toc-error", err);
  }
}

/* ---------- targets ---------- */

let targetsTimer;
let targetsSeq = 0;
let shownTargets = [];

/** Loads the ledger filtered by the search box (a keyword or a label such as 第5项). */
export async function loadTargets() {
  const q = $("targets-q").value.trim();
  const seq = ++targetsSeq;
  $("targets-status").textContent = "正在加载…";
  try {
    const data = await getJson(`/api/targets?q=${encodeURIComponent(q)}${docParam("&")}`);
    if (seq !== targetsSeq) return; // a newer search has started
    showError("targets-error", null);
    shownTargets = data.targets;
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
    const tbody = el("tbody", {}, el("tr", { class: "group" }, el("th", { colspan: "3", scope: "rowgroup" }, chip(cite), first.label.includes(first.heading) ? "" : ` ${first.heading}`)));
    for (const t of items) {
      const quoteChip = chip({ ...cite, quote: t.quote });
      quoteChip.textContent = "原文";
      tbody.append(
        el("tr", {},
          el("td", { "data-label": "指标" }, t.metric),
          el("td", { "data-label": "目标值", class: "num" }, t.valueText ?? `${t.value}${t.unit}`),
          el("td", { "data-label": "原文", class: "quote" }, t.quote, " ", quoteChip)),
      );
    }
    table.append(tbody);
  }
}

/** One CSV field, quoted when needed (RFC 4180); a leading =, +, - or @ is defused for spreadsheets. */
function csvField(v) {
  let s = String(v ?? "");
  if (/^[=+\-@]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The targets shown, as CSV with a BOM so that spreadsheet programs read the Chinese text. */
function targetsCsv() {
  const header = ["文件", "编号", "条目", "指标", "数值", "单位", "目标值", "原文"];
  const rows = shownTargets.map((t) => [t.doc, t.ref, t.label, t.metric, t.value, t.unit, t.valueText ?? "", t.quote]);
  return "\uFEFF" + [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
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
$("targets-csv").addEventListener("click", () => download("目标清单.csv", targetsCsv(), "text/csv;charset=utf-8"));

/** Forgets what was loaded (another plan was picked). */
export function resetBrowse() {
  tocLoadedFor = undefined;
}
