import { createHmac, timingSafeEqual } from "node:crypto";

/** DingTalk's callback signature: base64(HmacSHA256(appSecret, `${timestamp}\n${appSecret}`)). */
export function dingtalkSign(timestamp: string, appSecret: string): string {
  return createHmac("sha256", appSecret).update(`${timestamp}\n${appSecret}`).digest("base64");
}

/** The default replay window: a signed callback further than five minutes from now is refused. */
export const MAX_SKEW_MS = 300_000;

/** True when the `timestamp` (epoch ms) and `sign` headers are DingTalk's for this secret and within `windowMs` of now. */
export function verifyDingtalk(timestamp: string | undefined, sign: string | undefined, appSecret: string, now = Date.now(), windowMs = MAX_SKEW_MS): boolean {
  if (!timestamp || !sign || !/^\d{10,16}$/.test(timestamp)) return false;
  if (Math.abs(now - Number(timestamp)) > windowMs) return false;
  const expected = Buffer.from(dingtalkSign(timestamp, appSecret));
  const given = Buffer.from(sign);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
