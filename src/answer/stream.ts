import type { Unit } from "../plan/types.js";
import { numbersIn } from "./citations.js";

const SENTENCE_END = /[。！？!?；;\n]/;
const LABEL_RE = /〔([^〔〕]{1,40})〕/g;

/**
 * Wraps a token callback so that a channel only ever shows checked text while an LLM streams:
 * tokens are held until a sentence ends, and a sentence is passed on only when every number in it
 * appears in a retrieved unit and every label names one. The final, verified answer replaces the
 * stream in any case; this keeps unchecked figures off the screen meanwhile.
 */
export function checkedStream(onToken: (text: string) => void, units: Unit[]): (token: string) => void {
  const numbers = new Set(numbersIn(units.map((u) => u.text).join("\n")));
  const labels = new Set(units.map((u) => u.label));
  let buffer = "";
  let stopped = false;
  return (token: string) => {
    if (stopped) return;
    buffer += token;
    for (;;) {
      const m = SENTENCE_END.exec(buffer);
      if (!m) return;
      const sentence = buffer.slice(0, m.index + 1);
      buffer = buffer.slice(m.index + 1);
      const labelsOk = [...sentence.matchAll(LABEL_RE)].every((l) => labels.has(l[1]!));
      const numbersOk = numbersIn(sentence.replace(LABEL_RE, "")).every((n) => numbers.has(n));
      if (!labelsOk || !numbersOk) {
        // Once a sentence fails, nothing more is streamed: the verified answer will follow.
        stopped = true;
        return;
      }
      onToken(sentence);
    }
  };
}
