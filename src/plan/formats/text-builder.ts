/**
 * Collects the lines of an extracted document: soft breaks (block ends) never make empty lines,
 * hard breaks (<br>, an empty paragraph) may make one; runs of blank lines become one.
 */
export class LineBuilder {
  private readonly lines: string[] = [];
  private cur = "";

  /** Appends text to the current line. */
  add(text: string): void {
    this.cur += text;
  }

  /** Whether the current line holds anything but white space. */
  get lineHasText(): boolean {
    return this.cur.trim() !== "";
  }

  /** Ends the current line if it holds text (the end of a block). */
  soft(): void {
    if (this.lineHasText) this.hard();
    else this.cur = "";
  }

  /** Ends the current line, even an empty one (a line break, an empty paragraph). */
  hard(): void {
    this.lines.push(this.cur);
    this.cur = "";
  }

  /** The text: lines trimmed at the end, at most one blank line in a row, none at either end. */
  text(): string {
    this.soft();
    const out: string[] = [];
    for (const raw of this.lines) {
      const line = raw.replace(/[ \t]+$/, "");
      if (line.trim() === "" && (out.length === 0 || out.at(-1) === "")) continue;
      out.push(line.trim() === "" ? "" : line);
    }
    while (out.at(-1) === "") out.pop();
    return out.join("\n");
  }
}

const CJK_CHAR = "\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef\\u3000-\\u303f";
const SOURCE_BREAK_RE = new RegExp(`(?<=[${CJK_CHAR}])[ \\t\\r\\n\\f]*[\\r\\n][ \\t\\r\\n\\f]*(?=[${CJK_CHAR}])`, "g");

/**
 * Collapses the white space of a source text run as a browser shows it; a line break in the
 * source between two Chinese characters is only source formatting, so it joins them without a space.
 */
export function collapseSpace(text: string): string {
  return text.replace(SOURCE_BREAK_RE, "").replace(/[ \t\r\n\f]+/g, " ");
}
