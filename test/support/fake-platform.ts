import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
  json?: Record<string, unknown>;
}

/** A programmable fake of a platform API on 127.0.0.1: routes by path, records every request. */
export interface FakePlatform {
  url: string;
  requests: FakeRequest[];
  /** Statuses to answer the next matching requests with (e.g. [429]) before the route's handler. */
  failNext(path: string, statuses: number[], match?: (r: FakeRequest) => boolean): void;
  route(path: string, handler: (r: FakeRequest) => unknown): void;
  /** Requests to a path, in order. */
  calls(path: string): FakeRequest[];
  /** Waits until `predicate` holds over the recorded requests. */
  waitFor(predicate: (all: FakeRequest[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a fake platform API on 127.0.0.1 (never any other address). */
export async function startFakePlatform(): Promise<FakePlatform> {
  const requests: FakeRequest[] = [];
  const routes = new Map<string, (r: FakeRequest) => unknown>();
  const failures = new Map<string, { statuses: number[]; match?: (r: FakeRequest) => boolean }>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = Buffer.concat(chunks).toString("utf8");
    let json: Record<string, unknown> | undefined;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const r: FakeRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body, json };
    requests.push(r);
    const fail = failures.get(url.pathname);
    if (fail?.statuses.length && (!fail.match || fail.match(r))) {
      res.writeHead(fail.statuses.shift()!, { "content-type": "application/json", "retry-after": "0" }).end('{"errcode":-1,"code":99991400,"msg":"too many requests"}');
      return;
    }
    const handler = routes.get(url.pathname);
    const out = handler ? handler(r) : { errcode: 0, code: 0 };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (path, statuses, match) => failures.set(path, { statuses: [...statuses], match }),
    route: (path, handler) => routes.set(path, handler),
    calls: (path) => requests.filter((r) => r.path === path),
    async waitFor(predicate, ms = 15_000) {
      const until = Date.now() + ms;
      while (!predicate(requests)) {
        if (Date.now() > until) throw new Error(`fake platform: condition not met in ${ms} ms; requests: ${requests.map((r) => r.path).join(", ")}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
