import type { Line } from "./lines.js";
import { toChineseNumeral, toHalfWidth } from "./numerals.js";
import { PATH_SEPARATOR, type ParseWarning, type Repair, type Unit, type UnitKind } from "./types.js";

/** A paragraph: one or more source lines joined into one piece of text. */
export interface Para {
  text: string;
  lines: number[];
  repairs: Repair[];
  first: Line;
  /** Heading-only paragraphs (一、总体要求) and the title never take continuation lines. */
  closed: boolean;
  /** The document's own title (possibly over several lines). */
  title?: boolean;
}

interface Draft {
  kind: UnitKind;
  number?: number;
  heading: string;
  paras: Para[];
  parent?: Draft;
  children: Draft[];
  ref?: string;
  /** How a person cites it, qualified by its parent where numbers repeat: 五（二）1. */
  label?: string;
  /** The label as printed on its own line: （二）, 1., 第5项. */
  own?: string;
}

/** Turns paragraphs into units: preamble, parts, sections and tasks with refs, labels and paths. */
export function buildUnits(doc: string, paras: Para[], warnings: ParseWarning[]): Unit[] {
  const drafts: Draft[] = [];
  let preamble: Draft | undefined;
  let part: Draft | undefined;
  let section: Draft | undefined;
  let task: Draft | undefined;

  for (const p of paras) {
    const l = p.first;
    if (l.kind === "part" || l.kind === "section" || l.kind === "task") {
      const parent = l.kind === "part" ? undefined : l.kind === "section" ? part : (section ?? part);
      const d: Draft = { kind: l.kind, number: l.number!, heading: headingOf(l.rest ?? ""), paras: [p], parent, children: [] };
      parent?.children.push(d);
      drafts.push(d);
      if (l.kind === "part") [part, section, task] = [d, undefined, undefined];
      else if (l.kind === "section") [section, task] = [d, undefined];
      else task = d;
      continue;
    }
    const owner = task ?? section ?? part;
    if (owner) {
      owner.paras.push(p);
    } else {
      if (!preamble) {
        preamble = { kind: "preamble", heading: tidyTitle(p.text), paras: [], children: [] };
        drafts.unshift(preamble);
      }
      preamble.paras.push(p);
    }
  }
  assignRefs(drafts, warnings);
  return drafts.map((d) => toUnit(doc, d));
}

/** The title of a heading line: its first sentence, without the closing punctuation. */
function headingOf(rest: string): string {
  const first = rest.split(/[。；;！？]/)[0] ?? rest;
  return first.replace(/[,，、:：\s]+$/, "").trim();
}

/** Removes the line-break space a title keeps between two Chinese characters. */
export function tidyTitle(title: string): string {
  return title.replace(/(?<=[\u3400-\u9fff”“》《])\s+(?=[\u3400-\u9fff“”《》])/g, "").trim();
}

/**
 * Refs are kind:number. Numbers that repeat (sections restarting in every part) are qualified by
 * the parent: section:2.3 labelled 二（三）. Numbered items that belong to their parent rather than
 * to the document (1.–3. under one section, or restarting in every section) are qualified the same
 * way and labelled as printed: task:5.2.1 labelled 五（二）1.; tasks numbered across the document
 * keep task:N and 第N项.
 */
function assignRefs(drafts: Draft[], warnings: ParseWarning[]): void {
  for (const kind of ["part", "section", "task"] as const) {
    const ofKind = drafts.filter((d) => d.kind === kind);
    if (ofKind.length === 0) continue;
    const numbers = ofKind.map((d) => d.number!);
    const repeats = new Set(numbers).size !== numbers.length;
    const local = repeats || (kind === "task" && belongToOneParent(ofKind, drafts));
    if (repeats && !cleanRestarts(ofKind)) {
      warnings.push({ line: ofKind[0]!.paras[0]!.first.no, message: `${kind} numbers repeat out of order; refs are qualified by their parent's number` });
    }
    for (const d of ofKind) {
      const n = d.number!;
      const qualify = local && d.parent !== undefined;
      if (kind === "part") {
        d.ref = `part:${n}`;
        d.own = d.label = `${toChineseNumeral(n)}、${d.heading}`;
      } else if (kind === "section") {
        d.ref = qualify ? `section:${d.parent!.number}.${n}` : `section:${n}`;
        d.own = `（${toChineseNumeral(n)}）`;
        d.label = qualify ? `${toChineseNumeral(d.parent!.number!)}${d.own}` : d.own;
      } else if (qualify) {
        d.ref = `task:${d.parent!.ref!.slice(d.parent!.ref!.indexOf(":") + 1)}.${n}`;
        d.own = printedItemNumber(d);
        d.label = `${d.parent!.kind === "part" ? `${toChineseNumeral(d.parent!.number!)}、` : d.parent!.label}${d.own}`;
      } else {
        d.ref = `task:${n}`;
        d.own = d.label = `第${n}项`;
      }
    }
  }
  for (const d of drafts) if (d.kind === "preamble") [d.ref, d.own, d.label] = ["preamble", "前言", "前言"];
  // Refs must stay unique even in damaged documents (a part number printed twice).
  const used = new Map<string, number>();
  for (const d of drafts) {
    const seen = used.get(d.ref!) ?? 0;
    used.set(d.ref!, seen + 1);
    if (seen > 0) d.ref = `${d.ref}~${seen + 1}`;
  }
}

