import type { EventDto } from '../../../src/shared/index.js';

/** Weights per revision over time, as step series for a chart. */
export interface TrafficHistory {
  readonly timestampsMs: number[];
  readonly revisions: { readonly revision: string; readonly values: number[] }[];
}

/** The environment, service and new weights a traffic event carries, if it is one. */
export function readTrafficEvent(e: EventDto): { environment: string; service: string; weights: Record<string, number> } | undefined {
  if (e.type !== 'service.traffic.shifted' && e.type !== 'deployment.traffic.shifted') return undefined;
  const d = e.data;
  const weights = (d.to ?? d.weights) as Record<string, number> | undefined;
  if (typeof d.environment !== 'string' || typeof d.service !== 'string' || weights === undefined || typeof weights !== 'object') return undefined;
  return { environment: d.environment, service: d.service, weights };
}

/**
 * Builds the traffic split of one service over time from its traffic events
 * (in sequence order), holding the last split until `nowMs`. A revision absent
 * from a split has 0 %.
 */
export function buildTrafficHistory(events: readonly EventDto[], environment: string, service: string, nowMs: number): TrafficHistory {
  const points: { t: number; weights: Record<string, number> }[] = [];
  for (const e of events) {
    const t = readTrafficEvent(e);
    if (t && t.environment === environment && t.service === service) {
      const before = e.data.from as Record<string, number> | undefined;
      // The split before the first shift is known too: it starts the chart.
      if (points.length === 0 && before && Object.keys(before).length > 0) points.push({ t: e.timeMs - 1, weights: before });
      points.push({ t: e.timeMs, weights: t.weights });
    }
  }
  const last = points.at(-1);
  if (last && last.t < nowMs) points.push({ t: nowMs, weights: last.weights });
  const names: string[] = [];
  for (const p of points) for (const r of Object.keys(p.weights)) if (!names.includes(r)) names.push(r);
  return {
    timestampsMs: points.map((p) => p.t),
    revisions: names.map((revision) => ({ revision, values: points.map((p) => p.weights[revision] ?? 0) })),
  };
}
