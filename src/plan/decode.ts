import { PlanParseError } from "./errors.js";

/** Charset labels that name GB2312/GBK/GB18030; the GB18030 decoder reads all of them. */
const GB_LABELS = /^(gb2312|gbk|gb18030|x-gbk|cp936|csgb2312|gb_2312-80|euc-cn|chinese)$/i;

/**
 * Turns a file's bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030
 * (common for Chinese government files). Binary and empty files are refused with a clear reason.
 * A declared charset (an HTML page's <meta charset>) is tried first when given.
 */
export function decodePlanBytes(bytes: Uint8Array, file: string, declared?: string): string {
  if (bytes.length === 0) throw new PlanParseError(file, "the file is empty");

  if (bytes[0] === 0xff && bytes[1] === 0xfe) return finish(new TextDecoder("utf-16le").decode(bytes.subarray(2)), file);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return finish(new TextDecoder("utf-16be").decode(bytes.subarray(2)), file);

  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) {
    throw new PlanParseError(file, "this looks like a binary file (it contains NUL bytes), not a text document");
  }
  const fromDeclared = declared ? decodeDeclared(bytes, declared) : undefined;
  if (fromDeclared !== undefined) return finish(fromDeclared.replace(/^\uFEFF/, ""), file);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("gb18030").decode(bytes);
    if (text.includes("\uFFFD")) {
      throw new PlanParseError(file, "the file is neither valid UTF-8 nor GB18030 text (is it a binary or a Word/PDF file?)");
    }
  }
  return finish(text.replace(/^\uFEFF/, ""), file);
}

/**
 * Decodes with a declared charset; undefined when the label is unknown or the bytes do not fit it
 * (pages often declare gb2312 but are saved as UTF-8, or the reverse), so the caller can sniff.
 */
function decodeDeclared(bytes: Uint8Array, label: string): string | undefined {
  const name = GB_LABELS.test(label.trim()) ? "gb18030" : label.trim().toLowerCase();
  try {
    return new TextDecoder(name, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function finish(text: string, file: string): string {
  if (text.trim() === "") throw new PlanParseError(file, "the file is empty (only white space)");
  // Control characters other than tab/newline in quantity point to a binary file.
  const controls = text.match(/[\u0000-\u0008\u000E-\u001F]/g)?.length ?? 0;
  if (controls > 8 && controls / text.length > 0.01) {
    throw new PlanParseError(file, "this looks like a binary file (many control characters), not a text document");
  }
  return text;
}
