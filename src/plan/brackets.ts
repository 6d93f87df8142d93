/**
 * Splits text on single-character separators that stand outside brackets, book-title marks and
 * quotes: 各市、县(市、区)党委和人民政府,省直属各单位 on , gives two pieces. Pieces are returned as
 * they are (untrimmed, empty ones kept).
 */
export function splitOutsideBrackets(text: string, sep: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of text) {
    if ("(（《“".includes(c)) depth++;
    if (")）》”".includes(c)) depth = Math.max(0, depth - 1);
    if (depth === 0 && sep.test(c)) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}
