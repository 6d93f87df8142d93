/**
 * A fake Telegram Bot API server for end-to-end tests.
 *
 * The real grammY `Bot` is pointed at it with
 * `new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`, so the whole
 * stack (grammY's HTTP client, long polling, transformers such as auto-retry)
 * runs exactly as in production; only Telegram is replaced. Built on
 * `node:http` alone and bound to 127.0.0.1 so tests never open a port to the
 * network.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type {
  BotCommand,
  CallbackQuery,
  Chat,
  InlineQuery,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/** A Bot API response body, as Telegram sends it. */
export type ApiResponse<T = unknown> =
  | { ok: true; result: T }
  | {
      ok: false;
      error_code: number;
      description: string;
      parameters?: { retry_after?: number; migrate_to_chat_id?: number };
    };

/** One HTTP request the fake received, in arrival order. */
export interface RecordedCall {
  /** Bot API method name (canonical spelling if the fake knows the method). */
  method: string;
  /** The decoded JSON body (`{}` for an empty or undecodable body). */
  params: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  time: number;
  /**
   * HTTP status of the answer. `undefined` while a long poll is still held;
   * `0` if the client went away before it was answered.
   */
  status?: number;
  /** The body that was sent back (absent while pending or after an abort). */
  response?: ApiResponse;
  /** True if the answer came from {@link FakeTelegram.failNext}. */
  injected?: boolean;
}

/** A message the bot successfully sent or edited (see {@link FakeTelegram.sent}). */
export interface SentMessage {
  method: "sendMessage" | "editMessageText" | "sendDocument";
  /** Target chat (numeric ids are normalised to numbers). */
  chat_id: number;
  message_id: number;
  /** Text as the bot sent it, i.e. HTML source when `parse_mode` is HTML; the caption for documents. */
  text: string;
  /** What a user would see: text after entity parsing and trimming. */
  plainText: string;
  /** Entities Telegram would attach to {@link SentMessage.plainText}. */
  entities: MessageEntity[];
  parse_mode?: string;
  reply_markup?: unknown;
  /** Id of the message this one replies to (from `reply_parameters` or legacy `reply_to_message_id`). */
  reply_to?: number;
  reply_parameters?: unknown;
  /** The Message object returned to the bot. */
  message: Message;
  time: number;
}

/**
 * A failure to inject with {@link FakeTelegram.failNext}. 429 answers carry
 * `parameters.retry_after` (default 1 s) and the description Telegram uses.
 * Any other status is allowed too (e.g. 403 "Forbidden: bot was blocked by
 * the user").
 */
export interface InjectedFailure {
  status: number;
  /** Seconds, only used for status 429. */
  retryAfter?: number;
  /** Overrides the default description ("Bad Request", "Internal Server Error", ...). */
  description?: string;
}

/** A custom method implementation registered with {@link FakeTelegram.handle}. */
export type MethodHandler = (
  params: Record<string, unknown>,
  fake: FakeTelegram,
) => ApiResponse | Promise<ApiResponse>;

/** Options of {@link startFakeTelegram}. */
export interface FakeTelegramOptions {
  /** Bot token the fake accepts; the bot id is the number before the colon. */
  token?: string;
  /** Overrides for the `getMe` answer. */
  botInfo?: Partial<UserFromGetMe>;
  /**
   * Reject a `&` in HTML text that does not start `&lt;`, `&gt;`, `&amp;`,
   * `&quot;` or a numeric reference ended by `;` (default true). Telegram
   * itself keeps such a `&` literally, but it almost always means the bot
   * forgot to escape user or document text, and `&lt` without the semicolon
   * would silently turn into `<` on Telegram. Set false to match Telegram.
   */
  strictAmpersand?: boolean;
}

/** A chat type a test user can write from. */
export type TestChatType = "private" | "group" | "supergroup";

/** Common options of the message builders. */
export interface MessageOptions {
  chatId: number;
  userId: number;
  /** Defaults from the id: positive → private, `-100…` → supergroup, other negative → group. */
  chatType?: TestChatType;
  /** Title of a group chat (default "Group <id>"). */
  chatTitle?: string;
  /** `true`: reply to the bot's latest message in this chat; a number: reply to that message id. */
  replyToBotMessage?: boolean | number;
  /** Overrides for the sending user (`from`). */
  user?: Partial<User>;
}

/** Options of {@link FakeTelegram.userMessage}. */
export interface UserMessageOptions extends MessageOptions {
  text: string;
  /** Replaces the automatically detected `bot_command` and `mention` entities. */
  entities?: MessageEntity[];
}

/** Options of {@link FakeTelegram.photoMessage}. */
export interface PhotoMessageOptions extends MessageOptions {
  caption?: string;
}

/** Options of {@link FakeTelegram.stickerMessage}. */
export interface StickerMessageOptions extends MessageOptions {
  emoji?: string;
}

/** Options of {@link FakeTelegram.voiceMessage}. */
export interface VoiceMessageOptions extends MessageOptions {
  /** Seconds (default 3). */
  duration?: number;
  caption?: string;
}

/** Options of {@link FakeTelegram.callbackQuery}. */
export interface CallbackQueryOptions {
  chatId: number;
  userId: number;
  /** The bot message carrying the button; a placeholder is made if the fake never saw it. */
  messageId: number;
  data: string;
  chatType?: TestChatType;
  user?: Partial<User>;
}

/** Options of {@link FakeTelegram.inlineQuery}. */
export interface InlineQueryOptions {
  userId: number;
  query: string;
  offset?: string;
  chatType?: InlineQuery["chat_type"];
  user?: Partial<User>;
}

/** An update to queue; `update_id` is assigned when absent. */
export type NewUpdate = Omit<Update, "update_id"> & { update_id?: number };

/** An update draft holding a message, as the message builders return it. */
export interface MessageUpdateDraft {
  update_id?: number;
  message: Message & Update.NonChannel;
}

/** Result of {@link parseTelegramHtml}. */
export type HtmlParseResult =
  | { ok: true; text: string; entities: MessageEntity[] }
  | { ok: false; error: string };

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

const DEFAULT_TOKEN = "123456789:AAFakeTelegramTokenForTests";
/** Telegram's limits on text after entity parsing (counted here in UTF-16 units, see formatText). */
const MAX_TEXT_LENGTH = 4096;
const MAX_CAPTION_LENGTH = 1024;
/** Bigger bodies are refused; JSON calls are tiny, this only guards against runaway uploads. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Telegram update ids are large; starting high keeps tests honest about `offset` arithmetic. */
const FIRST_UPDATE_ID = 100_000;

const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const CALLBACK_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid";

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

const INLINE_BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
] as const;

// ---------------------------------------------------------------------------
// HTML parsing (mirrors the behaviour of TDLib's parse_html, which is what the
// Bot API server runs; error texts match it so test failures read like real ones)
// ---------------------------------------------------------------------------

const ALLOWED_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "span",
  "tg-spoiler",
  "code",
  "pre",
  "blockquote",
]);

const NAMED_ENTITIES: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };

// Telegram's scanner treats the end of the string like a NUL byte, which counts as a space.
function isSpace(ch: string | undefined): boolean {
  return ch === undefined || ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\v" || ch === "\f";
}

/**
 * Decodes the character reference starting at `pos` (which holds `&`).
 * Returns null when it is not one Telegram understands.
 */
