import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadPlanFile, loadPlans } from "../../../src/plan/load.js";
import type { PlanDocument } from "../../../src/plan/types.js";
import { FIXTURES } from "../../helpers.js";
import { buildDocx, type DocxBlock } from "./docx-builder.js";
import { CHROMIUM, hasChromium, printableHtml, printOfficialPdf, printToPdf } from "./print.js";

// One invented plan (test/fixtures/formats/plan.txt) printed four ways must parse to the same units.
const TXT = join(FIXTURES, "formats", "plan.txt");
const HTML = join(FIXTURES, "formats", "plan-portal.html");
const text = readFileSync(TXT, "utf8").replace(/\n$/, "");
const dir = mkdtempSync(join(tmpdir(), "policybot-formats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What must match across formats: refs, labels, kinds, and text with white space removed. */
const shape = (doc: PlanDocument) => ({
  units: doc.units.map((u) => ({ ref: u.ref, label: u.label, kind: u.kind, heading: u.heading.replace(/\s+/g, ""), text: u.text.replace(/\s+/g, "") })),
  meta: { ...doc.meta, aliases: undefined },
});

/** A web archive as IE or 360 saves one: MIME multipart/related, the page quoted-printable, an image part after it. */
function mht(page: Buffer, charset: string): Buffer {
  let qp = "";
  let line = "";
  for (const byte of page) {
    const piece = byte === 0x0a ? "\r\n" : byte >= 0x80 || byte === 0x3d || byte === 0x0d ? `=${byte.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(byte);
    if (piece === "\r\n") {
      qp += `${line}\r\n`;
      line = "";
      continue;
    }
    if (line.length + piece.length > 75) {
      qp += `${line}=\r\n`;
      line = "";
    }
    line += piece;
  }
  qp += line;
  const b = "----=_NextPart_000_0000_01DB0000.00000000";
  return Buffer.from(
    `From: <Saved by Windows Internet Explorer 11>\r\nSubject: page\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="${b}"\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n--${b}\r\nContent-Type: text/html;\r\n\tcharset="${charset}"\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: http://example.org/plan.html\r\n\r\n${qp}\r\n\r\n--${b}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\r\n--${b}--\r\n`,
    "latin1",
  );
}

/** The plan as Word writes it: parts, sections and tasks numbered automatically (w:numPr), the label not in the text. */
function planDocx(): Buffer {
  const blocks: DocxBlock[] = [];
  let rows: string[][] = [];
  for (const line of text.split("\n")) {
    if (line.includes("\t")) {
      rows.push(line.split("\t"));
      continue;
    }
    if (rows.length) blocks.push({ table: rows }), (rows = []);
    let m: RegExpExecArray | null;
    if ((m = /^[一二三四五六七八九十]+、(.*)$/.exec(line))) blocks.push({ p: m[1]!, style: "PartHeading" });
    else if ((m = /^（[一二三四五六七八九十]+）(.*)$/.exec(line))) blocks.push({ p: m[1]!, num: { id: 2 } });
    else if ((m = /^\d+\.(.*)$/.exec(line))) blocks.push({ p: m[1]!, num: { id: 3 }, runs: [m[1]!.slice(0, 5), m[1]!.slice(5)] });
    else blocks.push({ p: line });
  }
  return buildDocx(
    blocks,
    [
      { id: 1, levels: [{ fmt: "chineseCounting", text: "%1、", suffix: "nothing" }] },
      { id: 2, levels: [{ fmt: "chineseCounting", text: "（%1）", suffix: "nothing" }] },
      { id: 3, levels: [{ fmt: "decimal", text: "%1.", suffix: "nothing" }] },
    ],
    [{ id: "PartHeading", num: 1 }],
  );
}

describe("the same plan as .txt, .html, .docx and .pdf", () => {
  const txt = loadPlanFile(TXT);

  it("reads the plain text as the reference: notice, title, parts, sections, tasks and a table", () => {
    expect(txt.format).toBe("txt");
    expect(txt.units.map((u) => u.ref)).toEqual([
      "preamble", "part:1", "part:2", "section:1", "task:1", "task:2", "section:2", "task:3", "task:4", "row:4.1", "row:4.2", "row:4.3", "part:3", "section:3", "section:4", "task:5", "notice",
    ]);
    expect(txt.meta).toMatchObject({ title: "青禾县乡村数字服务提升行动方案", docNumber: "青政办发〔2027〕9号", date: "2027-03-08" });
    // Table rows stay one line each: each is a row of task 4, its cells named by their columns.
    expect(txt.units.find((u) => u.ref === "row:4.1")).toMatchObject({ label: "第4项第1行", text: "基站建设，牵头单位：县工信局，完成时限：2027年底", parents: ["part:2", "section:2", "task:4"] });
  });

  it("reads a GBK portal page: the article without menus, scripts, share buttons or footer", () => {
    const html = loadPlanFile(HTML);
    expect(html.format).toBe("html");
    expect(shape(html)).toEqual(shape(txt));
    const all = html.units.map((u) => u.text).join("\n");
    for (const chrome of ["首页", "打印", "分享", "扫一扫", "备案号", "脚本", "相关文件", "浏览次数"]) expect(all).not.toContain(chrome);
  });

  it("reads the page saved as one file (.mht, quoted-printable, charset in the part header)", () => {
    const file = join(dir, "plan.mht");
    writeFileSync(file, mht(readFileSync(HTML), "gb2312"));
    const archive = loadPlanFile(file);
    expect(archive.format).toBe("mht");
    expect(shape(archive)).toEqual(shape(txt));
  });

  it("reads a .docx whose numbering Word generates (一、 （一） 1. are not in the text)", () => {
    const file = join(dir, "plan.docx");
    writeFileSync(file, planDocx());
    const docx = loadPlanFile(file);
    expect(docx.format).toBe("docx");
    expect(shape(docx)).toEqual(shape(txt));
  });

  it.skipIf(!hasChromium)(`reads a PDF printed by Chromium: wrapped lines joined, running header and footer dropped (${CHROMIUM})`, () => {
    const html = printableHtml(text, (line, i) => i < 2 || line === "青禾县乡村数字服务提升行动方案");
    const pdf = loadPlanFile(printToPdf(html, dir, "plan"));
    expect(pdf.format).toBe("pdf");
    expect(shape(pdf)).toEqual(shape(txt));
    // The plan runs over pages: Chromium's header (date, title) and footer (file address, page x/y) are gone.
    for (const u of pdf.units) expect(u.text).not.toMatch(/file:|\d+\/\d+\s*$|plan\.print/);
  });

  it.skipIf(!hasChromium)("reads an A4 PDF with a running header and — N — page numbers in the footer", async () => {
    const file = join(dir, "official.pdf");
    await printOfficialPdf(printableHtml(text, (line, i) => i < 2 || line === "青禾县乡村数字服务提升行动方案"), file, "青禾县人民政府办公室行政规范性文件");
    // The plan runs over two A4 pages, so the header repeats and the footer counts.
    expect(readFileSync(file, "latin1").match(/\/Type\s*\/Page\b/g)?.length).toBeGreaterThanOrEqual(2);
    const pdf = loadPlanFile(file);
    expect(shape(pdf)).toEqual(shape(txt));
    for (const u of pdf.units) expect(u.text).not.toMatch(/—\s*\d+\s*—|规范性文件/);
  });

  it("loads all four from one folder, ids from the file names", () => {
    const folder = mkdtempSync(join(dir, "seeds-"));
    writeFileSync(join(folder, "a-text.txt"), text);
    writeFileSync(join(folder, "b-page.htm"), readFileSync(HTML));
    writeFileSync(join(folder, "c-word.docx"), planDocx());
    const { docs, errors, skipped } = loadPlans(folder);
    expect(errors).toEqual([]);
    expect(skipped).toEqual([]);
    expect(docs.map((d) => [d.id, d.format])).toEqual([["a-text", "txt"], ["b-page", "html"], ["c-word", "docx"]]);
  });
});
if (!hasChromium) console.warn(`PDF format test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium fonts-wqy-microhei, or set CHROMIUM_PATH)`);
