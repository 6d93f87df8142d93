import { type AnyNode, type Element, isTag } from "domhandler";
import { DomUtils, parseDocument } from "htmlparser2";
import { decodePlanBytes } from "../decode.js";
import { PlanParseError } from "../errors.js";
import { collapseSpace, LineBuilder } from "./text-builder.js";

/** Elements that never hold the plan's text. */
const DROP = new Set([
  "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "button", "select",
  "input", "textarea", "option", "head", "title", "link", "meta", "nav", "aside", "footer", "map", "area", "video", "audio",
]);
/** Elements that end a line (the rest flow inline). */
const BLOCK = new Set([
  "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
  "blockquote", "pre", "center", "table", "tbody", "thead", "tfoot", "tr", "caption", "hr", "address", "figure", "figcaption", "form", "fieldset", "body", "html",
]);
const INLINE = new Set(["span", "font", "b", "strong", "em", "i", "u", "a", "sub", "sup", "label", "small", "big", "s", "strike", "ins", "del", "code", "abbr", "o:p"]);
/** Class or id of an element that holds a page's title on portals that do not use <h1>. */
const TITLE_CLASS_RE = /(^|[\s_-])(title|tit|bt|biaoti|article-?title|news-?title|detail-?title)([\s_-]|$)/i;
/** A document title names its kind of document (…的通知, …实施方案, 关于…的意见). */
const DOC_TITLE_RE = /关于|方案|规划|意见|通知|计划|办法|纲要|要点|决定|条例|细则|规定|措施|指引|清单/;
/** A whole line that is only page chrome: print, close, share, font size, back to top. */
const CHROME_TOKEN_RE = /打印本页|打印|关闭本页|关闭窗口|关闭|返回顶部|返回|分享到|分享|收藏本页|加入收藏|收藏|字号|字体|默认|扫一扫在手机打开当前页|扫一扫|在手机上?打开当前页|我要纠错|纠错|微信|微博|QQ空间|QQ|上一篇|下一篇|[大中小]/g;
/** A line of page metadata printed above or below an article (时间、来源、浏览次数). */
const PAGE_META_RE = /^[【\[]?(来源|信息来源|发布时间|发布日期|浏览次数|阅读次数|访问量|点击数|责任编辑|编辑|作者)[:：】\]]/;

/** The charset a page declares in its first bytes (<meta charset> or http-equiv Content-Type). */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096));
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)/i.exec(head)?.[1] ?? /<\?xml[^>]+encoding\s*=\s*["']([\w.-]+)/i.exec(head)?.[1];
}

/**
 * The plan text of a saved web page: decoded with its declared charset, the article body found
 * (the block holding most paragraph text), navigation and page chrome dropped, one line per
 * paragraph or <br>, one line per table row with cells separated by a tab.
 */
export function htmlToText(bytes: Uint8Array, file: string, charset?: string): string {
  const html = decodePlanBytes(bytes, file, charset ?? declaredCharset(bytes));
  const dom = parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  removeJunk(dom.children);
  const found = findArticle(dom.children);
  const body = found && widen(found);
  if (!body) throw new PlanParseError(file, "网页中没有找到正文，请确认保存的是文件全文页面（no article text was found in the page）");
  const out = new LineBuilder();
  const title = titleOutside(dom.children, body);
  if (title) {
    out.add(title);
    out.soft();
  }
  render(body, out, false);
  return out.text().split("\n").filter((l) => !isChromeLine(l)).join("\n");
}

function removeJunk(nodes: AnyNode[]): void {
  for (const node of [...nodes]) {
    if (node.type === "comment" || node.type === "directive") {
      DomUtils.removeElement(node);
      continue;
    }
    if (!isTag(node)) continue;
    const hidden = /display\s*:\s*none|visibility\s*:\s*hidden/i.test(node.attribs.style ?? "") || node.attribs.hidden !== undefined;
    const role = node.attribs.role ?? "";
    const chromeHeader = node.name === "header" && !DomUtils.findOne((e) => e.name === "h1", node.children);
    if (DROP.has(node.name) || hidden || chromeHeader || /^(navigation|banner|contentinfo|search)$/.test(role)) {
      DomUtils.removeElement(node);
      continue;
    }
    removeJunk(node.children);
  }
}

/** Visible text length of a node, without link text (menus and lists of links are not the article). */
function ownTextLength(node: AnyNode): number {
  if (node.type === "text") return (node as { data: string }).data.replace(/\s+/g, "").length;
  if (!isTag(node) || node.name === "a") return 0;
  let n = 0;
  for (const c of node.children) n += ownTextLength(c);
  return n;
}

/**
 * The element holding the article: each text run scores for its block, that block's parent (in
 * full) and grandparent (half), so the container of many paragraphs wins over menus and footers.
 */
function findArticle(nodes: AnyNode[]): Element | undefined {
  const scores = new Map<Element, number>();
  const add = (el: Element | null | undefined, v: number) => {
    if (el) scores.set(el, (scores.get(el) ?? 0) + v);
  };
  const visit = (node: AnyNode) => {
    if (isTag(node)) {
      if (node.name === "a") return;
      for (const c of node.children) visit(c);
      return;
    }
    if (node.type !== "text") return;
    const len = (node as { data: string }).data.replace(/\s+/g, "").length;
    if (len === 0) return;
    let block = node.parent as Element | null;
    while (block && isTag(block) && INLINE.has(block.name)) block = block.parent as Element | null;
    if (!block || !isTag(block)) return;
    add(block, len);
    const parent = isTag(block.parent as AnyNode) ? (block.parent as Element) : undefined;
    add(parent, len);
    if (parent && isTag(parent.parent as AnyNode)) add(parent.parent as Element, len / 2);
  };
  for (const n of nodes) visit(n);
  let best: Element | undefined;
  let bestScore = 0;
  for (const [el, score] of scores) {
    if (el.name === "a" || el.name === "html") continue;
    if (score > bestScore || (score === bestScore && best && depth(el) > depth(best))) {
      best = el;
      bestScore = score;
    }
  }
  return best;
}

