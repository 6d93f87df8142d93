import { fetchJson, PlatformApiError, type RetryOptions } from "../platform/http.js";

/** WeCom error codes meaning the access_token is invalid or expired: fetch a new one and try again. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);

/** The WeCom message API with a cached, refreshed access_token. */
export class WecomApi {
  private token?: { value: string; until: number };
  private pending?: Promise<string>;
  constructor(private readonly opts: { apiBase: string; corpId: string; secret: string; agentId: string; retry?: RetryOptions }) {}

  /** The cached token, fetched from /cgi-bin/gettoken when missing or within five minutes of expiry. */
  async accessToken(now = Date.now()): Promise<string> {
    if (this.token && now < this.token.until) return this.token.value;
    // Concurrent replies share one token request.
    this.pending ??= (async () => {
      try {
        const url = `${this.opts.apiBase}/cgi-bin/gettoken?corpid=${encodeURIComponent(this.opts.corpId)}&corpsecret=${encodeURIComponent(this.opts.secret)}`;
        const body = await fetchJson<{ errcode?: number; errmsg?: string; access_token?: string; expires_in?: number }>("wecom", url, { method: "GET" }, this.opts.retry);
        if (body.errcode || !body.access_token) throw new PlatformApiError("wecom", 200, `gettoken failed: ${body.errcode} ${body.errmsg ?? ""} (check WECOM_CORP_ID and WECOM_SECRET)`);
        this.token = { value: body.access_token, until: Date.now() + Math.max(60, (body.expires_in ?? 7200) - 300) * 1000 };
        return body.access_token;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  /** Sends a Markdown message to one user through /cgi-bin/message/send. */
  async sendMarkdown(toUser: string, content: string): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.accessToken();
      const body = await fetchJson<{ errcode?: number; errmsg?: string }>("wecom", `${this.opts.apiBase}/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`, {
        method: "POST",
        body: JSON.stringify({ touser: toUser, msgtype: "markdown", agentid: Number(this.opts.agentId), markdown: { content } }),
      }, this.opts.retry);
      if (!body.errcode) return;
      if (TOKEN_ERRORS.has(body.errcode) && attempt === 0) {
        this.token = undefined;
        continue;
      }
      throw new PlatformApiError("wecom", 200, `message/send failed: ${body.errcode} ${body.errmsg ?? ""}`);
    }
  }
}
