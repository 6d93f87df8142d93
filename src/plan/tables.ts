import type { Line } from "./lines.js";
import { toHalfWidth } from "./numerals.js";

/** Column names of the task tables plans attach (重点任务分工表): 序号, 任务, 责任单位, 完成时限 … */
const HEADER_WORDS = /^(序号|编号|序|指标名称|指标属性|属性|计量单位|基期值|现状值|目标值|(?:19|20)\d{2}年(?:底)?(?:基期值|现状值|目标值|目标|预期值|值)?|任务|重点任务|工作任务|主要任务|具体任务|任务内容|工作内容|内容|事项|工作事项|措施|具体措施|主要措施|工作措施|项目|项目名称|名称|目标|指标|目标值|预期目标|责任单位|牵头单位|配合单位|参与单位|责任部门|牵头部门|配合部门|责任主体|完成时限|完成时间|时间节点|时间安排|时限|进度安排|实施期限|建设期限|建设内容|建设规模|总投资|投资|备注|单位|地区|类别|一级指标|二级指标|三级指标|考核指标|考核内容|考核项目|评价指标|分值|权重|评分标准|考核标准|评价标准|评分细则|评分方法|计分方法|扣分标准)$/;
/** Columns whose cell is the row's subject, written without its column name. */
const TASK_COLUMN = /任务|事项|内容|措施|项目|名称/;
const NUMBER_COLUMN = /^(序号|编号|序)$/;
const SENTENCE_RE = /[。；;！？!?]/;
/** The longest column name of a header row; after a 序号 column, the longest of any column. */
const MAX_COLUMN_NAME = 12;
const MAX_NUMBERED_COLUMN_NAME = 24;
/** A unit in brackets after a column name: （万家）, (%), （亿元）. */
const UNIT_IN_BRACKETS_RE = /[（(][^（()）]{1,8}[)）]/g;

/** Bars a plain-text table draws between its cells: |, the full-width ｜ and the box-drawing │ ┃ of a converted table. */
const BAR_RE = /[|｜│┃]/;
const BARS_RE = /[|｜│┃]/g;
const EDGE_BARS_RE = /^[|｜│┃]|[|｜│┃]$/g;

/**
 * Cells of a line printed as a table row: markdown or bar-separated (| 1 | 建设… |, 1│建设…│省住建厅),
 * tab-separated, or columns aligned with two or more spaces or an ideographic space.
 */
export function splitCells(text: string): string[] {
  const t = text.trim();
  const raw = BAR_RE.test(t) ? t.replace(EDGE_BARS_RE, "").split(BARS_RE) : t.split(/\t+|\s{2,}|\u3000+/);
  return raw.map((c) => c.trim()).filter(Boolean);
}

/**
 * Whether a line is a header row: short column names, most of them the usual ones; or a 序号 column
 * before columns of any names (序号 | 品种名称 | 别名), which counts only over rows numbered from 1.
 */
function headerKind(cells: string[]): "known" | "numbered" | undefined {
  // A column name may carry its unit in brackets (独立式感烟报警器安装数（万个）): the name alone is short.
  // …after a 序号 column, which prose never starts with, a name may be longer (新增24小时自助图书馆和智能书柜（台）).
  const longest = NUMBER_COLUMN.test(cells[0] ?? "") ? MAX_NUMBERED_COLUMN_NAME : MAX_COLUMN_NAME;
  if (cells.length < 2 || cells.some((c) => c.replace(UNIT_IN_BRACKETS_RE, "").length > longest || SENTENCE_RE.test(c))) return undefined;
  const known = cells.filter((c) => HEADER_WORDS.test(c.replace(/\s+/g, ""))).length;
  if ((NUMBER_COLUMN.test(cells[0]!) && known >= 2) || known >= Math.max(2, cells.length - 1)) return "known";
  return NUMBER_COLUMN.test(cells[0]!) ? "numbered" : undefined;
}

/** A line whose words are separated by single spaces only (no bars, tabs, aligned or ideographic spaces). */
function singleSpaced(text: string): boolean {
  const t = text.trim();
  return t.includes(" ") && !BAR_RE.test(t) && !/\t|\s{2,}|\u3000/.test(t);
}

/**
 * Cells of a single-spaced row, at most `columns` of them: a row with more words than its header has
 * columns keeps its number and its last cells, and its name (the second cell) takes the words between.
 */
function singleCells(text: string, columns: number): string[] {
  const words = text.trim().split(" ").filter(Boolean);
  if (words.length <= columns || columns < 3) return words;
  const extra = words.length - columns;
  return [words[0]!, words.slice(1, 2 + extra).join(" "), ...words.slice(2 + extra)];
}

