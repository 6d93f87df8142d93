/** How to read one chat-completions response. */
export interface ReadOptions {
  stream: boolean;
  signal: AbortSignal;
  /** Characters of reply text read at most; the rest is never read. */
  maxChars: number;
  /** Receives reply text as it arrives; return true to stop reading (the reply is then unfinished). */
  onText?: (text: string) => boolean | void;
}

/** A reply's text, and whether the model finished it (false when cut by a length limit). */
export interface ChatReply {
  text: string;
  finished: boolean;
}

/** The reply could not be read; the message is for logs (it never quotes the response). */
export class ReplyError extends Error {
  override readonly name = "ReplyError";
}

/** Bytes of response read at most, whatever the reply says its length is. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Reads a chat-completions response (JSON or server-sent events) without the SDK's parser, so that
 * no malformed line is ever printed, and so that a stream that ends early or stalls is an error
 * (the SDK's stream ends quietly on abort) rather than a short answer.
 */
export async function readChatReply(res: Response, opts: ReadOptions): Promise<ChatReply> {
  if (!res.body) throw new ReplyError("the LLM endpoint sent no body");
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let pending = "";
  let text = "";
  let finish: string | null | undefined;
  let done = false;
  let stopped = false;
  const add = (t: string) => {
    const piece = t.slice(0, Math.max(0, opts.maxChars - text.length));
    if (piece.length < t.length) stopped = true;
    text += piece;
    if (piece && opts.onText?.(piece)) stopped = true;
  };
  try {
    while (!done && !stopped) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      bytes += value.byteLength;
      if (bytes > MAX_BODY_BYTES) throw new ReplyError(`the LLM endpoint sent more than ${MAX_BODY_BYTES} bytes`);
      pending += decoder.decode(value, { stream: true });
      if (!opts.stream) continue;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") {
          done = true;
          break;
        }
        const chunk = parse(data, "a stream line that is not JSON");
        if (chunk.error) throw new ReplyError("the LLM endpoint reported an error inside the stream");
        const choice = chunk.choices?.[0];
        if (typeof choice?.delta?.content === "string") add(choice.delta.content);
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (stopped) break;
      }
    }
  } finally {
    // Stops the transfer: a reply past the limit, or one that failed, is not read further.
    if (!done) await reader.cancel().catch(() => undefined);
  }
  if (opts.signal.aborted && !stopped) throw new ReplyError("the LLM endpoint timed out");
  if (!opts.stream) {
    const body = parse(pending + decoder.decode(), "a response that is not JSON");
    const choice = body.choices?.[0];
    const content = choice?.message?.content;
    if (typeof content === "string") add(content);
    return { text, finished: !stopped && (choice?.finish_reason ?? "stop") === "stop" };
  }
  // A stream must end with [DONE] or a finish reason; ending without one means it broke off.
  if (stopped) return { text, finished: false };
  if (!done && !finish) throw new ReplyError("the LLM endpoint timed out (the stream ended before the reply was finished)");
  return { text, finished: finish === undefined || finish === null || finish === "stop" };
}

interface Chunk {
  error?: unknown;
  choices?: Array<{ delta?: { content?: unknown }; message?: { content?: unknown }; finish_reason?: string | null }>;
}

function parse(data: string, what: string): Chunk {
  try {
    const v = JSON.parse(data) as unknown;
    if (v && typeof v === "object") return v as Chunk;
  } catch {
    // The line itself is never repeated: it may echo request headers.
  }
  throw new ReplyError(`the LLM endpoint sent ${what}`);
}
