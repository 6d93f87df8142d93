import type { KnowledgeBase } from "../knowledge.js";
import { buildIndex } from "../artifact/build.js";
import { LocalHashEmbeddings, type LocalHashOptions } from "../indexing/embeddings/local.js";
import type { Logger } from "../logger.js";
import { HybridRetriever } from "../retrieve/retriever.js";
import type { EvalItem } from "./dataset.js";
import { expectedUnits, unitKey } from "./expected.js";
import { scoreRetrieval } from "./metrics.js";

/** Local embedder settings compared by `policybot eval --embedders`. */
export const EMBEDDER_VARIANTS: Array<{ name: string; opts?: LocalHashOptions; vectors?: false }> = [
  { name: "lexical only (no vectors)", vectors: false },
  { name: "hash words only, 1024d", opts: { dimensions: 1024, bigramWeight: 0, charWeight: 0 } },
  { name: "hash words+bigrams, 1024d", opts: { dimensions: 1024, charWeight: 0 } },
  { name: "hash words+bigrams+chars, 256d", opts: { dimensions: 256 } },
  { name: "hash words+bigrams+chars, 512d", opts: { dimensions: 512 } },
  { name: "hash words+bigrams+chars, 1024d", opts: { dimensions: 1024 } },
  { name: "hash words+bigrams+chars, 2048d", opts: { dimensions: 2048 } },
];

/** Retrieval scores of each local embedder variant on the same questions (indexes built in memory). */
export async function compareEmbedders(kb: KnowledgeBase, items: EvalItem[], logger: Logger, defaultDocs: string[] = kb.docs.slice(0, 1).map((d) => d.id)): Promise<string> {
  const expected = items.map((x) => expectedUnits(x, kb.docs, defaultDocs));
  const lines = [`${"embedder".padEnd(34)} hit@1 hit@3  MRR  abst(unans) abst(ans)`];
  for (const v of EMBEDDER_VARIANTS) {
    const embedder = new LocalHashEmbeddings(v.opts);
    const index = v.vectors === false ? undefined : await buildIndex({ docs: kb.docs, embedder });
    const retriever = new HybridRetriever({ docs: kb.docs, chunks: index?.chunks ?? kb.index.chunks, store: index?.store, embedder: index ? embedder : undefined, corpus: index?.corpus });
    const runs = [];
    for (const item of items) {
      const r = await retriever.retrieve(item.q, { k: 10, history: item.history });
      runs.push({ keys: r.units.map((u) => unitKey(u.unit.doc, u.unit.ref)), abstained: r.grade !== "answered" });
    }
    const s = scoreRetrieval(items, runs, expected);
    const f = (x: number) => x.toFixed(2).padStart(5);
    lines.push(`${v.name.padEnd(34)} ${f(s.hit1)} ${f(s.hit3)} ${f(s.mrr)}    ${f(s.abstainOnUnanswerable)}     ${f(s.abstainOnAnswerable)}`);
  }
  return lines.join("\n");
}
