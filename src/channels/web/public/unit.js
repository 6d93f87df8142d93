// Citation chips and the dialog that shows a unit's text with the quote marked; links to a unit.
import { $, ApiError, copyText, el, getJson, toast } from "./util.js";

const units = new Map();

/** A citation's tag text: its label, with its plan's short name when several plans are loaded (the server sets `plan` then). */
export const tagOf = (c) => (c.plan ? `${c.plan}·${c.label}` : c.label);

/** A chip for a citation: a real button that opens the cited unit with the quote marked. */
export function chip(citation) {
  const b = el("button", { type: "button", class: "chip", title: `${tagOf(citation)} ${citation.heading}`, "aria-label": `查看原文 ${tagOf(citation)}：${citation.heading}` }, `〔${tagOf(citation)}〕`);
  b.addEventListener("click", () => openUnit(citation, b));
  return b;
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

/** A link that opens a unit on this page: #unit=doc/ref. */
export const unitLink = (doc, ref) => `${location.origin}${location.pathname}#unit=${encodeURIComponent(doc)}/${encodeURIComponent(ref)}`;

let shown;

/** Opens a unit in the dialog; focus returns to `opener` when it closes. */
export async function openUnit(citation, opener) {
  const dialog = $("unit-dialog");
  const box = $("unit-text");
  shown = citation;
  $("unit-title").textContent = `${citation.label ?? ""} ${citation.heading ?? ""}`.trim() || "原文";
  $("unit-path").textContent = "";
  box.replaceChildren(el("p", { class: "hint" }, "正在加载原文…"));
  dialog.returnFocus = opener;
  if (!dialog.open) dialog.showModal();
  $("unit-close").focus();
  const key = `${citation.doc}\u0000${citation.ref}`;
  try {
    const doc = citation.doc ? `?doc=${encodeURIComponent(citation.doc)}` : "";
    if (!units.has(key)) units.set(key, await getJson(`/api/units/${encodeURIComponent(citation.ref)}${doc}`));
    const u = units.get(key);
    shown = { ...citation, doc: u.doc };
    $("unit-title").textContent = `${u.label} ${u.heading}`;
    $("unit-path").textContent = u.path;
    box.replaceChildren(highlighted(u.text, citation.quote));
    box.querySelector("mark")?.scrollIntoView({ block: "center" });
  } catch (err) {
    box.replaceChildren(el("p", { class: "error" }, err instanceof ApiError ? err.message : "无法加载原文。"));
  }
}

$("unit-close").addEventListener("click", () => $("unit-dialog").close());
$("unit-link").addEventListener("click", async () => {
  if (shown && (await copyText(unitLink(shown.doc ?? "", shown.ref)))) toast("链接已复制");
});
// Esc closes a modal <dialog> natively; focus goes back to the chip that opened it.
$("unit-dialog").addEventListener("close", () => {
  $("unit-dialog").returnFocus?.focus();
  if (location.hash.startsWith("#unit=")) history.replaceState(null, "", location.pathname + location.search);
});
// A click on the backdrop (outside the panel) closes it too.
$("unit-dialog").addEventListener("click", (e) => {
  if (e.target === e.currentTarget) {
    const r = e.currentTarget.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) e.currentTarget.close();
  }
});
