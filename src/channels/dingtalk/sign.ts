import { createHmac, timingSafeEqual } from "node:crypto";

/** DingTalk's callback signature: base64(HmacSHA256(appSecret, `${timestamp}\n${appSecret}`)). */
export function dingtalkSign(timestamp: string, appSecret: string): string {
  return createHmac("sha256", appSecret).update(`${timestamp}\n${appSecret}`).digest("base64");
}

/** DingTalk rejects callbacks older than an hour; so do we (a replayed callback is refused). */
export const MAX_SKEW_MS = 3_600_000;

/** True when the `timestamp` and `sign` headers are DingTalk's for this secret and recent. */
export function verifyDingtalk(timestamp: string | undefined, sign: string | undefined, appSecret: string, now = Date.now()): boolean {
  if (!timestamp || !sign || !/^\d{10,16}$/.test(timestamp)) return false;
  if (Math.abs(now - Number(timestamp)) > MAX_SKEW_MS) return false;
  const expected = Buffer.from(dingtalkSign(timestamp, appSecret));
  const given = Buffer.from(sign);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
