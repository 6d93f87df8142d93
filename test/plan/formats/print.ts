import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Chromium for printing fixtures to PDF (CHROMIUM_PATH, else Debian's); .ci/run installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A plan's text laid out as a printed government document (indented paragraphs, a centred title,
 * a table for tab-separated rows), for printing to PDF with Chromium.
 */
export function printableHtml(text: string, centred: (line: string, i: number) => boolean): string {
  const out: string[] = [];
  let rows: string[] = [];
  const flush = () => {
    if (rows.length) out.push(`<table>${rows.map((r) => `<tr>${r.split("\t").map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("")}</table>`);
    rows = [];
  };
  text.split("\n").forEach((line, i) => {
    if (line.includes("\t")) return void rows.push(line);
    flush();
    if (line === "") out.push('<p class="gap">&nbsp;</p>');
    else out.push(`<p class="${centred(line, i) ? "c" : ""}">${esc(line)}</p>`);
  });
  flush();
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body { font-family: "WenQuanYi Micro Hei", sans-serif; font-size: 15pt; line-height: 1.5; margin: 0 1cm; }
    p { margin: 0; text-indent: 2em; text-align: justify; } p.c { text-align: center; text-indent: 0; font-size: 18pt; }
    table { border-collapse: collapse; margin: 0.3em auto; } td { border: 1px solid #000; padding: 0 0.8em; }
  </style></head><body>${out.join("\n")}</body></html>`;
}

/** Prints an HTML file to PDF with headless Chromium (with its running header and footer: date, title, page x/y). */
export function printToPdf(html: string, dir: string, name: string): string {
  const src = join(dir, `${name}.print.html`);
  const pdf = join(dir, `${name}.pdf`);
  writeFileSync(src, html);
  execFileSync(CHROMIUM, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", `--user-data-dir=${join(dir, "chromium-profile")}`, `--print-to-pdf=${pdf}`, src], {
    stdio: "ignore",
    timeout: 60_000,
  });
  return pdf;
}

/**
 * Prints HTML to PDF as a government office prints a document: a running header on every page and
 * the page number centred in the footer as — N —.
 */
export async function printOfficialPdf(html: string, file: string, header: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"] });
  try {
    const page = await browser.newPage();
    await page.setContent(html);
    await page.pdf({
      path: file,
      format: "A4",
      displayHeaderFooter: true,
      headerTemplate: `<div style="font-size:9pt;width:100%;text-align:left;margin-left:2cm;font-family:'WenQuanYi Micro Hei'">${esc(header)}</div>`,
      footerTemplate: `<div style="font-size:11pt;width:100%;text-align:center;font-family:'WenQuanYi Micro Hei'">— <span class="pageNumber"></span> —</div>`,
      margin: { top: "2.5cm", bottom: "2.5cm", left: "2cm", right: "2cm" },
    });
  } finally {
    await browser.close();
  }
}
