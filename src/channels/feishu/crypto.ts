import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Feishu's request signature: SHA256 hex of timestamp + nonce + encrypt key + the raw body. */
export function feishuSignature(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash("sha256").update(timestamp + nonce + encryptKey + body).digest("hex");
}

/** True when the X-Lark-Signature header matches (constant-time). */
export function verifyFeishu(signature: string | undefined, timestamp: string | undefined, nonce: string | undefined, encryptKey: string, body: string): boolean {
  if (!signature || !timestamp || !nonce) return false;
  const expected = Buffer.from(feishuSignature(timestamp, nonce, encryptKey, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

const keyOf = (encryptKey: string) => createHash("sha256").update(encryptKey).digest();

/** Decrypts an `encrypt` field: AES-256-CBC, key = SHA256(encrypt key), the first 16 bytes the IV, PKCS#7. */
export function feishuDecrypt(encrypt: string, encryptKey: string): string {
  const buf = Buffer.from(encrypt, "base64");
  const decipher = createDecipheriv("aes-256-cbc", keyOf(encryptKey), buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString("utf8");
}

/** Encrypts as Feishu does (for tests and fakes). */
export function feishuEncrypt(plain: string, encryptKey: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plain, "utf8"), cipher.final()]).toString("base64");
}
