import { PlanParseError } from "../errors.js";
import { htmlToText } from "./html.js";

/** Headers of one MIME part, names lower-cased, continuation lines unfolded. */
function headers(block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const at = line.indexOf(":");
    if (at > 0) out.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
  }
  return out;
}

function split(part: string): { head: Map<string, string>; body: string } {
  const m = /\r?\n\r?\n/.exec(part);
  if (!m) return { head: headers(part), body: "" };
  return { head: headers(part.slice(0, m.index)), body: part.slice(m.index + m[0].length) };
}

/** A part's body as bytes, by its Content-Transfer-Encoding (the text is held as latin1, one char per byte). */
function bodyBytes(body: string, encoding: string): Buffer {
  const enc = encoding.toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64");
  if (enc === "quoted-printable") {
    return Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1");
  }
  return Buffer.from(body, "latin1");
}

const param = (value: string | undefined, name: string) => (value ? new RegExp(`${name}\\s*=\\s*"?([^";]+)"?`, "i").exec(value)?.[1]?.trim() : undefined);

/**
 * The plan text of a web page saved as one file (.mht/.mhtml, "网页，单个文件" in IE, Edge, 360 and
 * Chrome): its first text/html part, decoded by its transfer encoding and charset, then read as a page.
 */
export function mhtToText(bytes: Uint8Array, file: string): string {
  const raw = Buffer.from(bytes).toString("latin1");
  const top = split(raw);
  const type = top.head.get("content-type") ?? "";
  const boundary = param(type, "boundary");
  const parts = boundary ? raw.split(`--${boundary}`).slice(1).map(split) : [top];
  const html = parts.find((p) => /^text\/html/i.test(p.head.get("content-type") ?? ""));
  if (!html) throw new PlanParseError(file, "网页存档中没有网页正文，请在浏览器中另存为 .html 后再放入（no text/html part in the web archive）");
  const charset = param(html.head.get("content-type"), "charset");
  return htmlToText(bodyBytes(html.body, html.head.get("content-transfer-encoding") ?? "7bit"), file, charset);
}

/** Whether a file starts like a MIME web archive (MIME headers over a multipart/related body). */
export function looksLikeMht(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString("latin1");
  return /^(from|mime-version|subject|date|content-type|x-mimeole|snapshot-content-location):/im.test(head.slice(0, 200)) && /multipart\/related/i.test(head);
}
