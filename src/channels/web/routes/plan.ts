/** GET /api/units/:ref and GET /api/targets: the plan's text and its targets ledger. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { filterTargets } from "../../../quiz/generate.js";
import { describeValue } from "../../../targets/describe.js";
import type { Target } from "../../../targets/types.js";
import { HttpError, JSON_TYPE, send, sendJson, type RequestContext } from "../http.js";
import { planParam, type RouteDeps, type Routes } from "./deps.js";

/** The plan routes; the unfiltered ledger is serialised once. */
export function planRoutes({ kb, engine }: RouteDeps): Routes {
  const units = kb.docs.flatMap((d) => d.units);
  // valueText reads as the plan frames the value (力争达到76.5%), for people; the raw fields stay for programs.
  const withHeading = (t: Target) => ({ ...t, heading: kb.retriever.unit(t.doc, t.ref)?.heading ?? "", valueText: describeValue(t) });
  const ledger = engine.targets.map(withHeading);
  const ledgerJson = JSON.stringify({ count: ledger.length, targets: ledger });

  function unit(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    let ref: string;
    try {
      ref = decodeURIComponent(ctx.params);
    } catch {
      throw new HttpError(400, ctx.m.badUnitRef);
    }
    const doc = ctx.query.get("doc");
    const docs = doc ? kb.docs.filter((d) => d.id === doc) : kb.docs;
    if (doc && docs.length === 0) throw new HttpError(404, ctx.m.noDocument(doc));
    const u = docs.map((d) => kb.retriever.unit(d.id, ref)).find(Boolean);
    if (!u) throw new HttpError(404, ctx.m.noUnit(ref, doc ?? undefined));
    sendJson(res, 200, { doc: u.doc, ref: u.ref, label: u.label, heading: u.heading, path: u.path, text: u.text, children: u.children });
  }

  /** The ledger, filtered as the quiz filters topics: a label (第5项, （六）) selects a unit and its children, other text is a keyword. */
  function targets(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    const q = ctx.query.get("q")?.trim().slice(0, 100);
    // An id, short name or 文号; one that names no plan is a 400 listing the plans.
    const doc = planParam(kb, ctx.query.get("doc"));
    if (!q && !doc) return send(res, 200, ledgerJson, { "Content-Type": JSON_TYPE, "Cache-Control": "no-store" });
    const hits = (q ? filterTargets(engine.targets, units, q) : engine.targets).filter((t) => !doc || t.doc === doc).map(withHeading);
    sendJson(res, 200, { count: hits.length, targets: hits });
  }

  /** Every unit in reading order with its depth, so the page can show a table of contents. */
  function toc(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    const doc = ctx.query.get("doc");
    const docs = doc ? kb.docs.filter((d) => d.id === doc) : kb.docs;
    if (doc && docs.length === 0) throw new HttpError(404, ctx.m.noDocument(doc));
    sendJson(res, 200, {
      documents: docs.map((d) => ({
        id: d.id,
        title: d.meta.title,
        units: d.units.filter((u) => u.ref !== "notice").map((u) => ({ ref: u.ref, label: u.label, heading: u.heading, depth: u.parents.length })),
      })),
    });
  }

  return [
    ["/api/toc", { method: "GET", handler: toc }],
    ["/api/units/", { method: "GET", handler: unit }],
    ["/api/targets", { method: "GET", handler: targets }],
  ];
}
