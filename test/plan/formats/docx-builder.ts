import { crc32, deflateRawSync } from "node:zlib";

/** Writes a zip archive (deflated members) the way Office does, for building .docx fixtures in tests. */
export function zip(files: Record<string, string | Uint8Array>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, packed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(locals.length / 3, 8);
  end.writeUInt16LE(locals.length / 3, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One body element of a test document: a paragraph (optionally in an automatic list) or a table. */
export type DocxBlock =
  | { p: string; num?: { id: number; level?: number }; style?: string; runs?: string[] }
  | { table: string[][] };

/** A list definition: one entry per level, as Word writes them (numFmt, lvlText, start). */
export interface DocxList {
  id: number;
  levels: { fmt: string; text: string; start?: number; suffix?: "tab" | "space" | "nothing" }[];
  /** Level → restart value for this list instance (w:lvlOverride/w:startOverride). */
  restart?: Record<number, number>;
  /** The abstract list this instance uses (defaults to its own id): instances of one abstract list share counters. */
  abstractId?: number;
}

/** A minimal .docx: document.xml with paragraphs, runs, tabs and tables, numbering.xml and styles.xml. */
export function buildDocx(blocks: DocxBlock[], lists: DocxList[] = [], styles: { id: string; num: number; level?: number }[] = []): Buffer {
  const para = (b: Extract<DocxBlock, { p: string }>) => {
    const pPr = [
      b.style ? `<w:pStyle w:val="${b.style}"/>` : "",
      b.num ? `<w:numPr><w:ilvl w:val="${b.num.level ?? 0}"/><w:numId w:val="${b.num.id}"/></w:numPr>` : "",
    ].join("");
    const runs = (b.runs ?? [b.p]).map((r) =>
      r.split("\t").map((part, i) => `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>${i ? "<w:tab/>" : ""}<w:t xml:space="preserve">${esc(part)}</w:t></w:r>`).join(""),
    );
    return `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ""}${runs.join("")}</w:p>`;
  };
  const body = blocks
    .map((b) =>
      "table" in b
        ? `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr>${b.table.map((row) => `<w:tr>${row.map((c) => `<w:tc><w:tcPr/>${para({ p: c })}</w:tc>`).join("")}</w:tr>`).join("")}</w:tbl>`
        : para(b),
    )
    .join("");
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${W}><w:body>${body}<w:sectPr/></w:body></w:document>`;
  const abstracts = new Map<number, DocxList>();
  for (const l of lists) if (!abstracts.has(l.abstractId ?? l.id)) abstracts.set(l.abstractId ?? l.id, l);
  const numbering = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering ${W}>${[...abstracts]
    .map(([aid, l]) => `<w:abstractNum w:abstractNumId="${aid}">${l.levels
      .map((lv, i) => `<w:lvl w:ilvl="${i}"><w:start w:val="${lv.start ?? 1}"/><w:numFmt w:val="${lv.fmt}"/>${lv.suffix ? `<w:suff w:val="${lv.suffix}"/>` : ""}<w:lvlText w:val="${esc(lv.text)}"/></w:lvl>`)
      .join("")}</w:abstractNum>`)
    .join("")}${lists
    .map((l) => `<w:num w:numId="${l.id}"><w:abstractNumId w:val="${l.abstractId ?? l.id}"/>${Object.entries(l.restart ?? {})
      .map(([lvl, v]) => `<w:lvlOverride w:ilvl="${lvl}"><w:startOverride w:val="${v}"/></w:lvlOverride>`)
      .join("")}</w:num>`)
    .join("")}</w:numbering>`;
  const stylesXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles ${W}>${styles
    .map((s) => `<w:style w:type="paragraph" w:styleId="${s.id}"><w:name w:val="${s.id}"/><w:pPr><w:numPr><w:ilvl w:val="${s.level ?? 0}"/><w:numId w:val="${s.num}"/></w:numPr></w:pPr></w:style>`)
    .join("")}</w:styles>`;
  return zip({
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    "word/document.xml": document,
    "word/numbering.xml": numbering,
    "word/styles.xml": stylesXml,
  });
}