/** Numbering that starts again at 1 under every parent and runs 1, 2, 3 is a layout, not damage. */
function cleanRestarts(ofKind: Draft[]): boolean {
  const next = new Map<Draft | undefined, number>();
  for (const d of ofKind) {
    const expected = next.get(d.parent) ?? 1;
    if (d.number !== expected) return false;
    next.set(d.parent, expected + 1);
  }
  return true;
}

/**
 * Numbered items that all sit under one parent while other units of that parent's kind hold none
 * (items 1.–3. under one section) are that parent's list, not the document's tasks.
 */
function belongToOneParent(tasks: Draft[], drafts: Draft[]): boolean {
  const parent = tasks[0]!.parent;
  if (!parent || tasks.some((t) => t.parent !== parent)) return false;
  return drafts.some((d) => d !== parent && d.kind === parent.kind);
}

/** The item number as printed, in half-width: 1. or 1、 */
function printedItemNumber(d: Draft): string {
  const m = /^\s*(\d{1,3})\s*([.、])/.exec(toHalfWidth(d.paras[0]!.first.text));
  return m ? `${m[1]}${m[2]}` : `${d.number}.`;
}

function pathOf(d: Draft): string {
  const chain: string[] = [];
  for (let cur: Draft | undefined = d; cur; cur = cur.parent) {
    chain.unshift(cur.kind === "section" ? `${cur.own}${cur.heading}` : cur.own!);
  }
  return chain.join(PATH_SEPARATOR);
}

function span(lineNos: number[]): Unit["source"] {
  let [startLine, endLine] = [Infinity, -Infinity];
  // A loop, not Math.min(...lines): a unit of a large plan can hold more lines than the call stack allows arguments.
  for (const n of lineNos) [startLine, endLine] = [Math.min(startLine, n), Math.max(endLine, n)];
  return { startLine, endLine, lines: lineNos };
}

function toUnit(doc: string, d: Draft): Unit {
  const parents: string[] = [];
  for (let cur = d.parent; cur; cur = cur.parent) parents.unshift(cur.ref!);
  return {
    doc,
    ref: d.ref!,
    kind: d.kind,
    ...(d.number !== undefined ? { number: d.number } : {}),
    label: d.label!,
    heading: d.heading,
    path: pathOf(d),
    parents,
    children: d.children.map((c) => c.ref!),
    text: d.paras.map((p) => p.text).join("\n"),
    source: span(d.paras.flatMap((p) => p.lines)),
    repairs: d.paras.flatMap((p) => p.repairs),
  };
}

/** The issuing notice as one citable unit; a title printed over several lines is one line of its text. */
export function noticeUnit(doc: string, block: Line[], titleLines: Line[], heading: string): Unit {
  const titleNos = new Set(titleLines.map((l) => l.no));
  const rest = block.filter((l) => !titleNos.has(l.no)).map((l) => l.text);
  const at = block.findIndex((l) => titleNos.has(l.no));
  return {
    doc,
    ref: "notice",
    kind: "notice",
    label: "印发通知",
    heading,
    path: "印发通知",
    parents: [],
    children: [],
    text: (at < 0 ? rest : [...rest.slice(0, at), titleLines.map((l) => l.text).join(""), ...rest.slice(at)]).join("\n"),
    source: span(block.map((l) => l.no)),
    repairs: block.flatMap((l) => l.repairs),
  };
}
