import type { PlanDocument } from "../plan/types.js";
import { Bm25Index } from "../retrieve/bm25.js";
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import { unitKey } from "./expected.js";
import type { SystemRun } from "./metrics.js";

/**
 * The naive baseline the evaluation compares against: LangChain's RecursiveCharacterTextSplitter
 * over the raw file text, plain BM25 over jieba words, no normalisation, no abstention.
 */
export class NaiveBaseline {
  private constructor(
    private readonly bm25: Bm25Index,
    private readonly chunkRefs: string[],
    private readonly jieba: Jieba,
  ) {}

  static async create(docs: Array<{ doc: PlanDocument; raw: string }>): Promise<NaiveBaseline> {
    // Its own segmenter with the stock dictionary: policybot teaches the shared one the plan's terms.
    const jieba = Jieba.withDict(dict);
    const { RecursiveCharacterTextSplitter } = await import("@langchain/textsplitters");
    const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 200, chunkOverlap: 40, separators: ["\n\n", "\n", "。", "，", ",", ""] });
    const tokens: string[][] = [];
    const refs: string[] = [];
    for (const { doc, raw } of docs) {
      const lineStarts = [0];
      for (let i = 0; i < raw.length; i++) if (raw[i] === "\n") lineStarts.push(i + 1);
      let from = 0;
      for (const chunk of await splitter.splitText(raw)) {
        const at = Math.max(0, raw.indexOf(chunk, Math.max(0, from - 60)));
        from = at + 1;
        // A chunk stands for the unit its middle line belongs to.
        const mid = at + chunk.length / 2;
        const line = lineStarts.filter((s) => s <= mid).length;
        const unit = doc.units.find((u) => u.source.lines.includes(line)) ?? doc.units.find((u) => u.source.startLine <= line && line <= u.source.endLine);
        tokens.push(jieba.cut(chunk, false).filter((w) => w.trim()));
        refs.push(unit ? unitKey(doc.id, unit.ref) : "none");
      }
    }
    return new NaiveBaseline(new Bm25Index(tokens), refs, jieba);
  }

  /** Ranked unit keys (doc + ref) for a question (duplicates removed). */
  run(question: string): SystemRun {
    const q = this.jieba.cut(question, false).filter((w) => w.trim()).map((term) => ({ term, weight: 1 }));
    const ranked = [...this.bm25.score(q)].sort((a, b) => b[1] - a[1]).map(([i]) => this.chunkRefs[i]!);
    return { keys: [...new Set(ranked)].slice(0, 10), abstained: false };
  }
}