function decodeEntity(s: string, pos: number, strict: boolean): { char: string; end: number } | null {
  let end = pos + 1;
  let code = 0;
  if (s[end] === "#") {
    end++;
    if (s[end] === "x") {
      end++;
      while (end < s.length && /[0-9a-fA-F]/.test(s[end]!)) code = code * 16 + parseInt(s[end++]!, 16);
    } else {
      while (end < s.length && /[0-9]/.test(s[end]!)) code = code * 10 + Number(s[end++]);
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return null;
  } else {
    while (end < s.length && /[A-Za-z]/.test(s[end]!)) end++;
    const named = NAMED_ENTITIES[s.slice(pos + 1, end)];
    if (named === undefined) return null;
    code = named;
  }
  if (s[end] === ";") end++;
  else if (strict) return null; // Telegram accepts "&lt" without ";" but that is a latent escaping bug.
  return { char: String.fromCodePoint(code), end };
}

/** Best-effort version of Telegram's link check: unparsable links are dropped, not rejected. */
function checkedLink(url: string): string | undefined {
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`;
  try {
    new URL(candidate);
    return candidate;
  } catch {
    return undefined;
  }
}

/**
 * Parses Telegram-flavoured HTML the way the Bot API does for
 * `parse_mode: "HTML"`: returns the plain text and entities, or the error
 * Telegram would put after "Bad Request: can't parse entities: ".
 *
 * Supported: b/strong, i/em, u/ins, s/strike/del, a href, code (class
 * "language-…" inside pre), pre, blockquote [expandable], tg-spoiler and
 * span class="tg-spoiler"; entities &lt; &gt; &amp; &quot; and numeric
 * references. Offsets in error messages are UTF-8 byte offsets, like Telegram's.
 *
 * @param html the text as the bot would send it
 * @param options.strictAmpersand see {@link FakeTelegramOptions.strictAmpersand} (default true)
 */
export function parseTelegramHtml(html: string, options: { strictAmpersand?: boolean } = {}): HtmlParseResult {
  const strict = options.strictAmpersand ?? true;
  const s = html;
  const n = s.length;
  const byteOffset = (i: number) => Buffer.byteLength(s.slice(0, i), "utf8");
  const err = (error: string): HtmlParseResult => ({ ok: false, error });
  const unescapedAmp = (i: number) =>
    err(
      `Unescaped "&" at byte offset ${byteOffset(i)}: write &amp; (the fake is stricter than Telegram, which would keep it literally)`,
    );

  let out = "";
  const entities: MessageEntity[] = [];
  const stack: { tag: string; argument: string; offset: number }[] = [];

  let i = 0;
  while (i < n) {
    const c = s[i]!;
    if (c === "&") {
      const decoded = decodeEntity(s, i, strict);
      if (decoded) {
        const cp = decoded.char.codePointAt(0)!;
        if (cp >= 0xd800 && cp <= 0xdfff) {
          return err(
            "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units",
          );
        }
        out += decoded.char;
        i = decoded.end;
        continue;
      }
      if (strict) return unescapedAmp(i);
      out += c;
      i++;
      continue;
    }
    if (c !== "<") {
      out += c;
      i++;
      continue;
    }

    const begin = i;
    i++;
    if (s[i] !== "/") {
      // Start tag.
      const nameStart = i;
      while (!isSpace(s[i]) && s[i] !== ">") i++;
      if (i >= n) return err(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      const tag = s.slice(nameStart, i).toLowerCase();
      if (!ALLOWED_TAGS.has(tag)) return err(`Unsupported start tag "${tag}" at byte offset ${byteOffset(begin)}`);

      let argument = "";
      while (s[i] !== ">") {
        while (i < n && isSpace(s[i])) i++;
        if (s[i] === ">") break;
        const attrStart = i;
        while (!isSpace(s[i]) && !"=>/\"'".includes(s[i]!)) i++;
        const attrName = s.slice(attrStart, i);
        if (attrName === "") {
          return err(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(begin)}`);
        }
        while (i < n && isSpace(s[i])) i++;
        if (s[i] !== "=") {
          if (i >= n) return err(`Unclosed start tag "${tag}" at byte offset ${byteOffset(begin)}`);
          if (tag === "blockquote" && attrName === "expandable") argument = "1";
          continue;
        }
        i++;
        while (i < n && isSpace(s[i])) i++;
        if (i >= n) return err(`Unclosed start tag "${tag}" at byte offset ${byteOffset(begin)}`);

        let value = "";
        const quote = s[i];
        if (quote !== '"' && quote !== "'") {
          // An unquoted value is an HTML "name token", compared case-insensitively.
          const tokenStart = i;
          while (i < n && /[A-Za-z0-9.-]/.test(s[i]!)) i++;
          value = s.slice(tokenStart, i).toLowerCase();
          if (!isSpace(s[i]) && s[i] !== ">") {
            return err(`Unexpected end of name token at byte offset ${byteOffset(tokenStart)}`);
          }
        } else {
          i++;
          while (i < n && s[i] !== quote) {
            if (s[i] === "&") {
              const decoded = decodeEntity(s, i, strict);
              if (decoded) {
                value += decoded.char;
                i = decoded.end;
                continue;
              }
              if (strict) return unescapedAmp(i);
            }
            value += s[i];
            i++;
          }
          if (s[i] === quote) i++;
        }
        if (i >= n) return err(`Unclosed start tag at byte offset ${byteOffset(begin)}`);

        if (tag === "a" && attrName === "href") argument = value;
        else if (tag === "code" && attrName === "class" && value.startsWith("language-")) argument = value.slice(9);
        else if (tag === "span" && attrName === "class" && value.startsWith("tg-")) argument = value.slice(3);
        else if (tag === "blockquote" && attrName === "expandable") argument = "1";
        // Other attributes are ignored, as Telegram does.
      }
      if (tag === "span" && argument !== "spoiler") {
        return err(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`);
      }
      stack.push({ tag, argument, offset: out.length });
      i++; // ">"
      continue;
    }

    // End tag.
    if (stack.length === 0) return err(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
    i++; // "/"
    const nameStart = i;
    while (!isSpace(s[i]) && s[i] !== ">") i++;
    const endName = s.slice(nameStart, i).toLowerCase();
    while (i < n && isSpace(s[i])) i++;
    if (s[i] !== ">") return err(`Unclosed end tag at byte offset ${byteOffset(begin)}`);
    i++;
    const open = stack[stack.length - 1]!;
    if (endName !== "" && endName !== open.tag) {
      return err(
        `Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.tag}>", found "</${endName}>"`,
      );
    }
    stack.pop();

    const offset = open.offset;
    const length = out.length - offset;
    if (length <= 0) continue; // Telegram drops empty entities silently.
    const last = entities[entities.length - 1];
    const sameRange = last !== undefined && last.offset === offset && last.length === length;
    switch (open.tag) {
      case "b":
      case "strong":
        entities.push({ type: "bold", offset, length });
        break;
      case "i":
      case "em":
        entities.push({ type: "italic", offset, length });
        break;
      case "u":
      case "ins":
        entities.push({ type: "underline", offset, length });
        break;
      case "s":
      case "strike":
      case "del":
        entities.push({ type: "strikethrough", offset, length });
        break;
      case "tg-spoiler":
      case "span":
        entities.push({ type: "spoiler", offset, length });
        break;
      case "blockquote":
        entities.push({ type: open.argument ? "expandable_blockquote" : "blockquote", offset, length });
        break;
      case "a": {
        const href = open.argument || out.slice(offset);
        const userId = /^tg:\/\/user\?id=(\d+)$/i.exec(href)?.[1];
        if (userId !== undefined) {
          const id = Number(userId);
          entities.push({ type: "text_mention", offset, length, user: { id, is_bot: false, first_name: `User${id}` } });
        } else {
          const url = checkedLink(href);
          if (url !== undefined) entities.push({ type: "text_link", offset, length, url });
        }
        break;
      }
      case "pre":
        // <pre><code class="language-x">…</code></pre> becomes one pre entity with a language.
        if (sameRange && last.type === "code" && languageOf(last)) {
          entities[entities.length - 1] = { type: "pre", offset, length, language: languageOf(last)! };
        } else {
          entities.push({ type: "pre", offset, length });
        }
        break;
      case "code":
        if (sameRange && last.type === "pre" && open.argument) {
          entities[entities.length - 1] = { type: "pre", offset, length, language: open.argument };
        } else {
          // Temporarily remember the language so an enclosing <pre> can pick it up.
          const code: MessageEntity & { language?: string } = { type: "code", offset, length };
          if (open.argument) code.language = open.argument;
          entities.push(code);
        }
        break;
    }
  }
  if (stack.length > 0) {
    return err(`Can't find end tag corresponding to start tag ${stack[stack.length - 1]!.tag}`);
  }
  for (const e of entities) {
    if (e.type === "code") delete (e as { language?: string }).language;
  }
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text: out, entities };
}