/** How a line separates its cells: bars, tabs or aligned spaces. */
function separatorOf(text: string): "pipe" | "tab" | "space" {
  return BAR_RE.test(text) ? "pipe" : text.includes("\t") ? "tab" : "space";
}

/** A numbered heading of a plan's text (第四章, 第八条, 二、, （三）), never a table row. */
const HEADING_RE = /^(?:第[一二三四五六七八九十百零〇\d]+[章节条部分编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])/;

/** A markdown separator row: |---|:---:|. */
const isSeparator = (text: string) => /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/.test(text.trim());

/**
 * Marks the tables of a plan: a header row (序号 任务 责任单位 完成时限) and the rows under it, one line
 * each. Rows keep their cells; a markdown separator row becomes blank. A line that does not fit the
 * table (too few cells, no number where the header has a 序号 column) ends it.
 */
export function markTables(lines: Line[]): void {
  for (let i = 0; i < lines.length; i++) {
    const head = lines[i]!;
    if (head.kind !== "text") continue;
    // Text copied from a PDF keeps one space between cells (序号 指标名称 2026年基期值 2027年): a header of the
    // usual column names so printed is a table too, its rows cut the same way.
    const words = singleSpaced(head.text) ? singleCells(head.text, Infinity) : undefined;
    const single = words !== undefined && headerKind(words) === "known";
    const columns = single ? words : splitCells(head.text);
    const cellsOf = (text: string) => (single ? singleCells(text, columns.length) : splitCells(text));
    const kind = headerKind(columns);
    if (!kind) continue;
    const numbered = NUMBER_COLUMN.test(columns[0]!);
    // Rows are printed as their header is: a pipe table's rows have pipes, a tab table's tabs.
    const style = single ? "single" : separatorOf(head.text);
    const rows: number[] = [];
    // Lines of a row's cells printed over several lines (a web page's table copied as text): they belong to the row above.
    const continued: number[] = [];
    let longest = 0;
    // A heading (第四章　附则, 第八条　…) after the table ends it, though an ideographic space splits it in two.
    const fitsRow = (l: Line) => {
      const cells = cellsOf(l.text);
      return cells.length >= 2 && cells.length <= columns.length && (single ? singleSpaced(l.text) && cells.length === columns.length : separatorOf(l.text) === style) && !HEADING_RE.test(l.text.trim()) && (!numbered || /^\d{1,3}$/.test(toHalfWidth(cells[0]!)));
    };
    const numberOf = (l: Line) => Number(toHalfWidth(cellsOf(l.text)[0]!));
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (l.kind === "blank" || l.kind === "page-number") continue;
      if (isSeparator(l.text)) {
        l.kind = "blank";
        continue;
      }
      if (!fitsRow(l)) {
        // In a numbered table, the lines up to the next row (numbered one more) are the row's; no part, chapter or article between.
        const last = rows.length > 0 ? numberOf(lines[rows.at(-1)!]!) : undefined;
        let next: number | undefined;
        for (let k = j; last !== undefined && numbered && !single && k < Math.min(lines.length, j + MAX_ROW_LINES); k++) {
          const c = lines[k]!;
          if (ENDS_TABLE_RE.test(c.text.trim()) || (c.kind !== "text" && c.kind !== "item" && c.kind !== "blank" && c.kind !== "task" && !fitsRow(c))) break;
          if (fitsRow(c) && numberOf(c) === last + 1) {
            next = k;
            break;
          }
        }
        if (next !== undefined) {
          for (let k = j; k < next; k++) if (lines[k]!.kind !== "blank") continued.push(k);
          longest = Math.max(longest, next - j);
          j = next - 1;
          continue;
        }
        // …and after the last row, as many lines as a row above took, up to a blank line, a heading or the table's notes (说明：).
        if (longest > 0) {
          let k = j;
          for (; k < Math.min(lines.length, j + longest + 1); k++) {
            const c = lines[k]!;
            if (c.kind === "blank" || ENDS_TABLE_RE.test(c.text.trim()) || (c.kind !== "text" && c.kind !== "item")) break;
            continued.push(k);
          }
          j = k;
        }
        break;
      }
      rows.push(j);
    }
    if (rows.length === 0 || (kind === "numbered" && toHalfWidth(cellsOf(lines[rows[0]!]!.text)[0]!) !== "1")) continue;
    head.kind = "table-head";
    head.cells = columns;
    const table = captionAbove(lines, i);
    const measure = measureAbove(lines, i);
    for (const k of continued) {
      const l = lines[k]!;
      l.kind = "text";
      l.inRow = true;
      delete l.number;
      delete l.marker;
      delete l.style;
      delete l.rest;
    }
    let merged: string | undefined;
    rows.forEach((r, n) => {
      const l = lines[r]!;
      let cells = cellsOf(l.text);
      // A tab table's first column merged over several rows (一级指标 组织领导（15分）) is printed in its first row only:
      // a row one cell short is under it.
      if (style === "tab" && !numbered && columns.length >= 3 && cells.length === columns.length - 1 && merged !== undefined) cells = [merged, ...cells];
      else if (cells.length === columns.length) merged = cells[0];
      l.kind = "table-row";
      l.cells = cells;
      l.number = numbered ? Number(toHalfWidth(cells[0]!)) : n + 1;
      l.marker = numbered ? `${columns[0]}${l.number}` : `第${l.number}行`;
      l.rest = rowText(columns, cells, numbered, measure);
      if (table) l.table = table;
    });
    i = rows.at(-1)!;
  }
}

