import { fileURLToPath } from "node:url";

/** A file of src/retrieve/data; the compiled code finds it from dist/ too. */
export function dataPath(name: string): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const src = here.includes("/dist/") ? here.replace(/\/dist\/src\//, "/src/") : here;
  return `${src}data/${name}`;
}
