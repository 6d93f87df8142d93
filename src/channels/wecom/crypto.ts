import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A WeCom callback could not be verified or decrypted. */
export class WecomCryptoError extends Error {
  override readonly name = "WecomCryptoError";
}

/** WeCom's msg_signature: SHA1 hex of token, timestamp, nonce and the ciphertext, sorted and joined. */
export function wecomSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash("sha1").update([token, timestamp, nonce, encrypt].sort().join("")).digest("hex");
}

/** True when `signature` is WeCom's for these values (compared in constant time). */
export function verifyWecom(signature: string | null, token: string, timestamp: string | null, nonce: string | null, encrypt: string | undefined): boolean {
  if (!signature || !timestamp || !nonce || !encrypt) return false;
  const expected = Buffer.from(wecomSignature(token, timestamp, nonce, encrypt));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The AES key from the 43-character EncodingAESKey (base64 without its "="); the IV is its first 16 bytes. */
function aesKey(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new WecomCryptoError("wecom: EncodingAESKey must be 43 characters of base64");
  return key;
}

/** Encrypts as WeCom does: random16 + msg_len (4 bytes, big-endian) + msg + receiveid, PKCS#7 padded to 32. */
export function wecomEncrypt(message: string, encodingAesKey: string, receiveId: string): string {
  const key = aesKey(encodingAesKey);
  const msg = Buffer.from(message, "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(receiveId, "utf8")]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
}

/** Decrypts a WeCom ciphertext and checks that it was meant for `receiveId` (the corp id). */
export function wecomDecrypt(encrypt: string, encodingAesKey: string, receiveId: string): string {
  const key = aesKey(encodingAesKey);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
    plain = Buffer.concat([decipher.update(Buffer.from(encrypt, "base64")), decipher.final()]);
  } catch (err) {
    throw new WecomCryptoError(`wecom: cannot decrypt the message (${(err as Error).message})`);
  }
  const pad = plain.at(-1) ?? 0;
  if (pad < 1 || pad > 32 || plain.length < 20 + pad) throw new WecomCryptoError("wecom: bad padding after decryption");
  const body = plain.subarray(0, plain.length - pad);
  const len = body.readUInt32BE(16);
  if (20 + len > body.length) throw new WecomCryptoError("wecom: bad message length after decryption");
  const from = body.subarray(20 + len).toString("utf8");
  if (from !== receiveId) throw new WecomCryptoError("wecom: the message is for another corp id");
  return body.subarray(20, 20 + len).toString("utf8");
}

/** One field of WeCom's flat XML (CDATA or plain); undefined when absent. */
export function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${name}>`).exec(xml);
  return m ? (m[1] ?? m[2] ?? "").trim() : undefined;
}
