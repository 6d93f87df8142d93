import { fork } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";

/** A load to generate against an HTTP endpoint on this machine. */
export interface LoadSpec {
  url: string;
  method: "GET" | "POST";
  bodies: string[];
  headers?: Record<string, string>;
  /** Closed loop: this many requests in flight, each sent when the previous returns. */
  connections: number;
  durationMs: number;
  /** Open loop instead: this many requests per second, whatever the latency. */
  rate?: number;
}

/** What a load run measured. */
export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function once(agent: Agent, spec: LoadSpec, body: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(spec.url, { method: spec.method, agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...spec.headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
    });
    req.on("error", () => resolve({ ms: performance.now() - started, status: 0 }));
    req.end(spec.method === "POST" ? body : undefined);
  });
}

/** Runs the load in this process (the bench forks a child to run it, see {@link runLoadInChild}). */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(spec.connections, spec.rate ?? 0) });
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let i = 0;
  const end = performance.now() + spec.durationMs;
  const record = (r: { ms: number; status: number }) => {
    times.push(r.ms);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  };
  const started = performance.now();
  if (spec.rate) {
    const pending: Array<Promise<void>> = [];
    const interval = 1000 / spec.rate;
    for (let next = performance.now(); next < end; next += interval) {
      const wait = next - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(once(agent, spec, spec.bodies[i++ % spec.bodies.length]!).then(record));
    }
    await Promise.all(pending);
  } else {
    await Promise.all(Array.from({ length: spec.connections }, async () => {
      while (performance.now() < end) record(await once(agent, spec, spec.bodies[i++ % spec.bodies.length]!));
    }));
  }
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  const ok = (statuses["200"] ?? 0);
  return { requests: times.length, errors: times.length - ok, statuses, rps: times.length / elapsed, p50: pct(0.5), p95: pct(0.95), p99: pct(0.99), max: times.at(-1) ?? 0 };
}

/** Runs the load from a separate Node process, so the generator does not share the server's event loop. */
export function runLoadInChild(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--child"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (m) => resolve(m as LoadResult));
    child.once("error", reject);
    child.once("exit", (code) => code && reject(new Error(`load generator exited with ${code}`)));
    child.send(spec);
  });
}

if (process.argv.includes("--child")) {
  process.once("message", async (spec) => {
    const result = await runLoad(spec as LoadSpec);
    process.send!(result, () => process.exit(0));
  });
}
