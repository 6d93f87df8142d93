/** Typed arrays a pack file can hold. */
export type Column = Int32Array | Uint32Array | Uint8Array | Float32Array | Float64Array;

const TYPES = { i32: Int32Array, u32: Uint32Array, u8: Uint8Array, f32: Float32Array, f64: Float64Array } as const;
type TypeName = keyof typeof TYPES;
const MAGIC = "PBPK1\n";

interface Header {
  json: unknown;
  columns: Array<{ name: string; type: TypeName; offset: number; length: number }>;
}

const typeOf = (c: Column): TypeName =>
  c instanceof Int32Array ? "i32" : c instanceof Uint32Array ? "u32" : c instanceof Uint8Array ? "u8" : c instanceof Float32Array ? "f32" : "f64";

/**
 * One file holding a JSON value and named typed arrays: the magic line, the header's length, the
 * header (JSON), then each array's bytes at an 8-byte aligned offset, so that reading it back makes
 * views on one buffer rather than one JS value per element.
 */
export function pack(json: unknown, columns: Record<string, Column>): Buffer {
  const entries: Header["columns"] = [];
  let offset = 0;
  for (const [name, c] of Object.entries(columns)) {
    entries.push({ name, type: typeOf(c), offset, length: c.length });
    offset += Math.ceil(c.byteLength / 8) * 8;
  }
  const header = Buffer.from(JSON.stringify({ json, columns: entries } satisfies Header));
  const start = Math.ceil((MAGIC.length + 4 + header.length) / 8) * 8;
  const out = Buffer.alloc(start + offset);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  for (const [i, c] of Object.values(columns).entries()) {
    Buffer.from(c.buffer, c.byteOffset, c.byteLength).copy(out, start + entries[i]!.offset);
  }
  return out;
}

/** Reads a {@link pack} file; throws (with what is wrong) on a file that is not one or is cut short. */
export function unpack(bytes: Buffer): { json: unknown; columns: Record<string, Column> } {
  if (bytes.length < MAGIC.length + 4 || bytes.toString("latin1", 0, MAGIC.length) !== MAGIC) throw new Error("pack: not a policybot pack file");
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + headerLength > bytes.length) throw new Error("pack: the header is cut short");
  const header = JSON.parse(bytes.toString("utf8", MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as Header;
  const start = Math.ceil((MAGIC.length + 4 + headerLength) / 8) * 8;
  // Views need their element alignment: a buffer Node handed out at an odd offset is copied once.
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  const columns: Record<string, Column> = {};
  for (const c of header.columns) {
    const Type = TYPES[c.type];
    if (!Type) throw new Error(`pack: unknown column type ${c.type}`);
    const end = start + c.offset + c.length * Type.BYTES_PER_ELEMENT;
    if (end > aligned.length) throw new Error(`pack: column ${c.name} is cut short`);
    columns[c.name] = new Type(aligned.buffer as ArrayBuffer, aligned.byteOffset + start + c.offset, c.length);
  }
  return { json: header.json, columns };
}
