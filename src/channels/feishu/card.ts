import { renderMarkdown } from "../platform/render.js";
import type { Reply } from "../platform/types.js";

/** Characters of Markdown per card: well inside Feishu's 30 KB card limit, and readable on a phone. */
export const FEISHU_CARD_CHARS = 3000;

/** A reply as interactive cards: Markdown (a quote block per citation), buttons on the last card. */
export function replyCards(r: Reply, limit = FEISHU_CARD_CHARS): object[] {
  const pages = renderMarkdown(r, { limit });
  return pages.map((page, i) => {
    const elements: object[] = [{ tag: "markdown", content: page }];
    if (i === pages.length - 1 && r.buttons?.length) {
      elements.push({ tag: "action", actions: r.buttons.map((b) => ({ tag: "button", text: { tag: "plain_text", content: b.text }, type: "default", value: { pb: b.value } })) });
    }
    return { config: { wide_screen_mode: true }, elements };
  });
}
