// Shared helpers of the page: DOM building, the API client, messages, downloads and the clipboard.
// Server data is only ever inserted with textContent and DOM nodes (never innerHTML), see el().

export const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "policybot.token";
const CLIENT_KEY = "policybot.clientId";

/** Creates an element; children are nodes or strings (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

/** English when a text is clearly Latin prose (the rule the server applies to questions). */
export function langOf(text) {
  const prose = text.replace(/<[^>]*>/g, " ");
  const latin = prose.match(/[A-Za-z]/g)?.length ?? 0;
  const cjk = prose.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return latin >= 6 && cjk <= latin / 6 ? "en" : "zh";
}

/** The words shown beside an answer, in the answer's language (the page itself is Chinese). */
const WORDS = {
  zh: {
    answered: "有出处", closest: "不确定：最接近的内容", declined: "无法回答：规划中没有找到",
    sources: (n) => `出处（${n}）`, copy: "复制", copied: "已复制", share: "分享链接", linkCopied: "链接已复制",
    up: "有帮助", down: "没帮助", thanks: "谢谢反馈！", modeLlm: "流畅模式（引用已校验）", modeExtractive: "离线摘录", ms: (n) => `用时 ${n} 毫秒`,
  },
  en: {
    answered: "sourced", closest: "Uncertain: closest match", declined: "Cannot answer: not in the plan",
    sources: (n) => `Sources (${n})`, copy: "Copy", copied: "Copied", share: "Share link", linkCopied: "Link copied",
    up: "Helpful", down: "Not helpful", thanks: "Thanks for the feedback!", modeLlm: "fluent mode (citations checked)", modeExtractive: "offline extract", ms: (n) => `${n} ms`,
  },
};
export const words = (lang) => WORDS[lang] ?? WORDS.zh;

/** A random id for the quiz and votes, kept across visits. */
export function clientId() {
  let id = localStorage.getItem(CLIENT_KEY);
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(CLIENT_KEY, id);
  }
  return id;
}

/** An error whose message is fit for the user. */
export class ApiError extends Error {}

function headers(extra = {}) {
  const h = { "X-Client-Id": clientId(), "Accept-Language": "zh-CN", ...extra };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

/** Turns a failed response into a message for the user. */
async function failure(res) {
  let message = "";
  try {
    message = (await res.json()).error ?? "";
  } catch {
    /* not JSON: use the status below */
  }
  if (res.status === 401) {
    $("auth").hidden = false;
    return new ApiError("需要访问令牌：请在页面顶部输入令牌后重试。");
  }
  if (res.status === 429) {
    const wait = res.headers.get("Retry-After");
    return new ApiError(`请求太频繁了，请${wait ? `${wait}秒` : "稍"}后再试。`);
  }
  // 503 says what is unavailable (e.g. the quiz's data file); other 5xx carry nothing for the user.
  if (res.status >= 500 && !(res.status === 503 && message)) return new ApiError("服务器出错了，请稍后再试。");
  return new ApiError(message || `请求失败（${res.status}）。`);
}

/** fetch with the client id and token; a failed request throws an ApiError with a message for the user. */
export async function request(path, init = {}) {
  let res;
  try {
    res = await fetch(path, { ...init, headers: headers(init.headers) });
  } catch {
    throw new ApiError("网络连接失败，请检查网络后重试。");
  }
  if (!res.ok) throw await failure(res);
  return res;
}

export const getJson = async (path) => (await request(path)).json();
export const postJson = async (path, body) => (await request(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();

export function saveToken(token) {
  localStorage.setItem(TOKEN_KEY, token);
}

/** Shows (or with err = null hides) an error box. */
export function showError(id, err) {
  const box = $(id);
  box.textContent = err ? (err instanceof ApiError ? err.message : "出错了，请重试。") : "";
  box.hidden = !err;
  if (err && !(err instanceof ApiError)) console.error(err);
}

let toastTimer;
/** A short confirmation at the bottom of the screen (已复制 …). */
export function toast(text) {
  const t = $("toast");
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (t.hidden = true), 2000);
}

/** Copies text; falls back to a hidden textarea where the Clipboard API is not allowed (plain http). */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = el("textarea", { class: "visually-hidden", "aria-hidden": "true" });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** Saves text as a file the user downloads. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The selected plan ("" for all), kept by the plan picker. */
export const plan = { doc: "" };
/** `?doc=…` or `&doc=…` for the selected plan. */
export const docParam = (sep = "?") => (plan.doc ? `${sep}doc=${encodeURIComponent(plan.doc)}` : "");
