/** Cuts text into pieces of at most `limit` characters, at sentence ends where possible. */
export function splitText(text: string, limit: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(...["。", "；", "！", "？", "\n", ". ", "; "].map((p) => window.lastIndexOf(p)));
    cut = cut >= limit / 3 ? cut + 1 : Math.max(window.lastIndexOf("，"), window.lastIndexOf(" "), limit / 2) + 1;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * Packs sections (paragraphs, quote blocks) into messages of at most `limit` by `measure`
 * (characters, or UTF-8 bytes for WeCom). A section too long for one message is cut at sentence
 * ends, each piece keeping the section's prefix (so a quote stays a quote).
 */
export function packSections(sections: Array<{ text: string; prefix?: string }>, limit: number, measure: (s: string) => number = (s) => s.length): string[] {
  const pages: string[] = [];
  let current = "";
  const push = (piece: string) => {
    const joined = current ? `${current}\n\n${piece}` : piece;
    if (measure(joined) <= limit) {
      current = joined;
      return;
    }
    if (current) pages.push(current);
    current = piece;
  };
  for (const s of sections) {
    const prefix = s.prefix ?? "";
    const whole = prefix + s.text;
    if (measure(whole) <= limit) {
      push(whole);
      continue;
    }
    // Characters may weigh up to 3 bytes: cut small enough that every piece fits.
    const ratio = Math.max(1, measure(whole) / Math.max(1, whole.length));
    const max = Math.max(20, Math.floor((limit - measure(prefix)) / ratio) - 4);
    for (const piece of splitText(s.text, max)) push(prefix + piece);
  }
  if (current) pages.push(current);
  return pages;
}

/** UTF-8 length, for platforms whose limits are in bytes. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, "utf8");
