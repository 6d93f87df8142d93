import type { Line } from "./lines.js";

/**
 * Headings printed in black lenticular brackets, as 办事指南 and 服务指南 print their parts: 【办理依据】,
 * 【申请条件】 then its numbered conditions, 【办理时限】自受理之日起5个工作日内办结。 A line is read so only where the
 * document prints at least three, and none is a box (【专栏1】, read before) or a page's button (【打印】【关闭】).
 * Each is a part labelled as printed (【申请条件】); the items under it are its own (【申请条件】1.).
 */
const BRACKET_HEADING_RE = /^【([^】【。；;，,！？!?：:]{2,16})】\s*(.*)$/;
/** A site's buttons and links in brackets: not a heading. */
const CHROME_RE = /^(?:打印|关闭|我要纠错|收藏|分享|返回顶部|字号|大|中|小|上一篇|下一篇|打印本页|关闭窗口)$/;
/** At least this many bracketed headings make them a document's parts. */
const MIN_HEADINGS = 3;

/**
 * Marks a document's 【…】 headings as its parts, where it prints them and no 一、 parts or chapters of its
 * own; in a document of 一、 parts without （一） sections (a 申报通知: 三、申报条件 › 【申报主体】…
 * 【项目条件】…：①…), as the sections of the part they stand in, numbered in it.
 */
export function markBracketHeadings(lines: Line[]): void {
  const found = lines.flatMap((l) => {
    if (l.kind !== "text" || l.inRow) return [];
    const m = BRACKET_HEADING_RE.exec(l.text.trim());
    return m && !CHROME_RE.test(m[1]!.trim()) && !/】\s*【/.test(l.text) ? [{ l, name: m[1]!.trim(), rest: m[2]! }] : [];
  });
  if (found.length < MIN_HEADINGS) return;
  if (lines.some((l) => l.kind === "chapter" || l.kind === "volume")) return;
  if (!lines.some((l) => l.kind === "part")) {
    found.forEach(({ l, name, rest }, i) => Object.assign(l, { kind: "part", number: i + 1, marker: `【${name}】`, rest }));
    return;
  }
  if (lines.some((l) => l.kind === "article")) return;
  // Only lines inside a part of the body (not before the first, not in an annex) are its sections, and only in a
  // part that prints no （一） sections of its own (一、支持方向 › （一）… beside 二、申报条件 › 【申报主体】…).
  const bracketed = new Set(found.map((f) => f.l));
  const inPart = new Map<Line, number>();
  const withSections = new Set<Line>();
  let part: Line | undefined;
  let n = 0;
  for (const l of lines) {
    if (l.kind === "part") [part, n] = [l, 0];
    else if (l.kind === "annex") part = undefined;
    else if (part && l.kind === "section") withSections.add(part);
    else if (part && bracketed.has(l)) inPart.set(l, ++n);
  }
  part = undefined;
  for (const l of lines) {
    if (l.kind === "part") part = l;
    else if (l.kind === "annex") part = undefined;
    else if (inPart.has(l) && (!part || withSections.has(part))) inPart.delete(l);
  }
  if (inPart.size < MIN_HEADINGS) return;
  for (const { l, name, rest } of found) if (inPart.has(l)) Object.assign(l, { kind: "section", number: inPart.get(l)!, marker: `【${name}】`, rest });
}
