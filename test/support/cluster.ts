/**
 * Several real policybot processes (`node bin/policybot.js start`, webhook mode) behind a real nginx
 * on 127.0.0.1, for the multi-instance test and `npm run bench`.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root, from test/support/ or (compiled for the bench) dist/test/support/. */
const ROOT = ((here: string) => (existsSync(join(here, "package.json")) ? here : join(here, "..")))(fileURLToPath(new URL("../../", import.meta.url)));
const repoPath = (rel: string) => join(ROOT, rel);

/** Debian's nginx (nginx-light), or undefined when it is not installed. */
export const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One policybot process. */
export interface Instance {
  port: number;
  child: ChildProcess;
  log: string;
}

/** Options of {@link startCluster}. */
export interface ClusterOptions {
  size: number;
  dir: string;
  /** The environment every instance shares (DATABASE_URL, TELEGRAM_*, WEBHOOK_URL, …). */
  env: Record<string, string>;
}

/** The instances and the balancer in front of them. */
export interface Cluster {
  instances: Instance[];
  /** nginx's address, e.g. http://127.0.0.1:41234 */
  url: string;
  stop(): Promise<void>;
}

/** Builds the index once (`policybot index`) so that the instances load it rather than each building it. */
export function buildIndex(env: Record<string, string>): void {
  const r = spawnSync(process.execPath, [repoPath("bin/policybot.js"), "index"], { env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`policybot index failed: ${r.stderr}`);
}

/** Starts `size` instances on free ports, waits for their /healthz, then nginx in front of them. */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  if (!NGINX) throw new Error("nginx is not installed (apt-get install nginx-light)");
  mkdirSync(opts.dir, { recursive: true });
  const instances: Instance[] = [];
  for (let i = 0; i < opts.size; i++) {
    const port = await freePort();
    const log = join(opts.dir, `instance-${i}.log`);
    const out = createWriteStream(log);
    const child = spawn(process.execPath, [repoPath("bin/policybot.js"), "start"], {
      env: { ...process.env, ...opts.env, WEBHOOK_PORT: String(port), HOST: "127.0.0.1", DATA_DIR: join(opts.dir, `data-${i}`) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    instances.push({ port, child, log });
  }
  await Promise.all(instances.map((inst) => waitFor(`instance on ${inst.port} (see ${inst.log})`, async () => {
    if (inst.child.exitCode !== null) throw new Error(`instance exited early; see ${inst.log}`);
    return (await fetch(`http://127.0.0.1:${inst.port}/healthz`)).ok;
  }, 60_000)));

  const port = await freePort();
  const conf = join(opts.dir, "nginx.conf");
  for (const d of ["body", "proxy"]) mkdirSync(join(opts.dir, d), { recursive: true });
  writeFileSync(conf, nginxConfig({ dir: opts.dir, port, upstreams: instances.map((i) => i.port) }));
  const nginx = spawn(NGINX, ["-p", opts.dir, "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let nginxErr = "";
  nginx.stderr!.on("data", (c) => (nginxErr += c));
  await waitFor("nginx", async () => {
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${nginxErr}`);
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  }, 10_000);
  return {
    instances,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once("exit", () => r())));
      nginx.kill("SIGQUIT");
      for (const i of instances) i.child.kill("SIGTERM");
      await Promise.race([Promise.all([exited(nginx), ...instances.map((i) => exited(i.child))]), new Promise((r) => setTimeout(r, 10_000))]);
      for (const c of [nginx, ...instances.map((i) => i.child)]) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    },
  };
}

/**
 * The nginx configuration of the README's deployment, on loopback: round robin over the instances,
 * a refused connection tried on the next one (nothing was sent yet), and an instance that fails
 * left out for 10 s. A request cut off mid-way answers 502, and Telegram (here the test) retries it.
 */
export function nginxConfig(o: { dir: string; port: number; upstreams: number[] }): string {
  return `daemon off;
worker_processes 1;
pid ${o.dir}/nginx.pid;
error_log ${o.dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${o.dir}/body;
  proxy_temp_path ${o.dir}/proxy;
  upstream policybot {
${o.upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join("\n")}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${o.port};
    location / {
      proxy_pass http://policybot;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
      proxy_read_timeout 60s;
    }
  }
}
`;
}
