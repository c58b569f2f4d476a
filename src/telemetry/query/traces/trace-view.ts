import type { Attributes, Span, SpanEvent, SpanKind, SpanStatusCode } from '../../model/index.js';

/** One span of a trace view, in waterfall order. */
export interface TraceViewSpan {
  /** Span id. */
  readonly spanId: string;
  /** Parent span id; absent for a root (or a span whose parent was never received). */
  readonly parentSpanId?: string;
  /** Emitting service. */
  readonly service: string;
  /** Operation name. */
  readonly name: string;
  /** Kind. */
  readonly kind: SpanKind;
  /** Start, ms since the epoch. */
  readonly startMs: number;
  /** Start relative to the trace's start, ms. */
  readonly offsetMs: number;
  /** Duration, ms. */
  readonly durationMs: number;
  /** Duration minus the time covered by its children, ms. */
  readonly selfTimeMs: number;
  /** Depth in the tree; roots are 0. */
  readonly depth: number;
  /** Status. */
  readonly status: SpanStatusCode;
  /** Status message, when set. */
  readonly statusMessage?: string;
  /** Attributes. */
  readonly attributes: Attributes;
  /** Events. */
  readonly events: readonly SpanEvent[];
  /** True when the span is on the critical path. */
  readonly critical: boolean;
}

/** A failure seen in a trace. */
export interface TraceError {
  /** The span. */
  readonly spanId: string;
  /** Its service. */
  readonly service: string;
  /** Its operation. */
  readonly name: string;
  /** When, ms. */
  readonly timeMs: number;
  /** `exception.type`, when an exception event says. */
  readonly type?: string;
  /** `exception.message`, or the status message. */
  readonly message?: string;
}

/** What the trace page shows. */
export interface TraceView {
  /** Trace id. */
  readonly traceId: string;
  /** Service of the root span. */
  readonly rootService: string;
  /** Operation of the root span. */
  readonly rootOperation: string;
  /** Earliest start, ms. */
  readonly startMs: number;
  /** Latest end minus earliest start, ms. */
  readonly durationMs: number;
  /** Number of spans. */
  readonly spanCount: number;
  /** Spans as a tree in waterfall order (depth-first, children by start time). */
  readonly spans: TraceViewSpan[];
  /** Self time per service, largest first. */
  readonly services: { readonly service: string; readonly selfTimeMs: number; readonly spanCount: number }[];
  /** Span ids on the critical path, root first. */
  readonly criticalPath: string[];
  /** Exceptions (span events named `exception`) and failed spans without one. */
  readonly errors: TraceError[];
}

interface Node {
  readonly span: Span;
  readonly children: Node[];
}

/** Length of the union of intervals clipped to [from, to]. */
function coveredMs(intervals: [number, number][], from: number, to: number): number {
  const clipped = intervals.map(([a, b]): [number, number] => [Math.max(a, from), Math.min(b, to)]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let curA = -Infinity;
  let curB = -Infinity;
  for (const [a, b] of clipped) {
    if (a > curB) {
      if (curB > curA) total += curB - curA;
      curA = a;
      curB = b;
    } else if (b > curB) curB = b;
  }
  if (curB > curA) total += curB - curA;
  return total;
}

/**
 * The critical path below a node: walking back from its end, the child that
 * finishes last among those started before the cursor is on the path; the cursor
 * then moves to that child's start. What remains is the node's own work.
 */
function criticalPath(node: Node, out: Set<string>): void {
  out.add(node.span.spanId);
  const byEnd = [...node.children].sort((a, b) => b.span.endTimeMs - a.span.endTimeMs);
  let cursor = node.span.endTimeMs;
  for (const c of byEnd) {
    if (cursor <= node.span.startTimeMs) break;
    if (c.span.startTimeMs >= cursor) continue;
    criticalPath(c, out);
    cursor = c.span.startTimeMs;
  }
}

/** Builds the trace view of a trace's spans (any order). Pure. */
export function buildTraceView(traceId: string, spans: readonly Span[]): TraceView {
  const nodes = new Map<string, Node>(spans.map((s) => [s.spanId, { span: s, children: [] }]));
  const roots: Node[] = [];
  for (const n of nodes.values()) {
    const parent = n.span.parentSpanId === undefined ? undefined : nodes.get(n.span.parentSpanId);
    if (parent === undefined || parent === n) roots.push(n);
    else parent.children.push(n);
  }
  const byStart = (a: Node, b: Node) => a.span.startTimeMs - b.span.startTimeMs || a.span.spanId.localeCompare(b.span.spanId);
  roots.sort(byStart);
  for (const n of nodes.values()) n.children.sort(byStart);
  const startMs = Math.min(...spans.map((s) => s.startTimeMs));
  const endMs = Math.max(...spans.map((s) => s.endTimeMs));
  const critical = new Set<string>();
  const mainRoot = [...roots].sort((a, b) => (a.span.parentSpanId === undefined ? 0 : 1) - (b.span.parentSpanId === undefined ? 0 : 1) || byStart(a, b))[0];
  if (mainRoot !== undefined) criticalPath(mainRoot, critical);
  const out: TraceViewSpan[] = [];
  const selfByService = new Map<string, { selfTimeMs: number; spanCount: number }>();
  const visit = (n: Node, depth: number): void => {
    const s = n.span;
    const selfTimeMs = s.durationMs - coveredMs(n.children.map((c) => [c.span.startTimeMs, c.span.endTimeMs]), s.startTimeMs, s.endTimeMs);
    const agg = selfByService.get(s.service) ?? { selfTimeMs: 0, spanCount: 0 };
    agg.selfTimeMs += selfTimeMs;
    agg.spanCount++;
    selfByService.set(s.service, agg);
    out.push({
      spanId: s.spanId,
      ...(s.parentSpanId !== undefined ? { parentSpanId: s.parentSpanId } : {}),
      service: s.service,
      name: s.name,
      kind: s.kind,
      startMs: s.startTimeMs,
      offsetMs: s.startTimeMs - startMs,
      durationMs: s.durationMs,
      selfTimeMs,
      depth,
      status: s.statusCode,
      ...(s.statusMessage !== undefined ? { statusMessage: s.statusMessage } : {}),
      attributes: s.attributes,
      events: s.events,
      critical: critical.has(s.spanId),
    });
    for (const c of n.children) visit(c, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  const path = out.filter((s) => s.critical).map((s) => s.spanId);
  return {
    traceId,
    rootService: mainRoot?.span.service ?? '',
    rootOperation: mainRoot?.span.name ?? '',
    startMs,
    durationMs: endMs - startMs,
    spanCount: spans.length,
    spans: out,
    services: [...selfByService].map(([service, v]) => ({ service, ...v })).sort((a, b) => b.selfTimeMs - a.selfTimeMs || a.service.localeCompare(b.service)),
    criticalPath: path,
    errors: out.flatMap((s) => errorsOf(s)),
  };
}

function errorsOf(s: TraceViewSpan): TraceError[] {
  const base = { spanId: s.spanId, service: s.service, name: s.name };
  const exceptions = s.events
    .filter((e) => e.name === 'exception')
    .map((e): TraceError => {
      const type = e.attributes['exception.type'];
      const message = e.attributes['exception.message'];
      return { ...base, timeMs: e.timeMs, ...(typeof type === 'string' ? { type } : {}), ...(typeof message === 'string' ? { message } : {}) };
    });
  if (exceptions.length > 0 || s.status !== 'Error') return exceptions;
  return [{ ...base, timeMs: s.startMs + s.durationMs, ...(s.statusMessage !== undefined ? { message: s.statusMessage } : {}) }];
}
