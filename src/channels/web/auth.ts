/** Bearer-token check for /api/ routes (on when API_TOKEN is set). */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Messages } from "../../answer/messages.js";
import { HttpError } from "./http.js";

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** Returns a guard that throws 401 unless the request carries the token; a no-op without a token. */
export function createAuth(token: string | undefined): (req: IncomingMessage, m: Messages) => void {
  if (!token) return () => {};
  const digest = sha256(token);
  return (req, m) => {
    if (!authorized(req.headers.authorization, digest)) {
      throw new HttpError(401, m.unauthorized, { "WWW-Authenticate": 'Bearer realm="policybot"' });
    }
  };
}

/** Compares digests, so the time taken says nothing about the token (not even its length). */
function authorized(header: string | undefined, digest: Buffer): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  return timingSafeEqual(sha256(m?.[1] ?? ""), digest) && Boolean(m);
}