/** Text with sentence punctuation in a sibling block means the article goes on beside the best block. */
const PROSE_RE = /[。；！？]/;

/**
 * Widens the chosen block to its parent while the parent's other children hold article text too
 * (a notice and its plan in two sibling blocks), not just a title, a date line or a list of links.
 */
function widen(best: Element): Element {
  let cur = best;
  for (let hops = 0; hops < 3; hops++) {
    const parent = cur.parent;
    if (!parent || !isTag(parent) || parent.name === "body" || parent.name === "html") break;
    const own = ownTextLength(cur);
    let prose = 0;
    for (const sib of parent.children) {
      if (sib === cur) continue;
      const len = ownTextLength(sib);
      const all = DomUtils.textContent(sib).replace(/\s+/g, "").length;
      // A sibling counts when it is mostly its own text (not links) and reads as sentences.
      if (len >= 40 && len >= 0.7 * all && PROSE_RE.test(DomUtils.textContent(sib))) prose += len;
    }
    if (prose < 0.25 * own) break;
    cur = parent;
  }
  return cur;
}

function depth(el: AnyNode): number {
  let d = 0;
  for (let p = el.parent; p; p = p.parent) d++;
  return d;
}

/**
 * The page title printed above the article container (an <h1> or a title-classed block) when the
 * container does not start with it: portals often place the title outside the content block.
 */
function titleOutside(nodes: AnyNode[], body: Element): string | undefined {
  const all = DomUtils.findAll(() => true, nodes);
  const start = all.indexOf(body);
  let found: string | undefined;
  for (let i = 0; i < start; i++) {
    const el = all[i]!;
    if (isTag(body) && DomUtils.getChildren(el).length && isAncestor(el, body)) continue;
    const isTitle = /^h[1-3]$/.test(el.name) || TITLE_CLASS_RE.test(`${el.attribs.class ?? ""} ${el.attribs.id ?? ""}`);
    if (!isTitle) continue;
    const text = collapseSpace(DomUtils.textContent(el)).trim();
    // A site name in an <h1> logo is not a document title: a title names its kind of document.
    if (text.length >= 4 && text.length <= 120 && DOC_TITLE_RE.test(text)) found = text;
  }
  if (!found) return undefined;
  const bodyStart = DomUtils.textContent(body).replace(/\s+/g, "").slice(0, found.length + 40);
  return bodyStart.includes(found.replace(/\s+/g, "")) ? undefined : found;
}

function isAncestor(el: Element, of: Element): boolean {
  for (let p = of.parent; p; p = p.parent) if (p === el) return true;
  return false;
}

/** A table of data (several columns, short cells) is read row by row; a layout table as blocks. */
function isDataTable(table: Element): boolean {
  const rows = DomUtils.findAll((e) => e.name === "tr", table.children);
  const cells = DomUtils.findAll((e) => e.name === "td" || e.name === "th", table.children);
  if (rows.length === 0 || cells.length <= rows.length) return false;
  return cells.every((c) => ownTextLength(c) <= 300);
}

function render(node: AnyNode, out: LineBuilder, inCell: boolean): void {
  if (node.type === "text") {
    out.add(collapseSpace((node as { data: string }).data));
    return;
  }
  if (!isTag(node)) return;
  const name = node.name;
  if (name === "br") {
    if (inCell) out.add(" ");
    else out.hard();
    return;
  }
  if (name === "pre" && !inCell) {
    out.soft();
    for (const line of DomUtils.textContent(node).split(/\r?\n/)) {
      out.add(line);
      out.hard();
    }
    return;
  }
  if (name === "table" && !inCell && isDataTable(node)) {
    out.soft();
    for (const row of DomUtils.findAll((e) => e.name === "tr", node.children)) {
      const cells = row.children.filter((c): c is Element => isTag(c) && (c.name === "td" || c.name === "th"));
      cells.forEach((cell, i) => {
        if (i > 0) out.add("\t");
        const before = new LineBuilder();
        for (const c of cell.children) render(c, before, true);
        out.add(before.text().replace(/\s*\n\s*/g, " ").trim());
      });
      out.soft();
    }
    return;
  }
  const block = BLOCK.has(name) || name === "td" || name === "th";
  if (block) inCell ? out.add(" ") : out.soft();
  const hadText = out.lineHasText;
  for (const c of node.children) render(c, out, inCell);
  // An empty paragraph is a blank line on the page.
  if (name === "p" && !inCell && !hadText && !out.lineHasText && ownTextLength(node) === 0) out.hard();
  if (block) inCell ? out.add(" ") : out.soft();
}

/** Whether a line is only page chrome (打印、关闭、分享、字号 大 中 小) or page metadata. */
export function isChromeLine(line: string): boolean {
  const t = line.trim();
  if (t === "" || t.length > 60) return false;
  if (PAGE_META_RE.test(t)) return true;
  return t.replace(CHROME_TOKEN_RE, "").replace(/[\s\p{P}\p{S}|]/gu, "") === "";
}