function languageOf(e: MessageEntity): string | undefined {
  return (e as { language?: string }).language || undefined;
}

// ---------------------------------------------------------------------------
// Entity detection for messages written by test users
// ---------------------------------------------------------------------------

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const NAME_CHAR = /[A-Za-z0-9_]/;

function codePointBefore(s: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const low = s.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) return s.slice(i - 2, i);
  return s[i - 1];
}

function codePointAt(s: string, i: number): string | undefined {
  const cp = s.codePointAt(i);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}

function runOfNameChars(s: string, from: number): number {
  let p = from;
  while (p < s.length && NAME_CHAR.test(s[p]!)) p++;
  return p;
}

/**
 * The `bot_command` and `mention` entities Telegram attaches to a user's
 * text, following the same boundary rules as Telegram's own matcher (so
 * "/start@policy_test_bot" is one command, "a/b" is not a command and
 * "mail@example.com" is not a mention). Offsets are UTF-16 code units.
 */
export function detectEntities(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  for (let i = text.indexOf("/"); i !== -1; i = text.indexOf("/", i + 1)) {
    const prev = codePointBefore(text, i);
    if (prev !== undefined && (WORD_CHAR.test(prev) || "/<>".includes(prev))) continue;
    let end = runOfNameChars(text, i + 1);
    const nameLength = end - i - 1;
    if (nameLength < 1 || nameLength > 64) continue;
    if (text[end] === "@") {
      const botEnd = runOfNameChars(text, end + 1);
      const botLength = botEnd - end - 1;
      if (botLength < 3 || botLength > 32) continue;
      end = botEnd;
    }
    const next = codePointAt(text, end);
    if (next !== undefined && (WORD_CHAR.test(next) || "/<>".includes(next))) continue;
    found.push({ type: "bot_command", offset: i, length: end - i });
  }
  const commands = [...found];
  for (let i = text.indexOf("@"); i !== -1; i = text.indexOf("@", i + 1)) {
    const prev = codePointBefore(text, i);
    if (prev !== undefined && WORD_CHAR.test(prev)) continue;
    const end = runOfNameChars(text, i + 1);
    const nameLength = end - i - 1;
    // Telegram matches 2..32 characters but then drops mentions shorter than 4.
    if (nameLength < 4 || nameLength > 32) continue;
    const next = codePointAt(text, end);
    if (next !== undefined && WORD_CHAR.test(next)) continue;
    if (commands.some((c) => i >= c.offset && i < c.offset + c.length)) continue;
    found.push({ type: "mention", offset: i, length: end - i });
  }
  return found.sort((a, b) => a.offset - b.offset);
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

type Outcome = { status: number; body: ApiResponse; injected?: boolean };

const success = (result: unknown): Outcome => ({ status: 200, body: { ok: true, result } });
const failure = (status: number, description: string, parameters?: { retry_after?: number }): Outcome => ({
  status,
  body: parameters ? { ok: false, error_code: status, description, parameters } : { ok: false, error_code: status, description },
});
const badRequest = (description: string): Outcome =>
  failure(400, description.startsWith("Bad Request") ? description : `Bad Request: ${description}`);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Parses an integer parameter the way Telegram does (numbers or numeric strings). */
function intParam(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** `JSON.stringify` with absent and undefined treated alike, for "not modified" comparisons. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Resolves or rejects after `ms`, whichever comes first, without leaving a timer behind. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function writeJson(res: ServerResponse, outcome: Outcome, extraHeaders: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve) => {
    // The client may have gone away (aborted fetch, bot.stop()); writing then is pointless.
    if (res.headersSent || res.destroyed || res.writableEnded) return resolve();
    const payload = JSON.stringify(outcome.body);
    res.on("close", () => resolve());
    res.writeHead(outcome.status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(payload)),
      ...extraHeaders,
    });
    res.end(payload, () => resolve());
  });
}

interface Poller {
  call: RecordedCall;
  res: ServerResponse;
  offset: number;
  limit: number;
  timer: NodeJS.Timeout | undefined;
}

interface Waiter {
  /** Returns true once the waiter is settled. */
  check(): boolean;
  fail(error: Error): void;
}

interface Builtin {
  name: string;
  run: (fake: FakeTelegram, params: Record<string, unknown>) => Outcome;
}

interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

/**
 * A running fake Telegram Bot API server. Create it with
 * {@link startFakeTelegram}; always `await fake.close()` when done.
 */
export class FakeTelegram {
  /** Base URL to pass as grammY's `client.apiRoot` (no trailing slash). */
  readonly apiRoot: string;
  /** The only token the fake accepts; other tokens get 401 Unauthorized. */
  readonly token: string;
  /** What `getMe` returns. */
  readonly botInfo: UserFromGetMe;

  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #strictAmpersand: boolean;
  readonly #startedAt = Date.now();

  readonly #calls: RecordedCall[] = [];
  readonly #sent: SentMessage[] = [];
  readonly #queue: Update[] = [];
  #lastUpdateId = FIRST_UPDATE_ID - 1;
  #poller: Poller | undefined;
  #pollerWakeScheduled = false;

  readonly #failures = new Map<string, InjectedFailure[]>();
  readonly #handlers = new Map<string, MethodHandler>();
  readonly #waiters = new Set<Waiter>();

  /** Every message the fake knows, keyed by `${chatId}:${messageId}`. */
  readonly #messages = new Map<string, Message>();
  readonly #chats = new Map<number, Chat>();
  readonly #lastMessageId = new Map<number, number>();
  readonly #openCallbackQueries = new Set<string>();
  readonly #openInlineQueries = new Set<string>();
  readonly #commands = new Map<string, BotCommand[]>();
  #webhookUrl = "";
  #serial = 0;

  #closed = false;
  #closePromise: Promise<void> | undefined;

