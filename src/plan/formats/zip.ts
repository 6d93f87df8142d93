import { inflateRawSync } from "node:zlib";

/** A zip archive could not be read; the message says why. */
export class ZipError extends Error {
  override readonly name = "ZipError";
}

/** Largest member we inflate: a plan's XML is a few megabytes; more is a damaged or hostile file. */
const MAX_MEMBER_BYTES = 64 * 1024 * 1024;

/**
 * The members of a zip archive (as .docx files are), read from its central directory; each is
 * inflated only when asked for. Enough of the format for Office files: stored and deflated members.
 */
export function readZip(bytes: Uint8Array): Map<string, () => Buffer> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError("no zip directory (the file is cut short or not a zip)");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const members = new Map<string, () => Buffer>();
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw new ZipError("the zip directory is damaged");
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    members.set(name, () => inflateMember(buf, local, method, compressed, size, name));
  }
  return members;
}

function inflateMember(buf: Buffer, local: number, method: number, compressed: number, size: number, name: string): Buffer {
  if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new ZipError(`the entry ${name} is damaged`);
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  if (start + compressed > buf.length) throw new ZipError(`the entry ${name} is cut short`);
  const data = buf.subarray(start, start + compressed);
  if (size > MAX_MEMBER_BYTES) throw new ZipError(`the entry ${name} is too large (${size} bytes)`);
  if (method === 0) return Buffer.from(data);
  if (method !== 8) throw new ZipError(`the entry ${name} uses an unsupported compression (method ${method})`);
  try {
    return inflateRawSync(data, { maxOutputLength: MAX_MEMBER_BYTES });
  } catch (err) {
    throw new ZipError(`the entry ${name} cannot be inflated (${(err as Error).message})`, { cause: err });
  }
}
