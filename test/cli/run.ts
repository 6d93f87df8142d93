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
  // A Chinese locale unless the test says otherwise, whatever the machine running the tests uses.
  delete process.env.LC_ALL;
  delete process.env.LC_MESSAGES;
  Object.assign(process.env, { LOG_LEVEL: "silent", LANG: "zh_CN.UTF-8", ...env });
  try {
    const code = await main(argv, { stdout, stderr, stdin: Readable.from(stdinText === undefined ? [] : [stdinText]) });
    return { code, out, err };
  } finally {
    process.env = saved;
  }
}
