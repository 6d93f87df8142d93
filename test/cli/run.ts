import { PassThrough, Readable } from "node:stream";
import { main } from "../../src/cli/main.js";

/** Runs `policybot …` in-process with captured output and optional standard input. */
export async function runCli(argv: string[], stdinText?: string, env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const saved = { ...process.env };
  Object.assign(process.env, { LOG_LEVEL: "silent", ...env });
  try {
    const code = await main(argv, { stdout, stderr, stdin: Readable.from(stdinText === undefined ? [] : [stdinText]) });
    return { code, out, err };
  } finally {
    process.env = saved;
  }
}
