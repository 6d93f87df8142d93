import { fetchJson, PlatformApiError, type RetryOptions } from "../platform/http.js";

/** Feishu codes meaning the tenant_access_token is invalid or expired. */
const TOKEN_ERRORS = new Set([99991661, 99991663, 99991668]);

/** Feishu's IM API with a cached tenant_access_token. */
export class FeishuApi {
  private token?: { value: string; until: number };
  private pending?: Promise<string>;
  private botId?: Promise<string | undefined>;
  constructor(private readonly opts: { apiBase: string; appId: string; appSecret: string; retry?: RetryOptions }) {}

  /** The cached tenant_access_token, fetched when missing or within five minutes of expiry. */
  async tenantToken(): Promise<string> {
    if (this.token && Date.now() < this.token.until) return this.token.value;
    this.pending ??= (async () => {
      try {
        const body = await fetchJson<{ code?: number; msg?: string; tenant_access_token?: string; expire?: number }>("feishu", `${this.opts.apiBase}/open-apis/auth/v3/tenant_access_token/internal`, {
          method: "POST", body: JSON.stringify({ app_id: this.opts.appId, app_secret: this.opts.appSecret }),
        }, this.opts.retry);
        if (body.code || !body.tenant_access_token) throw new PlatformApiError("feishu", 200, `tenant_access_token failed: ${body.code} ${body.msg ?? ""} (check FEISHU_APP_ID and FEISHU_APP_SECRET)`);
        this.token = { value: body.tenant_access_token, until: Date.now() + Math.max(60, (body.expire ?? 7200) - 300) * 1000 };
        return body.tenant_access_token;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  /** The bot's own open_id (to tell a mention of the bot from other mentions); undefined when unknown. */
  botOpenId(): Promise<string | undefined> {
    this.botId ??= (async () => {
      const body = await fetchJson<{ code?: number; bot?: { open_id?: string } }>("feishu", `${this.opts.apiBase}/open-apis/bot/v3/info`, { headers: { authorization: `Bearer ${await this.tenantToken()}` } }, this.opts.retry);
      return body.bot?.open_id;
    })().catch(() => {
      this.botId = undefined;
      return undefined;
    });
    return this.botId;
  }

  /** Sends an interactive card to a chat. */
  async sendCard(chatId: string, card: object): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const body = await fetchJson<{ code?: number; msg?: string }>("feishu", `${this.opts.apiBase}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
        method: "POST",
        headers: { authorization: `Bearer ${await this.tenantToken()}` },
        body: JSON.stringify({ receive_id: chatId, msg_type: "interactive", content: JSON.stringify(card) }),
      }, this.opts.retry);
      if (!body.code) return;
      if (TOKEN_ERRORS.has(body.code) && attempt === 0) {
        this.token = undefined;
        continue;
      }
      throw new PlatformApiError("feishu", 200, `im/v1/messages failed: ${body.code} ${body.msg ?? ""}`);
    }
  }
}
