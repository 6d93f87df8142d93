import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The prompt templates in prompts/: plain text with {{named}} slots. */
export interface PromptTemplates {
  system: string;
  answer: string;
  condense: string;
}

/** The repository's prompts/ folder, found from src/ or dist/src/. */
export function defaultPromptsDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  return here.replace(/\/(dist\/)?src\/answer\/$/, "/prompts/");
}

/** Loads the templates; a missing file is an error that names it. */
export function loadPrompts(dir = defaultPromptsDir()): PromptTemplates {
  const read = (name: string) => {
    try {
      return readFileSync(`${dir.replace(/\/?$/, "/")}${name}.md`, "utf8").trim();
    } catch (err) {
      throw new Error(`prompts: cannot read ${dir}${name}.md (${(err as Error).message})`, { cause: err });
    }
  };
  return { system: read("system"), answer: read("answer"), condense: read("condense") };
}

/**
 * Fills {{slots}}; every slot must be given, and values cannot smuggle in further slots.
 * @example fill("Q: {{question}}", { question: "多少" }) // "Q: 多少"
 */
export function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => {
    const v = slots[name];
    if (v === undefined) throw new Error(`prompts: no value for the slot {{${name}}}`);
    // Users cannot close the tags that mark their text as data.
    return v.replace(/</g, "＜").replace(/>/g, "＞").replace(/\{\{/g, "{ {");
  });
}
