import { packSections, utf8Bytes } from "./split.js";
import type { Reply } from "./types.js";

/** Options for {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** The platform's size limit per message. */
  limit: number;
  /** Measure in UTF-8 bytes (WeCom) instead of characters. */
  bytes?: boolean;
  /** Buttons are shown as a text hint (platforms without buttons in this mode). */
  buttonsAsText?: boolean;
}

/** The reply's sections in order: title, body, quotes heading, one quote block per citation, hint. */
export function replySections(r: Reply, opts: { buttonsAsText?: boolean } = {}): Array<{ text: string; prefix?: string }> {
  const sections: Array<{ text: string; prefix?: string }> = [];
  if (r.title) sections.push({ text: `**${r.title}**` });
  if (r.body) sections.push({ text: r.body });
  if (r.quotes?.length) {
    sections.push({ text: `**${r.quotesTitle ?? "原文引用："}**` });
    // One quote block per citation, so each citation can be checked on its own.
    for (const q of r.quotes) sections.push({ text: `${q.tag}“${q.quote}”`, prefix: "> " });
  }
  if (r.hint && opts.buttonsAsText) sections.push({ text: r.hint });
  return sections;
}

/** The reply as Markdown messages within the platform's limit. */
export function renderMarkdown(r: Reply, opts: MarkdownOptions): string[] {
  return packSections(replySections(r, opts), opts.limit, opts.bytes ? utf8Bytes : undefined);
}

/** A title for platforms that need one beside the Markdown (DingTalk's notification line). */
export function replyTitle(r: Reply): string {
  return (r.title ?? r.body.split("\n")[0] ?? "回复").slice(0, 30) || "回复";
}
