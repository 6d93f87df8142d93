import { z } from "zod";

/**
 * What kind of citable unit a piece of a plan is, by the numbering it is printed with: part 一、 /
 * 第一部分, section （一）, task 1. (or the seed's 第5项), volume 第一篇 (or 第一部分 above 一、 parts), chapter 第一章, subchapter 第一节, article
 * 第一条, item （1） 1） ① a., box 专栏1, annex 附件1, row a line of a table (序号3); closing the paragraphs that
 * close the body after its last numbered unit (各地区各部门要…, 本方案自印发之日起施行), cited as 结语.
 */
export const UnitKind = z.enum(["preamble", "part", "section", "task", "notice", "volume", "chapter", "subchapter", "article", "item", "box", "annex", "row", "closing"]);
export type UnitKind = z.infer<typeof UnitKind>;

/** A change the parser made to the printed text, so that a reader can trace every quote back. */
export const Repair = z.object({
  kind: z.enum(["join-page-break", "join-around-insert", "stray-word", "stray-char", "table-row"]),
  /** 1-based line of the source file where the repair applies. */
  line: z.number().int(),
  detail: z.string(),
});
export type Repair = z.infer<typeof Repair>;

/** Where a unit's text came from in the source file. */
export const SourceSpan = z.object({
  /** 1-based, inclusive. */
  startLine: z.number().int(),
  endLine: z.number().int(),
  /** The source lines that make up the text, in order (lines removed from the middle, such as an inserted notice, are absent). */
  lines: z.array(z.number().int()),
});
export type SourceSpan = z.infer<typeof SourceSpan>;

/** One citable unit of a plan: a task, section, part, the notice or the preamble. */
export const Unit = z.object({
  doc: z.string(),
  /**
   * Stable id: task:5, section:9, part:2, chapter:3, article:12, box:2, notice, preamble; qualified
   * where numbers restart (section:2.3, task:5.2.1, subchapter:3.2); inside an annex prefixed by it (annex:1/row:3).
   */
  ref: z.string(),
  kind: UnitKind,
  /** The number printed in the document (5 for 第5项, 9 for （九）); absent for notice and preamble. */
  number: z.number().int().optional(),
  /** How a person cites it: 第5项, （九）, 一、总体要求, 第十二条, 专栏2; qualified where numbers restart: 二（三）, 五（二）1., 第三章第二节, 附件1序号3. */
  label: z.string(),
  /** The unit's title; for a task its first sentence. */
  heading: z.string(),
  /** Chain of parents down to this unit: 二、重点工作 › （三）着力培育特色产业和产业平台 › 第5项. */
  path: z.string(),
  /** Refs of the parents, outermost first. */
  parents: z.array(z.string()),
  /** Refs of the direct children, in document order. */
  children: z.array(z.string()),
  /** The unit's own text (children excluded), repaired. Quotes are verbatim substrings of it. */
  text: z.string(),
  source: SourceSpan,
  repairs: z.array(Repair),
});
export type Unit = z.infer<typeof Unit>;

/** Facts about a document, read from its issuing notice where it has one (else from its own title, 文号 and closing signature and date), and the names it goes by. */
export const DocMeta = z.object({
  /** The plan's own name: 国家职业教育改革实施方案. */
  title: z.string(),
  /** The issuing notice's title: 国务院关于印发国家职业教育改革实施方案的通知; null without a notice. */
  noticeTitle: z.string().nullable(),
  /** A short, distinctive name made from the title by general rules: 职教改革方案. */
  shortName: z.string(),
  /** The document number (文号) as printed: 国发〔2019〕4号. */
  docNumber: z.string().nullable(),
  issuers: z.array(z.string()),
  /** ISO date (YYYY-MM-DD) the notice was issued, when known. */
  date: z.string().nullable(),
  /** The date as printed (2026年2月5日). */
  dateText: z.string().nullable(),
  recipients: z.array(z.string()),
  /** Titles of the attachments, from the list printed under the text (附件：1．重点任务分工表  2．…); empty without one. */
  attachments: z.array(z.string()),
  /** Names a user may use to mean this plan: short name, title and its topic, 文号, issuer plus topic. */
  aliases: z.array(z.string()),
});
export type DocMeta = z.infer<typeof DocMeta>;

/** Something odd the parser noticed but could work around. */
export interface ParseWarning {
  line: number;
  message: string;
}

/** The file format a plan was read from. */
export type SourceFormat = "txt" | "md" | "html" | "mht" | "docx" | "pdf";

/** A parsed policy plan. */
export interface PlanDocument {
  /** From the file name: zhejiang-2026-qianwan-plan. */
  id: string;
  file: string;
  meta: DocMeta;
  /** All units in reading order (preamble, parts, sections, tasks; the notice last). */
  units: Unit[];
  warnings: ParseWarning[];
  /** sha256 of the file bytes. */
  hash: string;
  /** The format the file was read from (set by the loader; text when parsed from a string). */
  format?: SourceFormat;
}

/** Separator used in unit paths. */
export const PATH_SEPARATOR = " › ";
