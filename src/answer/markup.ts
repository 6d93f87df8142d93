/**
 * Plain text from a model's sentence: HTML and Markdown are removed, but every address they
 * carried (href, src, link targets) stays in the text, so that the contact check still sees it.
 * @example toPlainText("见[官网](http://x.example)") // "见官网 http://x.example"
 */
export function toPlainText(text: string): string {
  return text
    // Whole elements whose content is code or styling, not prose.
    .replace(/<(script|style|iframe|object|template)\b[\s\S]*?(<\/\1\s*>|$)/gi, " ")
    .replace(/<!--[\s\S]*?(-->|$)/g, " ")
    // A tag keeps only the addresses in its attributes.
    .replace(/<\/?[a-z][^<>]*>?/gi, (tag) => ` ${(tag.match(/(?:href|src|action|data)\s*=\s*["']?([^"'\s>]+)/gi) ?? []).map((a) => a.replace(/^[^=]*=\s*["']?/, "")).join(" ")} `)
    .replace(/&(?:amp|#0*38|#x0*26);/gi, "&")
    .replace(/&(?:lt|#0*60|#x0*3c);/gi, "＜")
    .replace(/&(?:gt|#0*62|#x0*3e);/gi, "＞")
    .replace(/&(?:nbsp|#0*160);/gi, " ")
    .replace(/&(?:quot|#0*34);/gi, "\"")
    .replace(/&[a-z0-9#]{2,8};/gi, " ")
    // Markdown images and links: the visible text, then the target.
    .replace(/!?\[([^\]\n]*)\]\(([^)\s]*)[^)]*\)/g, (_m, label: string, href: string) => `${label} ${href} `)
    .replace(/^[ \t]*#{1,6}[ \t]+/gm, "")
    .replace(/^[ \t]*>[ \t]?/gm, "")
    // List markers become bullets, so that "1." is not read as a figure.
    .replace(/^[ \t]*(?:[-*+•·]|\d{1,2}[.)、]|[（(]\d{1,2}[)）])[ \t]+/gm, "• ")
    .replace(/\*\*|__|~~|`+/g, "")
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)\*(?!\w)/g, "$1$2")
    .replace(/^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*$/gm, "")
    .replace(/\|/g, " ")
    // Any angle bracket left is text, never markup.
    .replace(/</g, "＜")
    .replace(/>/g, "＞")
    .replace(/[ \t]{2,}/g, " ");
}
