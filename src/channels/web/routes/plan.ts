/** GET /api/units/:ref and GET /api/targets: the plan's text and its targets ledger. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { filterTargets } from "../../../quiz/generate.js";
import type { Target } from "../../../targets/types.js";
import { HttpError, JSON_TYPE, send, sendJson, type RequestContext } from "../http.js";
import type { RouteDeps, Routes } from "./deps.js";

/** The plan routes; the unfiltered ledger is serialised once. */
export function planRoutes({ kb, engine }: RouteDeps): Routes {
  const units = kb.docs.flatMap((d) => d.units);
  const withHeading = (t: Target) => ({ ...t, heading: kb.retriever.unit(t.doc, t.ref)?.heading ?? "" });
  const ledger = engine.targets.map(withHeading);
  const ledgerJson = JSON.stringify({ count: ledger.length, targets: ledger });

  function unit(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    let ref: string;
    try {
      ref = decodeURIComponent(ctx.params);
    } catch {
      throw new HttpError(400, "the unit ref is not valid URL encoding (e.g. task%3A5)");
    }
    const doc = ctx.query.get("doc");
    const docs = doc ? kb.docs.filter((d) => d.id === doc) : kb.docs;
    if (doc && docs.length === 0) throw new HttpError(404, `no document ${doc}`);
    const u = docs.map((d) => kb.retriever.unit(d.id, ref)).find(Boolean);
    if (!u) throw new HttpError(404, `no unit ${ref}${doc ? ` in ${doc}` : ""}`);
    sendJson(res, 200, { doc: u.doc, ref: u.ref, label: u.label, heading: u.heading, path: u.path, text: u.text, children: u.children });
  }

  /** The ledger, filtered as the quiz filters topics: a label (第5项, （六）) selects a unit and its children, other text is a keyword. */
  function targets(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    const q = ctx.query.get("q")?.trim().slice(0, 100);
    if (!q) return send(res, 200, ledgerJson, { "Content-Type": JSON_TYPE, "Cache-Control": "no-store" });
    const hits = filterTargets(engine.targets, units, q).map(withHeading);
    sendJson(res, 200, { count: hits.length, targets: hits });
  }

  return [
    ["/api/units/", { method: "GET", handler: unit }],
    ["/api/targets", { method: "GET", handler: targets }],
  ];
}
