/** The page's static files (index.html, app.js, style.css), read once at start-up and served with ETags. */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { messages } from "../../answer/messages.js";
import { HttpError, JSON_TYPE, notAllowed, requestLang, send } from "./http.js";

interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".json": JSON_TYPE, ".txt": "text/plain; charset=utf-8",
};

/** Serves `/` (index.html) and `/assets/<file>` from memory; anything else is 404. */
export function createStatic(publicDir?: string): (req: IncomingMessage, res: ServerResponse, path: string) => void {
  const statics = loadStatic(publicDir ?? findPublicDir());
  return (req, res, path) => {
    const file = path === "/" || path === "/index.html" ? statics.get("index.html") : path.startsWith("/assets/") ? statics.get(path.slice(8)) : undefined;
    if (!file || (path.startsWith("/assets/") && path.endsWith(".html"))) throw new HttpError(404, messages(requestLang(req)).notFound(path.slice(0, 200)));
    if (req.method !== "GET" && req.method !== "HEAD") return notAllowed("GET", messages(requestLang(req)));
    if (req.headers["if-none-match"] === file.etag) return send(res, 304, "", { ETag: file.etag });
    send(res, 200, file.body, { "Content-Type": file.type, ETag: file.etag, "Cache-Control": "no-cache" });
  };
}

function findPublicDir(): string {
  const here = fileURLToPath(new URL("./public/", import.meta.url));
  // tsc does not copy the page into dist/, so a compiled server serves it from src/.
  const fromDist = fileURLToPath(new URL("../../../../src/channels/web/public/", import.meta.url));
  const dir = [here, fromDist].find((d) => existsSync(join(d, "index.html")));
  if (!dir) throw new Error(`web: the page is missing (looked for index.html in ${here} and ${fromDist})`);
  return dir;
}

function loadStatic(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const body = readFileSync(path);
    files.set(name, { body, type: TYPES[extname(name)] ?? "application/octet-stream", etag: `"${createHash("sha1").update(body).digest("base64url")}"` });
  }
  if (!files.has("index.html")) throw new Error(`web: ${dir} has no index.html`);
  return files;
}
