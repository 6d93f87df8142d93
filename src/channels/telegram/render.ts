import { citationTag } from "../../answer/plans.js";
import type { AnswerResult } from "../../answer/types.js";
import { messages } from "../../answer/messages.js";
import type { TelegramMessages } from "../../answer/messages-telegram.js";
import type { Unit } from "../../plan/types.js";

/** Telegram's limit on a message's text. */
export const MESSAGE_LIMIT = 4096;

/** Escapes text for Telegram HTML: &, < and > (quotes are safe outside attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A piece of a reply: plain text, or text inside one tag. Blocks are never split inside a tag. */
export interface Block {
  text: string;
  tag?: "b" | "i" | "blockquote expandable" | "blockquote" | "code";
}

function renderBlock(b: Block): string {
  const body = escapeHtml(b.text);
  if (!b.tag) return body;
  const name = b.tag.split(" ")[0]!;
  return `<${b.tag}>${body}</${name}>`;
}

import { splitText } from "../platform/split.js";

/** Cuts text at sentence ends; shared with the other chat platforms. */
export { splitText };

/**
 * Lays blocks out into messages of at most MESSAGE_LIMIT characters of HTML. A block too long for one
 * message is split at sentence boundaries, each piece wrapped in the same tag, so no tag is broken.
 */
export function paginate(blocks: Block[], limit = MESSAGE_LIMIT): string[] {
  const messages: string[] = [];
  let current = "";
  const push = (html: string) => {
    const sep = current ? "\n" : "";
    if (current.length + sep.length + html.length <= limit) {
      current += sep + html;
      return;
    }
    if (current) messages.push(current);
    current = html;
  };
  for (const b of blocks) {
    const html = renderBlock(b);
    if (html.length <= limit) {
      push(html);
      continue;
    }
    // Escaping can lengthen text (up to 5×); a piece whose HTML is still too long is split again, smaller.
    const fit = (text: string, max: number): void => {
      for (const piece of splitText(text, max)) {
        const pieceHtml = renderBlock({ ...b, text: piece });
        if (pieceHtml.length <= limit || max <= 1) push(pieceHtml);
        else fit(piece, Math.floor(max / 2));
      }
    };
    fit(b.text, Math.floor(limit / 1.6) - 40);
  }
  if (current) messages.push(current);
  return messages;
}

/** The reply for an answer: the answer text, then the verbatim quotes in an expandable blockquote. */
export function answerBlocks(r: AnswerResult, t: TelegramMessages = messages("zh").telegram): Block[] {
  const blocks: Block[] = [{ text: r.answer }];
  if (r.citations.length > 0) {
    const quotes = r.citations.map((c) => `${citationTag(c)}“${c.quote}”`).join("\n");
    blocks.push({ text: r.abstained ? t.relatedHead : t.quoteHead, tag: "b" }, { text: quotes, tag: "blockquote expandable" });
  }
  return blocks;
}

/** A unit in full: label and heading, its place in the plan, its text. */
export function unitBlocks(unit: Unit, plan?: string): Block[] {
  return [{ text: `${citationTag({ label: unit.label, plan })}${unit.heading}`, tag: "b" }, { text: unit.path, tag: "i" }, { text: unit.text }];
}

/** Telegram HTML back to plain text, for the fallback when Telegram rejects the formatting. */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
}
