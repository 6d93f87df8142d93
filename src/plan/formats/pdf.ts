import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { PlanParseError } from "../errors.js";
import { layoutPdf, type PdfPage } from "./pdf-layout.js";

/** Time allowed to read one PDF's text layer; a hostile or huge file must not hang loading. */
const PDF_TIMEOUT_MS = 60_000;

/**
 * Runs in a child Node process: PDF.js reads the text items of every page and prints them as
 * JSON. A child keeps loading synchronous (PDF.js is async only) and contains a crash or a hang.
 */
const CHILD = `
const [lib, cmaps, fonts] = process.argv.slice(1);
const { getDocument } = await import(lib);
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const out = (o) => process.stdout.write(JSON.stringify(o));
try {
  const doc = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), isEvalSupported: false, disableFontFace: true,
    useSystemFonts: false, verbosity: 0, cMapUrl: cmaps, cMapPacked: true, standardFontDataUrl: fonts }).promise;
  const pages = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const view = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items = [];
    for (const it of content.items) {
      if (!("str" in it) || it.str === "") continue;
      const [a, b, c, d, e, f] = it.transform;
      items.push({ s: it.str, x: e, y: f, w: it.width, size: Math.hypot(c, d) || Math.hypot(a, b) || it.height });
    }
    pages.push({ width: view.width, height: view.height, items });
    page.cleanup();
  }
  out({ pages });
} catch (err) {
  out({ error: err && err.name === "PasswordException" ? "password" : err && err.name === "InvalidPDFException" ? "invalid" : String(err && err.message || err) });
}
`;

interface ChildResult {
  pages?: PdfPage[];
  error?: string;
}

/** Text runs of recently read PDFs by content hash: a reload of the seeds folder does not read them again. */
const recent = new Map<string, ChildResult>();
const RECENT_MAX = 32;

/**
 * The text of a PDF with a text layer, lines in reading order, lines wrapped by the page width
 * joined back into paragraphs, page numbers and running headers dropped. A scan without text is refused.
 */
export function pdfToText(bytes: Uint8Array, file: string): string {
  const key = createHash("sha256").update(bytes).digest("hex");
  const result = recent.get(key) ?? runChild(bytes, file);
  recent.delete(key);
  recent.set(key, result);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  if (result.error === "password") throw new PlanParseError(file, "PDF 有密码保护，请提供未加密的文件（the PDF is password-protected）");
  if (result.error === "invalid") throw new PlanParseError(file, "PDF 文件已损坏，无法打开，请重新导出后再放入（the PDF is damaged）");
  if (result.error || !result.pages) throw new PlanParseError(file, `PDF 无法读取，请重新导出后再放入（${result.error ?? "no pages"}）`);
  const text = layoutPdf(result.pages);
  const chars = text.replace(/\s+/g, "").length;
  if (chars < 20 || chars < 10 * result.pages.length) {
    throw new PlanParseError(file, "这份 PDF 没有文字层（可能是扫描件），请提供文字版或 OCR 后再放入（the PDF has no text layer: provide a text version, or run OCR first）");
  }
  // Fonts without a Unicode map come out as private-use or replacement characters.
  const unreadable = text.match(/[\uE000-\uF8FF\uFFFD]/g)?.length ?? 0;
  if (unreadable > chars * 0.3) {
    throw new PlanParseError(file, "这份 PDF 的文字层无法识别（字体缺少编码），请提供文字版或 OCR 后再放入（the PDF's fonts have no Unicode map）");
  }
  return text;
}

function runChild(bytes: Uint8Array, file: string): ChildResult {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("pdfjs-dist/package.json"));
  const lib = pathToFileURL(join(root, "legacy/build/pdf.mjs")).href;
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, ["--input-type=module", "-e", CHILD, lib, join(root, "cmaps") + "/", join(root, "standard_fonts") + "/"], {
      input: bytes,
      timeout: PDF_TIMEOUT_MS,
      maxBuffer: 256 * 1024 * 1024,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (err) {
    const timedOut = (err as { signal?: string }).signal === "SIGTERM";
    throw new PlanParseError(file, timedOut ? `PDF 读取超时（${PDF_TIMEOUT_MS / 1000} 秒），请提供文字版（reading the PDF timed out）` : `PDF 无法读取，请重新导出后再放入（${(err as Error).message.split("\n")[0]}）`, undefined, { cause: err });
  }
  try {
    return JSON.parse(stdout) as ChildResult;
  } catch (err) {
    throw new PlanParseError(file, "PDF 无法读取，请重新导出后再放入（the reader gave no result）", undefined, { cause: err });
  }
}
