import { extname } from "node:path";
import type { SourceFormat } from "../types.js";
import { looksLikeMht } from "./mht.js";

/** What a file in the seeds folder is: a readable format, or a kind we cannot read and what to do. */
export type Sniffed = { format: SourceFormat } | { unsupported: string } | { ignored: string };

const TEXT_EXT: Record<string, SourceFormat> = {
  ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
  ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
  ".mht": "mht", ".mhtml": "mht",
  ".docx": "docx", ".pdf": "pdf",
};

/** Extensions of files we know and cannot read, with what the user should do instead. */
const UNSUPPORTED_EXT: Record<string, string> = {
  ".doc": WORD_OLD(),
  ".wps": WORD_OLD(),
  ".rtf": "RTF 格式暂不支持，请用 Word 或 WPS 另存为 .docx 或 .txt 后再放入（RTF is not supported: save it as .docx or .txt）",
  ".odt": "ODT 格式暂不支持，请另存为 .docx 或 .txt 后再放入（ODT is not supported: save it as .docx or .txt）",
  ".ofd": "OFD 版式文件暂不支持，请用数科/福昕 OFD 阅读器导出为 PDF（带文字层）或 .txt 后再放入（OFD is not supported: export it as a PDF with text or as .txt）",
  ".xls": SHEET(), ".xlsx": SHEET(), ".et": SHEET(), ".csv": SHEET(),
  ".ppt": SLIDES(), ".pptx": SLIDES(), ".dps": SLIDES(),
  ".caj": "CAJ 格式暂不支持，请导出为 PDF（带文字层）或 .txt 后再放入（CAJ is not supported: export it as a PDF with text or as .txt）",
  ".jpg": IMAGE(), ".jpeg": IMAGE(), ".png": IMAGE(), ".gif": IMAGE(), ".bmp": IMAGE(), ".tif": IMAGE(), ".tiff": IMAGE(), ".webp": IMAGE(),
  ".zip": ARCHIVE(), ".rar": ARCHIVE(), ".7z": ARCHIVE(), ".gz": ARCHIVE(),
};

function WORD_OLD(): string {
  return "旧版 Word/WPS 格式（.doc/.wps）暂不支持，请用 Word 或 WPS 另存为 .docx 后再放入（the old Word/WPS format is not supported: save it as .docx）";
}
function SHEET(): string {
  return "这是表格文件，不是方案正文，请提供方案的 .docx、.pdf、.html 或 .txt（a spreadsheet is not a plan: provide the plan as .docx, .pdf, .html or .txt）";
}
function SLIDES(): string {
  return "这是演示文稿，不是方案正文，请提供方案的 .docx、.pdf、.html 或 .txt（slides are not a plan: provide the plan as .docx, .pdf, .html or .txt）";
}
function IMAGE(): string {
  return "这是图片，没有文字层，请提供文字版或 OCR 后再放入（an image has no text: provide the text, or run OCR first）";
}
function ARCHIVE(): string {
  return "这是压缩包，请解压后把其中的方案文件放入（an archive: unpack it and put the plan files in the folder）";
}

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

/**
 * Decides how to read a file from what its bytes are, then from its name: a PDF or Word file with
 * a wrong extension is still read, and an .htm page saved as .doc (common on government sites) too.
 */
export function sniffFormat(name: string, bytes: Uint8Array): Sniffed {
  const ext = extname(name).toLowerCase();
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { format: "pdf" }; // %PDF-
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return ext in UNSUPPORTED_EXT && ext !== ".doc" && ext !== ".wps" ? { unsupported: UNSUPPORTED_EXT[ext]! } : { format: "docx" };
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) return { unsupported: UNSUPPORTED_EXT[ext] ?? WORD_OLD() };
  if (startsWith(bytes, [0x7b, 0x5c, 0x72, 0x74, 0x66])) return { unsupported: UNSUPPORTED_EXT[".rtf"]! }; // {\rtf
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) || startsWith(bytes, [0xff, 0xd8, 0xff]) || startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) {
    return { unsupported: IMAGE() };
  }
  if (looksLikeMht(bytes)) return { format: "mht" };
  if (ext in TEXT_EXT) {
    const format = TEXT_EXT[ext]!;
    if ((format === "txt" || format === "md") && looksLikeHtml(bytes)) return { format: "html" };
    return { format };
  }
  if ((ext === ".doc" || ext === ".wps") && looksLikeHtml(bytes)) return { format: "html" };
  if (ext in UNSUPPORTED_EXT) return { unsupported: UNSUPPORTED_EXT[ext]! };
  // Any other file (data, scripts, a LICENSE) is not meant as a plan: it is listed as skipped, not as an error.
  return { ignored: `不是方案文件格式（${ext || "无扩展名"}），已忽略；方案请用 .txt、.md、.html、.docx 或 .pdf（not a plan format: ignored）` };
}

/** Whether the start of a file is an HTML page (a doctype or <html>, after a BOM and white space). */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024)).replace(/^(\xEF\xBB\xBF|\xFF\xFE|\xFE\xFF)/, "").trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html") || /^<\?xml[^>]*>\s*<!doctype html/.test(head) || /^<\?xml[^>]*>\s*<html/.test(head);
}

/** Whether a name is one of the formats we read (for listing a folder). */
export function isReadableName(name: string): boolean {
  return extname(name).toLowerCase() in TEXT_EXT;
}
