import { type AnyNode, type Element, isTag } from "domhandler";
import { DomUtils, parseDocument } from "htmlparser2";
import { PlanParseError } from "../errors.js";
import { DocxNumbering, type NumRef } from "./docx-numbering.js";
import { LineBuilder } from "./text-builder.js";
import { readZip, ZipError } from "./zip.js";

const WORD_NS = /^(http:\/\/schemas\.openxmlformats\.org\/wordprocessingml\/2006\/main|http:\/\/purl\.oclc\.org\/ooxml\/wordprocessingml\/main)$/;

/** Reading state shared by the whole document: numbering counters, styles, the namespace prefix. */
interface Ctx {
  w: string;
  numbering: DocxNumbering;
  styleNum: Map<string, NumRef>;
}

/**
 * The text of a Word .docx: one line per paragraph, tabs kept, automatic numbering printed as
 * its label (一、 （二） 3.), one line per table row with cells separated by a tab.
 */
export function docxToText(bytes: Uint8Array, file: string): string {
  let members: Map<string, () => Buffer>;
  try {
    members = readZip(bytes);
  } catch (err) {
    if (!(err instanceof ZipError)) throw err;
    throw new PlanParseError(file, `Word 文件已损坏，无法打开，请重新导出或另存为 .docx 后再放入（the file is a damaged zip: ${err.message}）`, undefined, { cause: err });
  }
  const documentPart = members.get("word/document.xml");
  if (!documentPart) {
    const what = members.has("OFD.xml") ? "OFD 版式文件" : [...members.keys()].some((k) => k.startsWith("xl/")) ? "Excel 表格" : [...members.keys()].some((k) => k.startsWith("ppt/")) ? "PowerPoint 演示文稿" : "压缩包";
    throw new PlanParseError(file, `这是${what}，不是 Word 文档，请提供方案的 .docx、.pdf、.html 或 .txt（the zip holds no word/document.xml）`);
  }
  try {
    const doc = xml(documentPart());
    const root = DomUtils.findOne((e) => /:document$|^document$/.test(e.name), doc, true);
    const w = prefixOf(root) ?? "w";
    const numberingPart = members.get("word/numbering.xml");
    const stylesPart = members.get("word/styles.xml");
    const ctx: Ctx = {
      w,
      numbering: new DocxNumbering(numberingPart ? xml(numberingPart()) : undefined, w),
      styleNum: stylesPart ? styleNumbering(xml(stylesPart()), w) : new Map(),
    };
    const body = DomUtils.findOne((e) => e.name === `${w}:body`, doc, true);
    if (!body) throw new PlanParseError(file, "Word 文件中没有正文（可能已损坏），请重新导出后再放入（the document has no body）");
    const out = new LineBuilder();
    block(body.children, ctx, out);
    const text = out.text();
    if (text.trim() === "") throw new PlanParseError(file, "Word 文件中没有文字（可能已损坏，或正文是图片），请提供文字版后再放入（the document has no text）");
    return text;
  } catch (err) {
    if (err instanceof PlanParseError) throw err;
    throw new PlanParseError(file, `Word 文件已损坏，无法读取正文，请重新导出后再放入（${(err as Error).message}）`, undefined, { cause: err });
  }
}

function xml(bytes: Buffer): AnyNode[] {
  return parseDocument(bytes.toString("utf8"), { xmlMode: true, decodeEntities: true }).children;
}

/** The prefix the document binds to the WordprocessingML namespace (w: in practice). */
function prefixOf(root: Element | null): string | undefined {
  if (!root) return undefined;
  for (const [k, v] of Object.entries(root.attribs)) if (k.startsWith("xmlns:") && WORD_NS.test(v)) return k.slice(6);
  return undefined;
}

/** Paragraph styles that carry numbering (headings numbered through their style), following basedOn. */
function styleNumbering(nodes: AnyNode[], w: string): Map<string, NumRef> {
  const own = new Map<string, { num?: NumRef; basedOn?: string }>();
  for (const s of DomUtils.findAll((e) => e.name === `${w}:style`, nodes)) {
    const id = s.attribs[`${w}:styleId`];
    if (!id) continue;
    const pPr = kid(s, `${w}:pPr`);
    own.set(id, { num: numRef(kid(pPr, `${w}:numPr`), w), basedOn: kid(s, `${w}:basedOn`)?.attribs[`${w}:val`] });
  }
  const out = new Map<string, NumRef>();
  for (const id of own.keys()) {
    let cur: string | undefined = id;
    for (let hops = 0; cur && hops < 10; hops++) {
      const s = own.get(cur);
      if (s?.num) {
        out.set(id, s.num);
        break;
      }
      cur = s?.basedOn;
    }
  }
  return out;
}

