import type { Db } from '../../../core/index.js';
import { KIND_CODES, STATUS_CODES } from '../../store/span-columns.js';
import { nearestRank } from '../metrics/statistic.js';
import { findBrowserServices } from '../service-map/browser-services.js';

/** The web vitals a page reports (web-vitals' names); CLS has no unit, the others are ms. */
export const WEB_VITALS = ['LCP', 'CLS', 'INP', 'FID', 'TTFB', 'FCP'] as const;
/** One of {@link WEB_VITALS}. */
export type WebVitalName = (typeof WEB_VITALS)[number];

/** Percentiles of a set of durations, ms (nearest rank). */
export interface DurationStats {
  /** How many were measured. */
  readonly count: number;
  /** Median, ms. */
  readonly p50Ms: number;
  /** 99th percentile, ms. */
  readonly p99Ms: number;
}

/** One web vital of a route: its 75th percentile, the figure Core Web Vitals are judged by. */
export interface WebVitalStats {
  /** Reports. */
  readonly count: number;
  /** 75th percentile (nearest rank): ms, or the layout-shift score for CLS. */
  readonly p75: number;
  /** Reports the page rated `poor` (web-vitals' thresholds). */
  readonly poor: number;
}

/** How one route of the app's pages performs in the browsers that loaded it. */
export interface PagePerformance {
  /** The browser's service name (`telemetry.rum.serviceName`). */
  readonly service: string;
  /** The page's path (`page.route` on its spans). */
  readonly route: string;
  /** Page loads: `documentLoad` spans, their duration from navigation to the load event. */
  readonly documentLoad: DurationStats;
  /** The fetches the page made (client spans of the fetch instrumentation). */
  readonly fetch: DurationStats & {
    /** Fetches that failed or were answered 4xx/5xx. */
    readonly errors: number;
  };
  /** Web vitals by name; a vital nobody reported is absent. */
  readonly vitals: Partial<Record<WebVitalName, WebVitalStats>>;
}

class Durations {
  readonly values: number[] = [];
  stats(): DurationStats {
    const sorted = Float64Array.from(this.values).sort();
    return { count: sorted.length, p50Ms: nearestRank(sorted, 50) ?? 0, p99Ms: nearestRank(sorted, 99) ?? 0 };
  }
}

interface RouteAcc {
  readonly service: string;
  readonly route: string;
  readonly load: Durations;
  readonly fetch: Durations;
  fetchErrors: number;
  readonly vitals: Map<WebVitalName, { values: number[]; poor: number }>;
}

const isVital = (name: unknown): name is WebVitalName => typeof name === 'string' && (WEB_VITALS as readonly string[]).includes(name);

type Row = [string, string, number, number, number, number | null, string | null, string | null, number | null, string | null, string | null];

/**
 * Page performance per route of spans started in `[startMs, endMs)` by browsers (services whose
 * resource is a browser's): page loads (`documentLoad`), fetches (client spans with `url.full` or
 * `http.url`) and web vitals (`web-vital` spans with `web_vital.name`, `web_vital.value` and
 * `web_vital.rating`), grouped by `page.route`; spans without one count under `(unknown)`.
 * Sorted by service, then by page loads, most first, then route.
 */
export function pagePerformance(db: Db, startMs: number, endMs: number): PagePerformance[] {
  const browsers = [...findBrowserServices(db, startMs, endMs)];
  if (browsers.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT service, name, kind, duration_ms, status, http_status,
              json_extract(attributes, '$."page.route"'), json_extract(attributes, '$."web_vital.name"'),
              json_extract(attributes, '$."web_vital.value"'), json_extract(attributes, '$."web_vital.rating"'),
              coalesce(json_extract(attributes, '$."url.full"'), json_extract(attributes, '$."http.url"'))
       FROM spans WHERE start_ms >= ? AND start_ms < ? AND service IN (${browsers.map(() => '?').join(', ')})`,
    )
    .raw(true)
    .all(startMs, endMs, ...browsers) as Row[];
  const routes = new Map<string, RouteAcc>();
  for (const [service, name, kind, duration, status, http, route, vital, value, rating, url] of rows) {
    const r = route ?? '(unknown)';
    const key = `${service}\u0000${r}`;
    let acc = routes.get(key);
    if (acc === undefined) routes.set(key, (acc = { service, route: r, load: new Durations(), fetch: new Durations(), fetchErrors: 0, vitals: new Map() }));
    if (name === 'documentLoad') acc.load.values.push(duration);
    else if (name === 'web-vital' && isVital(vital) && typeof value === 'number' && Number.isFinite(value)) {
      let v = acc.vitals.get(vital);
      if (v === undefined) acc.vitals.set(vital, (v = { values: [], poor: 0 }));
      v.values.push(value);
      if (rating === 'poor') v.poor++;
    } else if (kind === KIND_CODES.Client && url !== null) {
      acc.fetch.values.push(duration);
      if (status === STATUS_CODES.Error || (http !== null && http >= 400)) acc.fetchErrors++;
    }
  }
  return [...routes.values()]
    .map(
      (a): PagePerformance => ({
        service: a.service,
        route: a.route,
        documentLoad: a.load.stats(),
        fetch: { ...a.fetch.stats(), errors: a.fetchErrors },
        vitals: Object.fromEntries(
          WEB_VITALS.flatMap((n) => {
            const v = a.vitals.get(n);
            return v === undefined ? [] : [[n, { count: v.values.length, p75: nearestRank(Float64Array.from(v.values).sort(), 75) ?? 0, poor: v.poor }]];
          }),
        ),
      }),
    )
    .sort((x, y) => x.service.localeCompare(y.service) || y.documentLoad.count - x.documentLoad.count || x.route.localeCompare(y.route));
}
