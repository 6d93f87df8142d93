import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { docxToText } from "../../../src/plan/formats/docx.js";
import { formatNumber } from "../../../src/plan/formats/docx-numbering.js";
import { htmlToText, isChromeLine } from "../../../src/plan/formats/html.js";
import { layoutPdf, type PdfItem } from "../../../src/plan/formats/pdf-layout.js";
import { pdfToText } from "../../../src/plan/formats/pdf.js";
import { PlanParseError } from "../../../src/plan/errors.js";
import { buildDocx, zip } from "./docx-builder.js";

const dir = mkdtempSync(join(tmpdir(), "policybot-readers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("web pages", () => {
  const page = (body: string, head = '<meta charset="utf-8">') => Buffer.from(`<!doctype html><html><head>${head}</head><body>${body}</body></html>`);

  it("keeps <br> line breaks and paragraphs, joins source line breaks inside Chinese text", () => {
    const text = htmlToText(page("<div class=nav><a>首页</a><a>新闻</a></div><div id=zoom><p>一、总体\n        要求</p><p>第一行<br>第二行<br><br>第三行</p></div>"), "p.html");
    expect(text).toBe("一、总体要求\n第一行\n第二行\n\n第三行");
  });

  it("reads a layout table as blocks and a data table row by row", () => {
    const long = "推进数字服务向村组延伸，让村民少跑腿。".repeat(20);
    const text = htmlToText(page(`<table><tr><td><a>导航</a></td><td><p>方案正文</p><p>${long}</p><table><tr><td>甲</td><td>乙</td></tr><tr><td>1</td><td>2</td></tr></table></td></tr></table>`), "t.html");
    expect(text.split("\n")).toEqual(["方案正文", long, "甲\t乙", "1\t2"]);
  });

  it("prefers the declared charset and falls back to sniffing when it is wrong", () => {
    const gbk = Uint8Array.from([...Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=GB2312"></head><body><p>'), 0xd2, 0xbb, 0xa1, 0xa2, 0xc4, 0xbf, 0xb1, 0xea, ...Buffer.from("</p></body></html>")]);
    expect(htmlToText(gbk, "gbk.html")).toBe("一、目标");
    // Declared gb2312 but saved as UTF-8 (a common mistake of content systems).
    expect(htmlToText(page("<p>一、目标</p>", '<meta charset="gb2312">'), "lie.html")).toBe("一、目标");
  });

  it("recognises page chrome lines and keeps plan lines", () => {
    for (const l of ["【打印】【关闭】", "字号：大 中 小", "分享到：微信 微博", "扫一扫在手机打开当前页", "发布时间：2027-03-10 来源：县政府办公室"]) expect(isChromeLine(l)).toBe(true);
    for (const l of ["（三）加强组织领导。", "大中小学校园网络全覆盖", "一、总体要求"]) expect(isChromeLine(l)).toBe(false);
  });

  it("refuses a page without article text, naming the file", () => {
    expect(() => htmlToText(page("<script>var a = 1;</script>"), "empty.html")).toThrow(/empty\.html: 网页中没有找到正文/);
  });
});

describe("Word .docx", () => {
  it("prints automatic numbering as Word does: levels restart, lists continue, start overrides", () => {
    const docx = buildDocx(
      [
        { p: "总体要求", num: { id: 1 } },
        { p: "指导思想", num: { id: 1, level: 1 } },
        { p: "基本原则", num: { id: 1, level: 1 } },
        { p: "重点任务", num: { id: 1 } },
        { p: "建设网络", num: { id: 1, level: 1 } },
        { p: "要点", num: { id: 4 } },
        { p: "项目甲", num: { id: 5 } },
        { p: "项目乙", num: { id: 5 } },
        { p: "项目续", num: { id: 6 } },
        { p: "重新开始", num: { id: 7 } },
        { p: "附件", runs: ["附件\t", "分工表"] },
      ],
      [
        { id: 1, levels: [{ fmt: "chineseCounting", text: "%1、", suffix: "nothing" }, { fmt: "chineseCounting", text: "（%2）", suffix: "nothing" }] },
        { id: 4, levels: [{ fmt: "bullet", text: "•" }] },
        { id: 5, levels: [{ fmt: "ideographTraditional", text: "%1.", suffix: "space" }] },
        { id: 6, abstractId: 5, levels: [] },
        { id: 7, abstractId: 5, levels: [], restart: { 0: 1 } },
      ],
    );
    expect(docxToText(docx, "n.docx").split("\n")).toEqual([
      "一、总体要求", "（一）指导思想", "（二）基本原则", "二、重点任务", "（一）建设网络", "要点", "甲. 项目甲", "乙. 项目乙", "丙. 项目续", "甲. 重新开始", "附件\t分工表",
    ]);
  });

  it("formats the numbering styles of Chinese documents", () => {
    expect([formatNumber(12, "chineseCounting"), formatNumber(3, "decimalEnclosedCircle"), formatNumber(4, "ideographTraditional"), formatNumber(7, "decimalFullWidth"), formatNumber(14, "upperRoman"), formatNumber(2, "bullet")])
      .toEqual(["十二", "③", "丁", "７", "XIV", ""]);
  });

  it("skips deleted revisions, hidden text and field codes; keeps inserted text and hyperlinks", () => {
    const w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
    const document = `<w:document ${w}><w:body><w:p><w:r><w:t>1.新建</w:t></w:r><w:del><w:r><w:delText>旧的</w:delText></w:r></w:del><w:ins><w:r><w:t>基站</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:hyperlink><w:r><w:t>120个</w:t></w:r></w:hyperlink></w:p></w:body></w:document>`;
    expect(docxToText(zip({ "word/document.xml": document }), "r.docx")).toBe("1.新建基站120个");
  });

  it("names the file and says what to do for a damaged zip or a zip that is not Word", () => {
    const good = buildDocx([{ p: "一、目标" }]);
    expect(() => docxToText(good.subarray(0, good.length - 30), "cut.docx")).toThrow(/cut\.docx: Word 文件已损坏/);
    expect(() => docxToText(zip({ "xl/workbook.xml": "<workbook/>" }), "sheet.docx")).toThrow(/sheet\.docx: 这是Excel 表格，不是 Word 文档/);
    expect(() => docxToText(zip({ "word/document.xml": "<w:document><w:body><w:p" }), "bad.docx")).toThrow(/bad\.docx: Word 文件中没有/);
  });
});

describe("PDF layout", () => {
  const line = (s: string, x: number, y: number, size = 12): PdfItem => ({ s, x, y, w: s.length * size, size });
  const page = (items: PdfItem[]) => ({ width: 600, height: 800, items });

  it("joins lines wrapped at the right margin, keeps indented paragraphs and headings apart, drops page numbers and running headers", () => {
    const header = (n: number) => [line("青禾县人民政府办公室文件", 100, 780, 9), line(`— ${n} —`, 280, 30, 10), line(`第 ${n} 页`, 500, 30, 10)];
    const pages = [
      page([
        ...header(1),
        line("一、总体要求", 100, 700),
        line("坚持需求导向，统筹用好现有网络和平台，不搞重复建设，", 124, 680),
        line("不增加基层负担。", 100, 664),
        line("（一）夯实网络基础。", 124, 640),
        line("1.推进光纤和移动网络向自然村延伸，新建通信基站120", 124, 620),
      ]),
      page([
        ...header(2),
        line("个，重点解决信号弱的问题。", 100, 700),
        line("2.设置公共无线网络点。", 124, 684),
      ]),
    ];
    expect(layoutPdf(pages).split("\n")).toEqual([
      "一、总体要求",
      "坚持需求导向，统筹用好现有网络和平台，不搞重复建设，不增加基层负担。",
      "（一）夯实网络基础。",
      "1.推进光纤和移动网络向自然村延伸，新建通信基站120个，重点解决信号弱的问题。",
      "2.设置公共无线网络点。",
    ]);
  });

  it("treats an indent typed as ideographic spaces like an indent by offset", () => {
    const text = layoutPdf([page([
      line("坚持需求导向，统筹用好现有网络和平台，不搞重复建设，", 100, 700),
      line("不增加基层负担。这一行也写满了，一直写到页面的右边。", 100, 684),
      line("\u3000\u3000县政府成立工作专班，每季度调度一次。", 100, 668),
    ])]);
    expect(text.split("\n")).toEqual(["坚持需求导向，统筹用好现有网络和平台，不搞重复建设，不增加基层负担。这一行也写满了，一直写到页面的右边。", "县政府成立工作专班，每季度调度一次。"]);
  });

  it("puts a table row on one line with cells separated by a tab", () => {
    const text = layoutPdf([page([line("事项", 100, 700), line("牵头单位", 250, 700), line("完成时限", 400, 700), line("基站建设", 100, 680), line("县工信局", 250, 680), line("2027年底", 400, 680)])]);
    expect(text).toBe("事项\t牵头单位\t完成时限\n基站建设\t县工信局\t2027年底");
  });

  it("refuses a PDF without a text layer (a scan), naming the file and what to do", () => {
    const body = "0 0 1 rg 10 10 200 200 re f";
    const scan = `%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>> endobj\n4 0 obj <</Length ${body.length}>> stream\n${body}\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n`;
    expect(() => pdfToText(Buffer.from(scan), "scan.pdf")).toThrow(/scan\.pdf: 这份 PDF 没有文字层.*请提供文字版或 OCR 后再放入/);
  });

  it("refuses a damaged PDF with a message instead of crashing", () => {
    expect(() => pdfToText(Buffer.from("%PDF-1.7\n garbage \x00\x01\x02"), "junk.pdf")).toThrow(/junk\.pdf: (PDF 文件已损坏|这份 PDF 没有文字层|PDF 无法读取)/);
  });
});

describe("web pages whose article is split over sibling blocks", () => {
  it("reads the notice block and the plan block beside it, not the menus or the footer", () => {
    const long = (s: string, n: number) => Array.from({ length: n }, (_, i) => `<p>${i + 1}.${s}第${i + 1}条内容，按期完成。</p>`).join("");
    const page = `<html><head><meta charset="utf-8"></head><body><div class="nav"><a>首页</a><a>政务公开</a></div>
      <div class="main"><div class="notice"><p>某县人民政府关于印发某县河湖保洁工作方案的通知</p><p>各乡镇人民政府：</p><p>现将《某县河湖保洁工作方案》印发给你们，请认真贯彻执行。</p></div>
      <div class="attachment"><p>某县河湖保洁工作方案</p><p>一、主要任务</p>${long("做好河道保洁工作", 8)}</div>
      <div class="share">分享到：<a>微信</a></div></div>
      <div class="footer"><p>主办单位：某县人民政府办公室。联系电话：0000。</p></div></body></html>`;
    const lines = htmlToText(Buffer.from(page), "split.html").split("\n");
    expect(lines[0]).toBe("某县人民政府关于印发某县河湖保洁工作方案的通知");
    expect(lines).toContain("一、主要任务");
    expect(lines.at(-1)).toBe("8.做好河道保洁工作第8条内容，按期完成。");
  });
});