function numRef(numPr: Element | undefined, w: string): NumRef | undefined {
  if (!numPr) return undefined;
  const numId = kid(numPr, `${w}:numId`)?.attribs[`${w}:val`];
  if (numId === undefined) return undefined;
  return { numId, level: Number(kid(numPr, `${w}:ilvl`)?.attribs[`${w}:val`] ?? 0) };
}

function kid(el: Element | undefined, name: string): Element | undefined {
  return el?.children.find((c): c is Element => isTag(c) && c.name === name);
}

/** Body-level content: paragraphs, tables, and the containers that wrap them (content controls). */
function block(nodes: AnyNode[], ctx: Ctx, out: LineBuilder): void {
  const { w } = ctx;
  for (const n of nodes) {
    if (!isTag(n)) continue;
    if (n.name === `${w}:p`) paragraph(n, ctx, out);
    else if (n.name === `${w}:tbl`) table(n, ctx, out);
    else if (n.name === `${w}:sdt`) block(kid(n, `${w}:sdtContent`)?.children ?? [], ctx, out);
    else if (n.name === `${w}:customXml` || n.name === `${w}:ins` || n.name === "mc:AlternateContent") block(n.children, ctx, out);
    else if (n.name === "mc:Choice") block(n.children, ctx, out);
  }
}

function paragraph(p: Element, ctx: Ctx, out: LineBuilder): void {
  const { w } = ctx;
  const pPr = kid(p, `${w}:pPr`);
  const direct = numRef(kid(pPr, `${w}:numPr`), w);
  const style = kid(pPr, `${w}:pStyle`)?.attribs[`${w}:val`];
  const ref = direct ?? (style ? ctx.styleNum.get(style) : undefined);
  const boxes: Element[] = [];
  let text = "";
  const runs = (nodes: AnyNode[]) => {
    for (const n of nodes) {
      if (!isTag(n)) continue;
      const name = n.name;
      if (name === `${w}:t`) text += DomUtils.textContent(n);
      else if (name === `${w}:tab` || name === `${w}:ptab`) text += "\t";
      else if (name === `${w}:br`) text += n.attribs[`${w}:type`] === "page" || n.attribs[`${w}:type`] === "column" ? "" : "\n";
      else if (name === `${w}:cr`) text += "\n";
      else if (name === `${w}:noBreakHyphen`) text += "-";
      else if (name === `${w}:r`) {
        if (!kid(kid(n, `${w}:rPr`), `${w}:vanish`)) runs(n.children);
      } else if (name === `${w}:txbxContent`) boxes.push(n);
      else if (name === "mc:AlternateContent") runs(n.children.filter((c) => isTag(c) && c.name === "mc:Choice").slice(0, 1));
      else if (name === `${w}:del` || name === `${w}:delText` || name === `${w}:instrText` || name === `${w}:pPr` || name === `${w}:rPr`) continue;
      else runs(n.children); // hyperlinks, insertions, fields, smart tags, drawings that hold text boxes
    }
  };
  runs(p.children);
  // The numbering counts even when the paragraph is empty, as Word does.
  const label = ref && ref.numId !== "0" ? ctx.numbering.next(ref) : "";
  if (text.trim() === "" && label === "") out.hard();
  else {
    for (const [i, line] of (label + text).split("\n").entries()) {
      if (i > 0) out.hard();
      out.add(line);
    }
    out.hard();
  }
  for (const box of boxes) block(box.children, ctx, out);
}

/** A table of data is one line per row (cells separated by a tab); a layout table is read as blocks. */
function table(tbl: Element, ctx: Ctx, out: LineBuilder): void {
  const { w } = ctx;
  const rows = tbl.children.filter((c): c is Element => isTag(c) && c.name === `${w}:tr`);
  const cellsOf = (r: Element) => r.children.filter((c): c is Element => isTag(c) && (c.name === `${w}:tc` || c.name === `${w}:sdt`));
  const cells = rows.flatMap(cellsOf);
  const data = cells.length > rows.length && cells.every((c) => DomUtils.textContent(c).replace(/\s+/g, "").length <= 300);
  if (!data) {
    for (const c of cells) block(c.children, ctx, out);
    return;
  }
  out.soft();
  for (const r of rows) {
    const texts = cellsOf(r).map((c) => {
      const inner = new LineBuilder();
      block(c.name === `${w}:sdt` ? (kid(c, `${w}:sdtContent`)?.children ?? []) : c.children, ctx, inner);
      return inner.text().replace(/\s*\n\s*/g, " ").trim();
    });
    out.add(texts.join("\t"));
    out.hard();
  }
}
