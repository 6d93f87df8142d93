import { PlanParseError } from "./errors.js";

/**
 * Turns a file's bytes into text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030
 * (common for Chinese government files). Binary and empty files are refused with a clear reason.
 */
export function decodePlanBytes(bytes: Uint8Array, file: string): string {
  if (bytes.length === 0) throw new PlanParseError(file, "the file is empty");

  if (bytes[0] === 0xff && bytes[1] === 0xfe) return finish(new TextDecoder("utf-16le").decode(bytes.subarray(2)), file);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return finish(new TextDecoder("utf-16be").decode(bytes.subarray(2)), file);

  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) {
    throw new PlanParseError(file, "this looks like a binary file (it contains NUL bytes), not a text document");
  }
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

function finish(text: string, file: string): string {
  if (text.trim() === "") throw new PlanParseError(file, "the file is empty (only white space)");
  // Control characters other than tab/newline in quantity point to a binary file.
  const controls = text.match(/[\u0000-\u0008\u000E-\u001F]/g)?.length ?? 0;
  if (controls > 8 && controls / text.length > 0.01) {
    throw new PlanParseError(file, "this looks like a binary file (many control characters), not a text document");
  }
  return text;
}