  /** @internal Use {@link startFakeTelegram}. */
  constructor(server: Server, options: FakeTelegramOptions) {
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.apiRoot = `http://127.0.0.1:${address.port}`;
    this.token = options.token ?? DEFAULT_TOKEN;
    this.#strictAmpersand = options.strictAmpersand ?? true;
    // Telegram bot ids are the numeric prefix of the token.
    const idFromToken = Number(this.token.split(":")[0]);
    this.botInfo = {
      ...testBotInfo(Number.isSafeInteger(idFromToken) && idFromToken > 0 ? idFromToken : 123456789),
      ...options.botInfo,
    };
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      // A reset from a client that aborted is normal here, not a test failure.
      socket.on("error", () => {});
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res));
  }

  // ----- inspection -------------------------------------------------------

  /** Every request received so far, oldest first (live array; do not mutate). */
  get calls(): readonly RecordedCall[] {
    return this.#calls;
  }

  /** Updates queued and not yet confirmed by a `getUpdates` offset. */
  get pendingUpdates(): readonly Update[] {
    return [...this.#queue];
  }

  /**
   * Messages the bot successfully sent (sendMessage, sendDocument) or edited
   * (editMessageText), oldest first, optionally only those for one chat.
   * Edits of inline messages (no chat) are not listed; see {@link calls}.
   */
  sent(chatId?: number | string): SentMessage[] {
    if (chatId === undefined) return [...this.#sent];
    const wanted = intParam(chatId);
    return this.#sent.filter((m) => m.chat_id === wanted);
  }

  /** Forgets recorded calls and sent messages (queued updates and stored messages stay). */
  clearCalls(): void {
    this.#calls.length = 0;
    this.#sent.length = 0;
  }

  /**
   * Resolves with the first recorded call matching `predicate`, immediately
   * if one is already recorded. Calls are matched once answered and also
   * while a long poll is held (then `status` is undefined). Rejects after
   * `timeoutMs` with a listing of the recorded calls.
   */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    return this.#waitUntil(() => this.#calls.find(predicate), timeoutMs, "waitFor(predicate)");
  }

  /**
   * Resolves with all messages in {@link sent} (for `chatId`, if given) once
   * there are at least `n` of them; rejects after `timeoutMs`.
   */
  waitForSent(n: number, chatId?: number | string, timeoutMs = 5000): Promise<SentMessage[]> {
    const label = `waitForSent(${n}${chatId === undefined ? "" : `, chat ${chatId}`})`;
    return this.#waitUntil(
      () => {
        const list = this.sent(chatId);
        return list.length >= n ? list : undefined;
      },
      timeoutMs,
      label,
    );
  }

  /** Human-readable list of the recorded calls (used in timeout errors). */
  describeCalls(): string {
    const lines: string[] = [];
    let polls = 0;
    for (const [index, call] of this.#calls.entries()) {
      if (call.method === "getUpdates") {
        polls++;
        continue;
      }
      const outcome =
        call.status === undefined
          ? "pending"
          : call.status === 0
            ? "aborted"
            : call.response && !call.response.ok
              ? `${call.status} ${call.response.description}${call.injected ? " (injected)" : ""}`
              : String(call.status);
      lines.push(
        `  #${index + 1} +${call.time - this.#startedAt}ms ${call.method} ${truncate(JSON.stringify(call.params), 160)} -> ${outcome}`,
      );
    }
    if (polls > 0) lines.push(`  (+${polls} getUpdates call${polls === 1 ? "" : "s"})`);
    return lines.length > 0 ? lines.join("\n") : "  (no calls)";
  }

  // ----- behaviour control -----------------------------------------------

  /**
   * Makes the next `times` calls of `method` fail with `failure` instead of
   * running. Repeated calls queue up in order.
   */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    const key = method.toLowerCase();
    const list = this.#failures.get(key) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.#failures.set(key, list);
  }

  /**
   * Registers a custom implementation for `method` (overriding a built-in one,
   * e.g. to answer 403 for a blocked user, or adding one the fake lacks such
   * as getChatMember). Pass `undefined` to remove it.
   */
  handle(method: string, handler: MethodHandler | undefined): void {
    if (handler) this.#handlers.set(method.toLowerCase(), handler);
    else this.#handlers.delete(method.toLowerCase());
  }

  // ----- updates ----------------------------------------------------------

  /**
   * Queues an update for `getUpdates`, assigning the next `update_id` if
   * absent. Messages, callback queries and inline queries in it become known
   * to the fake (so the bot can reply to, edit or answer them).
   *
   * @returns the queued update
   * @throws if the fake is closed or an explicit `update_id` does not increase
   */
  pushUpdate(update: NewUpdate): Update {
    if (this.#closed) throw new Error("fake Telegram: pushUpdate after close()");
    let id = update.update_id;
    if (id === undefined) id = this.#lastUpdateId + 1;
    else if (!Number.isSafeInteger(id) || id <= this.#lastUpdateId) {
      throw new Error(
        `fake Telegram: update_id ${id} must be greater than the last one (${this.#lastUpdateId}); Telegram's ids only increase`,
      );
    }
    this.#lastUpdateId = id;
    const queued = { ...update, update_id: id } as Update;
    this.#index(queued);
    this.#queue.push(queued);
    this.#scheduleWake();
    return queued;
  }

  /**
   * Builds a text message from a user, with `bot_command` and `mention`
   * entities computed like Telegram does. Does not queue it: pass the result
   * to {@link pushUpdate}.
   */
  userMessage(options: UserMessageOptions): MessageUpdateDraft {
    const entities = options.entities ?? detectEntities(options.text);
    return {
      message: {
        ...this.#baseMessage(options),
        text: options.text,
        ...(entities.length > 0 ? { entities } : {}),
      },
    };
  }

  /** Builds a photo message (three sizes) with an optional caption. */
  photoMessage(options: PhotoMessageOptions): MessageUpdateDraft {
    const n = ++this.#serial;
    const photo = [90, 320, 800].map((side, k) => ({
      file_id: `AgACAgIAAxkBAAI${n}p${k}`,
      file_unique_id: `AQADp${n}${k}`,
      width: side,
      height: Math.round((side * 3) / 4),
      file_size: side * side,
    }));
    return { message: { ...this.#baseMessage(options), photo, ...this.#caption(options.caption) } };
  }

  /** Builds a sticker message. */
  stickerMessage(options: StickerMessageOptions): MessageUpdateDraft {
    const n = ++this.#serial;
    return {
      message: {
        ...this.#baseMessage(options),
        sticker: {
          file_id: `CAACAgIAAxkBAAI${n}s`,
          file_unique_id: `AgADs${n}`,
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: options.emoji ?? "👍",
          set_name: "TestStickers",
          file_size: 20_000,
        },
      },
    };
  }

  /** Builds a voice message. */
  voiceMessage(options: VoiceMessageOptions): MessageUpdateDraft {
    const n = ++this.#serial;
    const duration = options.duration ?? 3;
    return {
      message: {
        ...this.#baseMessage(options),
        voice: {
          file_id: `AwACAgIAAxkBAAI${n}v`,
          file_unique_id: `AgADv${n}`,
          duration,
          mime_type: "audio/ogg",
          file_size: duration * 4_000,
        },
        ...this.#caption(options.caption),
      },
    };
  }

  /**
   * Builds a callback query (button press) on message `messageId` in
   * `chatId`. If the bot never sent that message, a placeholder bot message
   * is used (and becomes editable once the update is pushed).
   */
  callbackQuery(options: CallbackQueryOptions): { update_id?: number; callback_query: CallbackQuery } {
    const from = this.#user(options.userId, options.user);
    const chat = this.#chat(options.chatId, from, options.chatType);
    const message: Message = this.#messages.get(`${chat.id}:${options.messageId}`) ?? {
      message_id: options.messageId,
      from: this.#botAsUser(),
      chat,
      date: nowSeconds(),
      text: "(placeholder: the fake never saw this bot message)",
    };
    return {
      callback_query: {
        id: String(4_000_000_000_000 + ++this.#serial),
        from,
        message,
        chat_instance: String(Math.abs(chat.id) * 7919 + 17),
        data: options.data,
      },
    };
  }

  /** Builds an inline query (`@policy_test_bot query` typed by a user). */
  inlineQuery(options: InlineQueryOptions): { update_id?: number; inline_query: InlineQuery } {
    return {
      inline_query: {
        id: String(5_000_000_000_000 + ++this.#serial),
        from: this.#user(options.userId, options.user),
        query: options.query,
        offset: options.offset ?? "",
        chat_type: options.chatType ?? "sender",
      },
    };
  }

  // ----- lifecycle ---------------------------------------------------------

  /**
   * Stops the server: a held long poll is answered at once with no updates,
   * pending `waitFor` promises reject, and every socket is closed. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closePromise) return this.#closePromise;
    this.#closed = true;
    const error = new Error("fake Telegram server closed while waiting");
    for (const waiter of [...this.#waiters]) waiter.fail(error);

    const flushed: Promise<void>[] = [];
    const poller = this.#poller;
    if (poller) {
      this.#poller = undefined;
      clearTimeout(poller.timer);
      flushed.push(this.#finish(poller.call, poller.res, success([]), { connection: "close" }));
    }
    this.#closePromise = (async () => {
      // Let the long-poll answer reach the client before its socket is destroyed.
      await settleWithin(Promise.all(flushed), 250);
      await new Promise<void>((resolve) => {
        this.#server.close(() => resolve());
        for (const socket of this.#sockets) socket.destroy();
      });
    })();
    return this.#closePromise;
  }

  // ----- request handling --------------------------------------------------

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    req.on("error", () => {});
    res.on("error", () => {});
    if (this.#closed) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      void this.#dispatch(req, res, size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)).catch((e: unknown) => {
        // A bug in the fake must surface in the test as an API error, not as an unhandled rejection.
        void writeJson(res, failure(500, `Internal Server Error: fake Telegram crashed: ${String(e)}`));
      });
    });
  }

  async #dispatch(req: IncomingMessage, res: ServerResponse, body: Buffer | undefined): Promise<void> {
    const url = new URL(req.url ?? "/", this.apiRoot);
    const match = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z0-9_]+)\/?$/.exec(url.pathname);
    if (!match) {
      await writeJson(res, failure(404, "Not Found"));
      return;
    }
    const token = decodeURIComponent(match[1]!);
    const requested = match[2]!;
    const builtin = FakeTelegram.#builtins.get(requested.toLowerCase());
    const method = builtin?.name ?? requested;

    const parsed = this.#parseBody(req, body);
    const call: RecordedCall = {
      method,
      params: parsed.params ?? {},
      time: Date.now(),
    };
    this.#calls.push(call);

    if (token !== this.token) return this.#finish(call, res, failure(401, "Unauthorized"));
    if (parsed.error) return this.#finish(call, res, parsed.error);

    const injected = this.#takeFailure(method);
    if (injected) return this.#finish(call, res, injected);

    const custom = this.#handlers.get(method.toLowerCase());
    if (custom) {
      let outcome: Outcome;
      try {
        const response = await custom(call.params, this);
        outcome = { status: response.ok ? 200 : response.error_code, body: response };
      } catch (e) {
        outcome = failure(500, `Internal Server Error: custom handler for ${method} threw: ${String(e)}`);
      }
      return this.#finish(call, res, outcome);
    }
    if (!builtin) return this.#finish(call, res, failure(404, "Not Found: method not found"));
    if (builtin.name === "getUpdates") return this.#getUpdates(call, res);

    let outcome: Outcome;
    try {
      outcome = builtin.run(this, call.params);
    } catch (e) {
      outcome = failure(500, `Internal Server Error: fake Telegram ${method} crashed: ${String(e)}`);
    }
    return this.#finish(call, res, outcome);
  }

  #parseBody(
    req: IncomingMessage,
    body: Buffer | undefined,
  ): { params?: Record<string, unknown>; error?: Outcome } {
    if (body === undefined) return { error: failure(413, "Request Entity Too Large") };
    if (req.method !== "POST" && req.method !== "GET") {
      return { error: badRequest(`unsupported HTTP method ${req.method ?? "?"}`) };
    }
    if (body.length === 0) return { params: {} };
    const contentType = (req.headers["content-type"] ?? "").toLowerCase();
    if (!contentType.startsWith("application/json")) {
      // grammY switches to multipart for InputFile uploads; the fake only models JSON calls.
      return {
        error: badRequest(
          `the fake Telegram server only accepts application/json bodies (got ${contentType || "no content-type"}); send files by file_id or URL in tests`,
        ),
      };
    }
    let value: unknown;
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      return { error: badRequest("can't parse JSON encoded request body") };
    }
    if (!isRecord(value)) return { error: badRequest("request body must be a JSON object") };
    return { params: value };
  }

  #takeFailure(method: string): Outcome | undefined {
    const list = this.#failures.get(method.toLowerCase());
    const next = list?.shift();
    if (!next) return undefined;
    let outcome: Outcome;
    if (next.status === 429) {
      const retryAfter = next.retryAfter ?? 1;
      outcome = failure(429, next.description ?? `Too Many Requests: retry after ${retryAfter}`, {
        retry_after: retryAfter,
      });
    } else {
      const defaults: Record<number, string> = {
        400: "Bad Request",
        401: "Unauthorized",
        403: "Forbidden",
        404: "Not Found",
        409: "Conflict",
        500: "Internal Server Error",
        502: "Bad Gateway",
      };
      outcome = failure(next.status, next.description ?? defaults[next.status] ?? "Error");
    }
    return { ...outcome, injected: true };
  }

  /** Answers a call, records the outcome and wakes waiters. */
  #finish(call: RecordedCall, res: ServerResponse, outcome: Outcome, headers?: Record<string, string>): Promise<void> {
    call.status = outcome.status;
    call.response = outcome.body;
    if (outcome.injected) call.injected = true;
    const written = writeJson(res, outcome, headers);
    this.#notify();
    return written;
  }

  // ----- getUpdates ---------------------------------------------------------

  #getUpdates(call: RecordedCall, res: ServerResponse): Promise<void> | void {
    const p = call.params;
    if (this.#webhookUrl) {
      return this.#finish(
        call,
        res,
        failure(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"),
      );
    }
    const offset = intParam(p.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, intParam(p.limit) ?? 100));
    const timeout = Math.max(0, intParam(p.timeout) ?? 0);

    // Confirming: updates below a positive offset are gone for good; a negative
    // offset keeps only the last -offset updates.
    if (offset > 0) {
      while (this.#queue.length > 0 && this.#queue[0]!.update_id < offset) this.#queue.shift();
    } else if (offset < 0) {
      this.#queue.splice(0, Math.max(0, this.#queue.length + offset));
    }

    // Like Telegram, a new poll terminates the one already held (two bot instances).
    const previous = this.#poller;
    if (previous) {
      this.#poller = undefined;
      clearTimeout(previous.timer);
      void this.#finish(
        previous.call,
        previous.res,
        failure(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"),
      );
    }

    const ready = this.#available(offset, limit);
    if (ready.length > 0 || timeout === 0) return this.#finish(call, res, success(ready));

    const poller: Poller = { call, res, offset, limit, timer: undefined };
    poller.timer = setTimeout(() => {
      if (this.#poller !== poller) return;
      this.#poller = undefined;
      void this.#finish(call, res, success(this.#available(offset, limit)));
    }, timeout * 1000);
    this.#poller = poller;
    // The client gave up (AbortController, bot.stop()): forget the poll; the
    // updates stay queued for the next request.
    res.on("close", () => {
      if (this.#poller !== poller) return;
      this.#poller = undefined;
      clearTimeout(poller.timer);
      call.status = 0;
      this.#notify();
    });
    this.#notify();
  }

  #available(offset: number, limit: number): Update[] {
    return this.#queue.filter((u) => offset <= 0 || u.update_id >= offset).slice(0, limit);
  }

  /** Deferred so that updates pushed in one synchronous block arrive as one batch. */
  #scheduleWake(): void {
    if (this.#pollerWakeScheduled) return;
    this.#pollerWakeScheduled = true;
    queueMicrotask(() => {
      this.#pollerWakeScheduled = false;
      const poller = this.#poller;
      if (!poller) return;
      const ready = this.#available(poller.offset, poller.limit);
      if (ready.length === 0) return;
      this.#poller = undefined;
      clearTimeout(poller.timer);
      void this.#finish(poller.call, poller.res, success(ready));
    });
  }

  // ----- waiting ------------------------------------------------------------

  #waitUntil<T>(probe: () => T | undefined, timeoutMs: number, label: string): Promise<T> {
    let first: T | undefined;
    try {
      first = probe();
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    if (first !== undefined) return Promise.resolve(first);
    if (this.#closed) return Promise.reject(new Error(`${label}: fake Telegram server is closed`));

    let waiter!: Waiter;
    const promise = new Promise<T>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`${label} timed out after ${timeoutMs} ms. Recorded calls:\n${this.describeCalls()}`));
      }, timeoutMs);
      waiter = {
        check: () => {
          let value: T | undefined;
          try {
            value = probe();
          } catch (e) {
            settle();
            reject(e instanceof Error ? e : new Error(String(e)));
            return true;
          }
          if (value === undefined) return false;
          settle();
          resolve(value);
          return true;
        },
        fail: (error) => {
          settle();
          // Closing while nobody awaits this promise must not become an unhandled rejection.
          promise.catch(() => {});
          reject(new Error(`${label}: ${error.message}`));
        },
      };
      this.#waiters.add(waiter);
    });
    return promise;
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  // ----- chats, users and messages -------------------------------------------

  #botAsUser(): User {
    return {
      id: this.botInfo.id,
      is_bot: true,
      first_name: this.botInfo.first_name,
      username: this.botInfo.username,
    };
  }

  #user(userId: number, overrides?: Partial<User>): User {
    return {
      id: userId,
      is_bot: false,
      first_name: `User${userId}`,
      username: `user${userId}`,
      language_code: "zh-hans", // policybot's users: Chinese apps (tests set "en" to check English replies)
      ...overrides,
    };
  }

  /** The chat object for an id, created consistently on first use. */
  #chat(chatId: number, from?: User, chatType?: TestChatType, title?: string): Exclude<Chat, Chat.ChannelChat> {
    const known = this.#chats.get(chatId);
    if (known && known.type !== "channel" && (chatType === undefined || known.type === chatType)) return known;
    const type: TestChatType =
      chatType ?? (chatId > 0 ? "private" : String(chatId).startsWith("-100") ? "supergroup" : "group");
    let chat: Exclude<Chat, Chat.ChannelChat>;
    if (type === "private") {
      if (chatId <= 0) throw new Error(`fake Telegram: private chat ids are positive (got ${chatId})`);
      if (from && from.id !== chatId) {
        throw new Error(
          `fake Telegram: in a private chat the chat id equals the user id (chatId ${chatId}, userId ${from.id})`,
        );
      }
      const user = from ?? this.#user(chatId);
      chat = {
        id: chatId,
        type: "private",
        first_name: user.first_name,
        ...(user.last_name ? { last_name: user.last_name } : {}),
        ...(user.username ? { username: user.username } : {}),
      };
    } else {
      if (chatId >= 0) throw new Error(`fake Telegram: group chat ids are negative (got ${chatId})`);
      chat =
        type === "group"
          ? { id: chatId, type: "group", title: title ?? `Group ${-chatId}` }
          : { id: chatId, type: "supergroup", title: title ?? `Supergroup ${-chatId}` };
    }
    this.#chats.set(chatId, chat);
    return chat;
  }

  #nextMessageId(chatId: number): number {
    const id = (this.#lastMessageId.get(chatId) ?? 0) + 1;
    this.#lastMessageId.set(chatId, id);
    return id;
  }

  #baseMessage(options: MessageOptions): Message & Update.NonChannel {
    const from = this.#user(options.userId, options.user);
    const chat = this.#chat(options.chatId, from, options.chatType, options.chatTitle);
    const base: Message & Update.NonChannel = {
      message_id: this.#nextMessageId(chat.id),
      from,
      chat,
      date: nowSeconds(),
    };
    if (options.replyToBotMessage !== undefined && options.replyToBotMessage !== false) {
      const target =
        options.replyToBotMessage === true
          ? this.#lastBotMessage(chat.id)
          : this.#messages.get(`${chat.id}:${options.replyToBotMessage}`);
      if (!target) {
        throw new Error(
          options.replyToBotMessage === true
            ? `fake Telegram: replyToBotMessage, but the bot has sent nothing to chat ${chat.id} yet`
            : `fake Telegram: replyToBotMessage ${options.replyToBotMessage}: no such message in chat ${chat.id}`,
        );
      }
      base.reply_to_message = { ...target, reply_to_message: undefined };
    }
    return base;
  }

  #caption(caption: string | undefined): Pick<Message, "caption" | "caption_entities"> {
    if (caption === undefined) return {};
    const entities = detectEntities(caption);
    return entities.length > 0 ? { caption, caption_entities: entities } : { caption };
  }

  #lastBotMessage(chatId: number): Message | undefined {
    let best: Message | undefined;
    for (const m of this.#messages.values()) {
      if (m.chat.id === chatId && m.from?.id === this.botInfo.id && (!best || m.message_id > best.message_id)) best = m;
    }
    return best;
  }

  /** Learns chats, messages and query ids from a pushed update. */
  #index(update: Update): void {
    const remember = (m: Message | undefined, overwrite: boolean) => {
      if (!m || m.date === 0) return; // date 0 marks an inaccessible message
      this.#chats.set(m.chat.id, this.#chats.get(m.chat.id) ?? m.chat);
      const key = `${m.chat.id}:${m.message_id}`;
      if (overwrite || !this.#messages.has(key)) this.#messages.set(key, m);
      if (m.message_id > (this.#lastMessageId.get(m.chat.id) ?? 0)) this.#lastMessageId.set(m.chat.id, m.message_id);
    };
    remember(update.message, true);
    remember(update.edited_message, true);
    remember(update.channel_post, true);
    remember(update.edited_channel_post, true);
    if (update.callback_query) {
      this.#openCallbackQueries.add(update.callback_query.id);
      const m = update.callback_query.message;
      if (m && m.date !== 0) remember(m as Message, false);
    }
    if (update.inline_query) this.#openInlineQueries.add(update.inline_query.id);
  }

  /** Resolves `chat_id` the way Telegram reports problems with it. */
  #targetChat(raw: unknown): Chat | Outcome {
    if (raw === undefined || raw === null || raw === "") return badRequest("chat_id is empty");
    const id = intParam(raw);
    if (id === undefined) {
      if (typeof raw === "string" && raw.startsWith("@")) {
        for (const chat of this.#chats.values()) {
          if ("username" in chat && chat.username && `@${chat.username}`.toLowerCase() === raw.toLowerCase()) {
            return chat;
          }
        }
      }
      return badRequest("chat not found");
    }
    if (id === 0) return badRequest("chat not found");
    return this.#chats.get(id) ?? this.#chat(id);
  }

  /**
   * Applies parse_mode and Telegram's limits. Length is counted in UTF-16
   * code units, which is never less than Telegram's own count, so text the
   * fake accepts is accepted by Telegram too.
   */
  #formatText(
    raw: unknown,
    parseModeRaw: unknown,
    explicitEntities: unknown,
    kind: "text" | "caption",
  ): FormattedText | Outcome {
    if (raw === undefined || raw === null) {
      return kind === "text" ? badRequest("message text is empty") : { text: "", entities: [] };
    }
    if (typeof raw !== "string") return badRequest(`field "${kind}" must be of type String`);
    const parseMode = typeof parseModeRaw === "string" ? parseModeRaw.toLowerCase() : "";
    let text = raw;
    let entities: MessageEntity[] = Array.isArray(explicitEntities) ? (explicitEntities as MessageEntity[]) : [];
    if (parseMode === "html") {
      const parsed = parseTelegramHtml(raw, { strictAmpersand: this.#strictAmpersand });
      if (!parsed.ok) return badRequest(`can't parse entities: ${parsed.error}`);
      text = parsed.text;
      entities = parsed.entities;
    } else if (parseMode !== "" && parseMode !== "markdown" && parseMode !== "markdownv2") {
      return badRequest("unsupported parse_mode");
    }
    // Markdown modes are passed through unparsed: the fake only models HTML.

    // Telegram strips leading and trailing whitespace and shifts entities accordingly.
    const lead = text.length - text.trimStart().length;
    const trimmed = text.trim();
    entities = entities
      .map((e) => {
        const start = Math.max(0, e.offset - lead);
        const end = Math.min(trimmed.length, e.offset + e.length - lead);
        return { ...e, offset: start, length: end - start };
      })
      .filter((e) => e.length > 0);
    if (kind === "text" && trimmed.length === 0) return badRequest("message text is empty");
    const max = kind === "text" ? MAX_TEXT_LENGTH : MAX_CAPTION_LENGTH;
    if (trimmed.length > max) return badRequest(kind === "text" ? "message is too long" : "message caption is too long");
    return { text: trimmed, entities };
  }

  #checkReplyMarkup(markup: unknown): Outcome | undefined {
    if (markup === undefined || markup === null) return undefined;
    if (!isRecord(markup)) return badRequest("can't parse reply keyboard markup JSON object");
    if (!("inline_keyboard" in markup)) return undefined;
    const rows = markup.inline_keyboard;
    if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
      return badRequest("can't parse inline keyboard: field \"inline_keyboard\" must be an Array of Arrays");
    }
    for (const row of rows as unknown[][]) {
      for (const button of row) {
        if (!isRecord(button) || typeof button.text !== "string") {
          return badRequest("can't parse inline keyboard button: InlineKeyboardButton must have a String field \"text\"");
        }
        if (!INLINE_BUTTON_ACTIONS.some((k) => k in button)) {
          return badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
        if ("callback_data" in button) {
          const data = button.callback_data;
          const bytes = typeof data === "string" ? Buffer.byteLength(data, "utf8") : 0;
          if (bytes < 1 || bytes > 64) return badRequest("BUTTON_DATA_INVALID");
        }
        if ("url" in button && (typeof button.url !== "string" || checkedLink(button.url) === undefined)) {
          return badRequest(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
        }
      }
    }
    return undefined;
  }

  /** Which message a send replies to; an Outcome if Telegram would refuse. */
  #replyTarget(p: Record<string, unknown>, chat: Chat): { id?: number; message?: Message } | Outcome {
    const rp = isRecord(p.reply_parameters) ? p.reply_parameters : undefined;
    const id = intParam(rp?.message_id) ?? intParam(p.reply_to_message_id);
    if (id === undefined) return {};
    const inChat = rp && rp.chat_id !== undefined ? intParam(rp.chat_id) ?? chat.id : chat.id;
    const message = this.#messages.get(`${inChat}:${id}`);
    if (!message) {
      const allow = rp?.allow_sending_without_reply === true || p.allow_sending_without_reply === true;
      return allow ? {} : badRequest("message to be replied not found");
    }
    return { id, message };
  }

  #storeBotMessage(message: Message): void {
    this.#messages.set(`${message.chat.id}:${message.message_id}`, message);
  }

  /** Looks up the bot message an edit targets. */
  #editTarget(p: Record<string, unknown>, needsText: boolean): { message: Message } | { inline: true } | Outcome {
    if (typeof p.inline_message_id === "string" && p.inline_message_id !== "") return { inline: true };
    const chat = this.#targetChat(p.chat_id);
    if ("status" in chat) return chat;
    const messageId = intParam(p.message_id);
    if (messageId === undefined) return badRequest("message identifier is not specified");
    const message = this.#messages.get(`${chat.id}:${messageId}`);
    if (!message) return badRequest("message to edit not found");
    if (message.from?.id !== this.botInfo.id) return badRequest("message can't be edited");
    if (needsText && message.text === undefined) return badRequest("there is no text in the message to edit");
    return { message };
  }

  #recordSent(
    method: SentMessage["method"],
    p: Record<string, unknown>,
    message: Message,
    formatted: FormattedText,
    replyTo: number | undefined,
  ): void {
    const entry: SentMessage = {
      method,
      chat_id: message.chat.id,
      message_id: message.message_id,
      text: typeof p.text === "string" ? p.text : typeof p.caption === "string" ? p.caption : "",
      plainText: formatted.text,
      entities: formatted.entities,
      message,
      time: Date.now(),
    };
    if (typeof p.parse_mode === "string") entry.parse_mode = p.parse_mode;
    if (p.reply_markup !== undefined) entry.reply_markup = p.reply_markup;
    if (replyTo !== undefined) entry.reply_to = replyTo;
    if (p.reply_parameters !== undefined) entry.reply_parameters = p.reply_parameters;
    this.#sent.push(entry);
  }

  /** Only inline keyboards are echoed back in Message.reply_markup. */
  static #inlineMarkup(markup: unknown): Pick<Message, "reply_markup"> {
    return isRecord(markup) && "inline_keyboard" in markup
      ? { reply_markup: markup as unknown as NonNullable<Message["reply_markup"]> }
      : {};
  }

  // ----- built-in methods -------------------------------------------------------

  #sendMessage(p: Record<string, unknown>): Outcome {
    const chat = this.#targetChat(p.chat_id);
    if ("status" in chat) return chat;
    const formatted = this.#formatText(p.text, p.parse_mode, p.entities, "text");
    if ("status" in formatted) return formatted;
    const markupError = this.#checkReplyMarkup(p.reply_markup);
    if (markupError) return markupError;
    const reply = this.#replyTarget(p, chat);
    if ("status" in reply) return reply;
    const message: Message = {
      message_id: this.#nextMessageId(chat.id),
      from: this.#botAsUser(),
      chat,
      date: nowSeconds(),
      ...(reply.message ? { reply_to_message: { ...reply.message, reply_to_message: undefined } } : {}),
      text: formatted.text,
      ...(formatted.entities.length > 0 ? { entities: formatted.entities } : {}),
      ...FakeTelegram.#inlineMarkup(p.reply_markup),
    };
    this.#storeBotMessage(message);
    this.#recordSent("sendMessage", p, message, formatted, reply.id);
    return success(message);
  }

  #sendDocument(p: Record<string, unknown>): Outcome {
    const chat = this.#targetChat(p.chat_id);
    if ("status" in chat) return chat;
    if (p.document === undefined || p.document === null || p.document === "") {
      return badRequest("there is no document in the request");
    }
    if (typeof p.document !== "string") return badRequest("wrong file identifier/HTTP URL specified");
    const formatted = this.#formatText(p.caption, p.parse_mode, p.caption_entities, "caption");
    if ("status" in formatted) return formatted;
    const markupError = this.#checkReplyMarkup(p.reply_markup);
    if (markupError) return markupError;
    const reply = this.#replyTarget(p, chat);
    if ("status" in reply) return reply;
    const n = ++this.#serial;
    const isUrl = /^https?:\/\//i.test(p.document);
    const fileName = isUrl ? decodeURIComponent(new URL(p.document).pathname.split("/").pop() || "document") : "document";
    const message: Message = {
      message_id: this.#nextMessageId(chat.id),
      from: this.#botAsUser(),
      chat,
      date: nowSeconds(),
      ...(reply.message ? { reply_to_message: { ...reply.message, reply_to_message: undefined } } : {}),
      document: {
        file_id: isUrl ? `BQACAgIAAxkDAAI${n}d` : p.document,
        file_unique_id: `AgADd${n}`,
        file_name: fileName,
        file_size: 1024,
      },
      ...(formatted.text ? { caption: formatted.text } : {}),
      ...(formatted.entities.length > 0 ? { caption_entities: formatted.entities } : {}),
      ...FakeTelegram.#inlineMarkup(p.reply_markup),
    };
    this.#storeBotMessage(message);
    this.#recordSent("sendDocument", p, message, formatted, reply.id);
    return success(message);
  }

  #editMessageText(p: Record<string, unknown>): Outcome {
    const formatted = this.#formatText(p.text, p.parse_mode, p.entities, "text");
    if ("status" in formatted) return formatted;
    const markupError = this.#checkReplyMarkup(p.reply_markup);
    if (markupError) return markupError;
    const target = this.#editTarget(p, true);
    if ("status" in target) return target;
    if ("inline" in target) return success(true);
    const old = target.message;
    const newMarkup = FakeTelegram.#inlineMarkup(p.reply_markup).reply_markup;
    if (
      old.text === formatted.text &&
      sameJson(old.entities ?? [], formatted.entities) &&
      sameJson(old.reply_markup, newMarkup)
    ) {
      return badRequest(NOT_MODIFIED);
    }
    const { entities: _oldEntities, reply_markup: _oldMarkup, ...rest } = old;
    const message: Message = {
      ...rest,
      text: formatted.text,
      ...(formatted.entities.length > 0 ? { entities: formatted.entities } : {}),
      ...(newMarkup ? { reply_markup: newMarkup } : {}),
      edit_date: nowSeconds(),
    };
    this.#storeBotMessage(message);
    this.#recordSent("editMessageText", p, message, formatted, undefined);
    return success(message);
  }

  #editMessageReplyMarkup(p: Record<string, unknown>): Outcome {
    const markupError = this.#checkReplyMarkup(p.reply_markup);
    if (markupError) return markupError;
    const target = this.#editTarget(p, false);
    if ("status" in target) return target;
    if ("inline" in target) return success(true);
    const old = target.message;
    const newMarkup = FakeTelegram.#inlineMarkup(p.reply_markup).reply_markup;
    if (sameJson(old.reply_markup, newMarkup)) return badRequest(NOT_MODIFIED);
    const { reply_markup: _oldMarkup, ...rest } = old;
    const message: Message = { ...rest, ...(newMarkup ? { reply_markup: newMarkup } : {}), edit_date: nowSeconds() };
    this.#storeBotMessage(message);
    return success(message);
  }

  #deleteMessage(p: Record<string, unknown>): Outcome {
    const chat = this.#targetChat(p.chat_id);
    if ("status" in chat) return chat;
    const messageId = intParam(p.message_id);
    if (messageId === undefined) return badRequest("message identifier is not specified");
    if (!this.#messages.delete(`${chat.id}:${messageId}`)) return badRequest("message to delete not found");
    return success(true);
  }

  #sendChatAction(p: Record<string, unknown>): Outcome {
    const chat = this.#targetChat(p.chat_id);
    if ("status" in chat) return chat;
    if (typeof p.action !== "string" || !CHAT_ACTIONS.has(p.action)) {
      return badRequest("wrong parameter action in request");
    }
    return success(true);
  }

  #answerCallbackQuery(p: Record<string, unknown>): Outcome {
    const id = typeof p.callback_query_id === "string" ? p.callback_query_id : String(p.callback_query_id ?? "");
    // Each query can be answered once; unknown ids look expired to Telegram.
    if (!this.#openCallbackQueries.delete(id)) return badRequest(CALLBACK_TOO_OLD);
    return success(true);
  }

  #answerInlineQuery(p: Record<string, unknown>): Outcome {
    const id = typeof p.inline_query_id === "string" ? p.inline_query_id : String(p.inline_query_id ?? "");
    if (!Array.isArray(p.results)) return badRequest('field "results" must be of type Array');
    if (p.results.length > 50) return badRequest("RESULTS_TOO_MUCH");
    if (!this.#openInlineQueries.delete(id)) return badRequest(CALLBACK_TOO_OLD);
    return success(true);
  }

  static #commandsKey(p: Record<string, unknown>): string {
    const scope = isRecord(p.scope) ? p.scope : { type: "default" };
    const language = typeof p.language_code === "string" ? p.language_code : "";
    return `${JSON.stringify(scope)}|${language}`;
  }

  #setMyCommands(p: Record<string, unknown>): Outcome {
    if (!Array.isArray(p.commands)) return badRequest('field "commands" must be of type Array');
    if (p.commands.length > 100) return badRequest("BOT_COMMANDS_TOO_MUCH");
    const commands: BotCommand[] = [];
    for (const c of p.commands as unknown[]) {
      if (!isRecord(c) || typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
        return badRequest("BOT_COMMAND_INVALID");
      }
      if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) {
        return badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
      }
      commands.push({ command: c.command, description: c.description });
    }
    this.#commands.set(FakeTelegram.#commandsKey(p), commands);
    return success(true);
  }

  #getMyCommands(p: Record<string, unknown>): Outcome {
    return success(this.#commands.get(FakeTelegram.#commandsKey(p)) ?? []);
  }

  #deleteMyCommands(p: Record<string, unknown>): Outcome {
    this.#commands.delete(FakeTelegram.#commandsKey(p));
    return success(true);
  }

  #setWebhook(p: Record<string, unknown>): Outcome {
    const url = typeof p.url === "string" ? p.url : "";
    if (url !== "" && !/^https:\/\//i.test(url)) return badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    this.#webhookUrl = url;
    if (p.drop_pending_updates === true) this.#queue.length = 0;
    return success(true);
  }

  #deleteWebhook(p: Record<string, unknown>): Outcome {
    this.#webhookUrl = "";
    if (p.drop_pending_updates === true) this.#queue.length = 0;
    return success(true);
  }

  #getWebhookInfo(): Outcome {
    return success({
      url: this.#webhookUrl,
      has_custom_certificate: false,
      pending_update_count: this.#queue.length,
    });
  }

  /** Built-in methods, looked up case-insensitively like Telegram does. */
  static readonly #builtins: ReadonlyMap<string, Builtin> = new Map(
    (
      [
        ["getUpdates", () => success([])], // answered by #getUpdates (long polling)
        ["getMe", (f) => success(f.botInfo)],
        ["sendMessage", (f, p) => f.#sendMessage(p)],
        ["editMessageText", (f, p) => f.#editMessageText(p)],
        ["editMessageReplyMarkup", (f, p) => f.#editMessageReplyMarkup(p)],
        ["deleteMessage", (f, p) => f.#deleteMessage(p)],
        ["sendDocument", (f, p) => f.#sendDocument(p)],
        ["sendChatAction", (f, p) => f.#sendChatAction(p)],
        ["answerCallbackQuery", (f, p) => f.#answerCallbackQuery(p)],
        ["answerInlineQuery", (f, p) => f.#answerInlineQuery(p)],
        ["setMyCommands", (f, p) => f.#setMyCommands(p)],
        ["getMyCommands", (f, p) => f.#getMyCommands(p)],
        ["deleteMyCommands", (f, p) => f.#deleteMyCommands(p)],
        ["setWebhook", (f, p) => f.#setWebhook(p)],
        ["deleteWebhook", (f, p) => f.#deleteWebhook(p)],
        ["getWebhookInfo", (f) => f.#getWebhookInfo()],
        ["close", () => success(true)],
        ["logOut", () => success(true)],
      ] satisfies [string, Builtin["run"]][]
    ).map(([name, run]): [string, Builtin] => [name.toLowerCase(), { name, run }]),
  );
}

/** The bot the fake plays (getMe); unit tests that skip getMe pass the same object as botInfo. */
export function testBotInfo(id = 123456789): UserFromGetMe {
  return {
    id,
    is_bot: true,
    first_name: "PolicyBot",
    username: "policy_test_bot",
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: true,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  } as UserFromGetMe;
}

/**
 * Starts a fake Telegram Bot API server on 127.0.0.1 and a free port.
 *
 * @example
 * const fake = await startFakeTelegram();
 * const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
 * // ...
 * fake.pushUpdate(fake.userMessage({ chatId: 42, userId: 42, text: "/start" }));
 * const [reply] = await fake.waitForSent(1, 42);
 * await bot.stop();
 * await fake.close();
 */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const server = createServer();
  // Longer than any test: a keep-alive socket closed by the server just as
  // grammY reuses it would surface as a spurious "socket hang up". close()
  // destroys the sockets anyway.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return new FakeTelegram(server, options);
}
