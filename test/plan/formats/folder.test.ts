import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadPlans } from "../../../src/plan/load.js";
import { zip } from "./docx-builder.js";

const dir = mkdtempSync(join(tmpdir(), "policybot-folder-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...Array(504).fill(0)]);
const files: Record<string, string | Buffer> = {
  // A genuine plan, short: a title and two numbered items.
  "short-plan.txt": "某镇2027年垃圾分类工作要点\n1.每个村设置2个分类收集点。\n2.每月开展1次检查，结果在村务公开栏公布。\n",
  // A web page saved with a .doc name, as some portals serve them.
  "saved-page.doc": '<html><head><meta charset="utf-8"></head><body><div class="text"><p>某镇2027年河道保洁工作方案</p><p>一、目标</p><p>河道保洁覆盖率达到100%。</p></div></body></html>',
  "README.md": "# Plans\n\nPut the plans here.\n\n1. Save the page from gov.cn\n2. Drop the file in this folder\n",
  "SOURCES.md": "| 文件 | 标题 | 来源 |\n| --- | --- | --- |\n| a.txt | 某县乡村数字服务提升行动方案 | http://example.org/a |\n",
  LICENSE: "Permission is hereby granted, free of charge, to any person obtaining a copy of this software.\n",
  "参考链接.txt": "职教方案 https://www.example.org/zhengce/1.htm\n药品方案 https://www.example.org/zhengce/2.htm\n无废城市 https://www.example.org/zhengce/3.htm\n",
  "工作笔记.txt": "周一开会讨论方案落实情况，财政局还没有回复资金安排。\n记得下周再问一下乡镇的意见。\n",
  "plan-en.md": "Digital village services plan\n1. Build 120 base stations in 2027.\n2. Train 300 service staff every year.\n",
  "data.json": '{"plans": 3}',
  "old-word.doc": OLE,
  "old-wps.wps": OLE,
  "sheet.xls": OLE,
  "layout.ofd": zip({ "OFD.xml": "<ofd:OFD/>" }),
  "broken.docx": Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(200, 7)]),
  "empty.pdf": Buffer.alloc(0),
  "junk.txt": Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)),
  "photo.jpg": Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]),
};
for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);

describe("a seeds folder with plans, non-plans and files we cannot read", () => {
  const { docs, errors, skipped } = loadPlans(dir);

  it("loads the genuine plans, a short one too, and a web page saved as .doc", () => {
    expect(docs.map((d) => [d.id, d.format])).toEqual([["saved-page", "html"], ["short-plan", "txt"]]);
    expect(docs.find((d) => d.id === "short-plan")!.units.map((u) => u.ref)).toEqual(["preamble", "task:1", "task:2"]);
  });

  it("skips files that are not plans, each with a reason, without calling them errors", () => {
    expect(skipped.map((s) => basename(s.file)).sort()).toEqual(["LICENSE", "README.md", "SOURCES.md", "data.json", "plan-en.md", "参考链接.txt", "工作笔记.txt"].sort());
    const why = (name: string) => skipped.find((s) => basename(s.file) === name)!.message;
    expect(why("参考链接.txt")).toMatch(/参考链接\.txt: 主要是网址链接，不是方案.*已跳过/);
    expect(why("plan-en.md")).toMatch(/plan-en\.md: 主要是英文/);
    expect(why("工作笔记.txt")).toMatch(/工作笔记\.txt: 没有方案标题/);
  });

  it("reports each unreadable file once, naming it and saying what to do", () => {
    const byFile = new Map(errors.map((e) => [basename(e.file), e.message]));
    expect([...byFile.keys()].sort()).toEqual(["broken.docx", "empty.pdf", "junk.txt", "layout.ofd", "old-word.doc", "old-wps.wps", "photo.jpg", "sheet.xls"].sort());
    expect(errors).toHaveLength(8);
    expect(byFile.get("old-word.doc")).toMatch(/old-word\.doc: 旧版 Word\/WPS 格式.*另存为 \.docx/);
    expect(byFile.get("old-wps.wps")).toMatch(/另存为 \.docx/);
    expect(byFile.get("sheet.xls")).toMatch(/这是表格文件，不是方案正文/);
    expect(byFile.get("layout.ofd")).toMatch(/OFD 版式文件暂不支持.*导出为 PDF/);
    expect(byFile.get("broken.docx")).toMatch(/broken\.docx: Word 文件已损坏/);
    expect(byFile.get("empty.pdf")).toMatch(/empty\.pdf: 文件是空的/);
    expect(byFile.get("junk.txt")).toMatch(/junk\.txt: .*binary/);
    expect(byFile.get("photo.jpg")).toMatch(/photo\.jpg: 这是图片.*OCR/);
  });
});
