import { qs } from '../lib/api.js';
import { formatCount, formatDuration } from '../lib/format.js';
import { Link, setQuery, useLocation } from '../lib/router.js';
import type { PagePerformanceDto, RumPagesDto, WebVitalStatsDto } from '../../../src/shared/index.js';
import { useResource } from '../lib/use-resource.js';
import { rangeOf, RangePicker } from '../components/range-picker.js';
import { EmptyState, PageHeader, ResourceState } from '../components/states.js';

type VitalName = keyof PagePerformanceDto['vitals'];

/** The vitals shown, with web.dev's "good" and "poor" thresholds (ms; a score for CLS). */
const VITALS: readonly { name: VitalName; title: string; good: number; poor: number; unit: 'ms' | 'score' }[] = [
  { name: 'LCP', title: 'Largest contentful paint', good: 2500, poor: 4000, unit: 'ms' },
  { name: 'INP', title: 'Interaction to next paint', good: 200, poor: 500, unit: 'ms' },
  { name: 'CLS', title: 'Cumulative layout shift', good: 0.1, poor: 0.25, unit: 'score' },
  { name: 'TTFB', title: 'Time to first byte', good: 800, poor: 1800, unit: 'ms' },
  { name: 'FCP', title: 'First contentful paint', good: 1800, poor: 3000, unit: 'ms' },
];

/** The tone of a vital's p75 against its thresholds. */
export function vitalTone(p75: number, v: { good: number; poor: number }): 'ok' | 'wait' | 'fail' {
  return p75 <= v.good ? 'ok' : p75 <= v.poor ? 'wait' : 'fail';
}

function Vital({ stats, vital }: { stats: WebVitalStatsDto | undefined; vital: (typeof VITALS)[number] }) {
  if (stats === undefined) return <td className="num muted">–</td>;
  const tone = vitalTone(stats.p75, vital);
  const value = vital.unit === 'ms' ? formatDuration(stats.p75) : stats.p75.toFixed(3);
  return (
    <td className={`num tone-text-${tone}`} data-vital={vital.name} title={`${vital.title}: p75 of ${formatCount(stats.count)} reports, ${formatCount(stats.poor)} rated poor`}>
      {value}
    </td>
  );
}

/**
 * Page performance from real browsers (real-user monitoring): per route, page loads with their
 * p50/p99 duration, the page's fetches (p50/p99, errors) and the p75 of each web vital, coloured
 * by web.dev's thresholds.
 */
export function PagesView() {
  const { query } = useLocation();
  const range = rangeOf(query.get('range'));
  const pages = useResource<RumPagesDto>(`/api/v1/rum/pages${qs({ since: range.id })}`);
  const list = pages.data?.pages ?? [];
  return (
    <>
      <PageHeader title="Pages" subtitle="How the app's pages perform in real browsers: loads, fetches and web vitals per route.">
        <button type="button" className="btn" onClick={pages.reload}>
          Refresh
        </button>
        <RangePicker value={range.id} onChange={(id) => setQuery({ range: id })} />
      </PageHeader>
      <ResourceState what="page performance" loading={pages.loading} error={pages.error} missing={pages.missing}>
        {list.length === 0 ? (
          <EmptyState title="No page views in this range">
            Pages appear here once browsers send their traces: set <code>telemetry.rum</code> in the app model.
          </EmptyState>
        ) : (
          <section className="card" aria-labelledby="page-performance">
            <div className="card-head">
              <h2 id="page-performance">Page performance</h2>
              <span className="muted small">vitals are the 75th percentile</span>
            </div>
            <div className="table-wrap">
              <table className="table compact">
                <thead>
                  <tr>
                    <th scope="col">Route</th>
                    <th scope="col" className="num">Loads</th>
                    <th scope="col" className="num">Load p50</th>
                    <th scope="col" className="num">Load p99</th>
                    <th scope="col" className="num">Fetches</th>
                    <th scope="col" className="num">Fetch p50</th>
                    <th scope="col" className="num">Fetch p99</th>
                    <th scope="col" className="num">Fetch errors</th>
                    {VITALS.map((v) => (
                      <th key={v.name} scope="col" className="num" title={v.title}>
                        {v.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={`${p.service}${p.route}`} data-route={p.route}>
                      <th scope="row">
                        <Link to={`/traces${qs({ service: p.service })}`}>
                          <span className="muted">{p.service}</span> <span className="mono">{p.route}</span>
                        </Link>
                      </th>
                      <td className="num">{formatCount(p.documentLoad.count)}</td>
                      <td className="num">{p.documentLoad.count > 0 ? formatDuration(p.documentLoad.p50Ms) : '–'}</td>
                      <td className="num">{p.documentLoad.count > 0 ? formatDuration(p.documentLoad.p99Ms) : '–'}</td>
                      <td className="num">{formatCount(p.fetch.count)}</td>
                      <td className="num">{p.fetch.count > 0 ? formatDuration(p.fetch.p50Ms) : '–'}</td>
                      <td className="num">{p.fetch.count > 0 ? formatDuration(p.fetch.p99Ms) : '–'}</td>
                      <td className={`num${p.fetch.errors > 0 ? ' tone-text-fail' : ''}`}>{formatCount(p.fetch.errors)}</td>
                      {VITALS.map((v) => (
                        <Vital key={v.name} stats={p.vitals[v.name]} vital={v} />
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
      </ResourceState>
    </>
  );
}