/** How many lines one row's cells may take, printed over several lines. */
const MAX_ROW_LINES = 40;
/** What ends a table whose rows run over several lines: its notes (说明：, 注：), or what follows it (附件, 抄送). */
const ENDS_TABLE_RE = /^(?:说明|注|备注|附件|附表|抄送)\s*\d*\s*[：:]/;

/** A table's caption: 表1　江西省“十五五”水利发展主要指标, 表2：…, 表 3 (matched on the half-width text). */
const CAPTION_RE = /^(表\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}))(?:[\s、.:：]+([^。；;！？!?]{0,60}))?$/;

/** The number of the caption printed right above a table's header (表1), if any. */
function captionAbove(lines: Line[], head: number): string | undefined {
  for (let k = head - 1; k >= 0 && k >= head - 2; k--) {
    const l = lines[k]!;
    if (l.kind === "blank") continue;
    const m = l.kind === "text" ? CAPTION_RE.exec(toHalfWidth(l.text)) : null;
    return m ? m[1]!.replace(/\s+/g, "") : undefined;
  }
  return undefined;
}

/** Columns of years, dates and spans, which a table's measure (单位：个) does not count. */
const TIME_COLUMN_RE = /年份|年度|时限|期限|时间|日期|序号|年$/;
/** The measure a table prints above its header for all its figures: 单位：个, （单位：万元） (matched on the half-width text). */
const MEASURE_RE = /^\(?\s*单位\s*:\s*([^\s()，,。;；]{1,6})\s*\)?$/;

/** The measure printed within the two lines above a table's header (under its caption), if any. */
function measureAbove(lines: Line[], head: number): string | undefined {
  for (let k = head - 1, seen = 0; k >= 0 && seen < 2; k--) {
    const l = lines[k]!;
    if (l.kind === "blank") continue;
    seen++;
    const m = l.kind === "text" ? MEASURE_RE.exec(toHalfWidth(l.text)) : null;
    if (m) return m[1];
  }
  return undefined;
}

/** A cell that is a bare figure (720, 5.2, 300以上), which says nothing of what it counts. */
const BARE_FIGURE_RE = /^\d+(?:\.\d+)?(?:以上|左右|以内|以下)?$/;
/** A column name that prints its own measure: 新建公办托育机构（家）. */
const OWN_MEASURE_RE = /[（(][^（）()]{1,6}[)）]$/;

/**
 * A row written out as one sentence, each cell after its column name except the first text cell:
 * 建设城市数据中台，责任单位：市大数据局，完成时限：2025年底前. The row's cells are in it verbatim.
 * A bare figure under a table's measure (单位：个) says it, as a column with its own measure does:
 * 鄞州区，新增托位（个）：720, so the figure can be read as a count of something.
 */
export function rowText(columns: string[], cells: string[], numbered: boolean, measure?: string): string {
  const offset = numbered ? 1 : 0;
  const named = cells.slice(offset).map((c, i) => {
    const column = columns[i + offset];
    // The task itself reads best bare (完成县道病害处治60公里，责任单位：…); other cells say what they are.
    if (!column || (i === 0 && TASK_COLUMN.test(column))) return c;
    // A year or a span (完成年份：2027, 建设期限：3) is not counted in the table's measure.
    const measured = measure && BARE_FIGURE_RE.test(toHalfWidth(c)) && !OWN_MEASURE_RE.test(column) && !TIME_COLUMN_RE.test(column) && !/^(?:19|20)\d{2}$/.test(toHalfWidth(c).trim()) ? `${column}（${measure}）` : column;
    return `${measured}：${c}`;
  });
  return named.join("，");
}
