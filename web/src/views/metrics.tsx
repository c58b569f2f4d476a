import { useEffect, useMemo, useState } from 'react';
import { firstEnvironment, useBusiestService } from '../lib/busiest-service.js';
import { api, ApiError, qs } from '../lib/api.js';
import { formatCount, formatDuration } from '../lib/format.js';
import { setQuery, useLocation } from '../lib/router.js';
import type { EnvironmentsDto, MetricQueryResultDto } from '../../../src/shared/index.js';
import { useResource } from '../lib/use-resource.js';
import { TimeChart, type ChartSeries } from '../components/chart.js';
import { RangePicker, rangeOf } from '../components/range-picker.js';
import { EmptyState, Loading, PageHeader } from '../components/states.js';

/** The automatic dashboard of a service: the router's ALB-named metrics for it. */
const PANELS = [
  { id: 'requests', title: 'Requests', queries: [{ label: 'requests', name: 'RequestCount', stat: 'Sum', color: '#2456d6' }], format: (v: number) => formatCount(v) },
  {
    id: 'errors',
    title: 'Errors',
    queries: [
      { label: '5xx (target)', name: 'HTTPCode_Target_5XX_Count', stat: 'Sum', color: '#c42b2b' },
      { label: '4xx (target)', name: 'HTTPCode_Target_4XX_Count', stat: 'Sum', color: '#b26a00' },
    ],
    format: (v: number) => formatCount(v),
  },
  {
    id: 'latency',
    title: 'Latency',
    queries: [
      { label: 'p50', name: 'TargetResponseTime', stat: 'p50', color: '#0d9488' },
      { label: 'p99', name: 'TargetResponseTime', stat: 'p99', color: '#8b5cf6' },
    ],
    // TargetResponseTime is in seconds, as on AWS.
    format: (v: number) => formatDuration(v * 1000),
  },
] as const;

// Metrics have no event: a chart is read again once per period while it is on screen.
const REFRESH_MS = 15_000;

interface PanelData {
  readonly timestampsMs: number[];
  readonly series: ChartSeries[];
}

/** Per-service charts (requests, errors, p50/p99 latency) with a time range picker. */
export function MetricsView() {
  const { query } = useLocation();
  const envs = useResource<EnvironmentsDto>('/api/v1/environments');
  const options = useMemo(() => (envs.data?.environments ?? []).flatMap((e) => e.services.map((s) => `${e.name}/${s.name}`)), [envs.data]);
  const range = rangeOf(query.get('range'));
  const first = useMemo(() => firstEnvironment(envs.data), [envs.data]);
  const busiest = useBusiestService(query.get('service') === null ? first : undefined, range.id);
  const fallback = first === undefined || first.services[0] === undefined ? options[0] : `${first.name}/${first.services[0].name}`;
  const selected = query.get('service') ?? (busiest === undefined ? fallback : `${first!.name}/${busiest}`);
  const [environment = '', service = ''] = (selected ?? '').split('/');

  return (
    <>
      <PageHeader title="Metrics" subtitle="Requests, errors and latency of a service, as its router measures them.">
        {options.length > 0 ? (
          <select aria-label="Service" className="select" value={selected} onChange={(e) => setQuery({ service: e.target.value })}>
            {options.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        ) : null}
        <RangePicker value={range.id} onChange={(id) => setQuery({ range: id })} />
      </PageHeader>
      {envs.loading ? (
        <Loading />
      ) : selected === undefined ? (
        <EmptyState title="No services">Start an application with <code>slipway up</code>.</EmptyState>
      ) : (
        <div className="charts">
          {PANELS.map((p) => (
            <MetricPanel key={`${p.id}-${selected}-${range.id}`} panel={p} environment={environment} service={service} sinceMs={range.ms} since={range.id} period={range.period} />
          ))}
        </div>
      )}
    </>
  );
}

/** The environment the view opens on: production when there is one, else the last listed (the one closest to users). */

function MetricPanel({ panel, environment, service, since, period, sinceMs }: { panel: (typeof PANELS)[number]; environment: string; service: string; since: string; period: string; sinceMs: number }) {
  const [data, setData] = useState<PanelData | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      Promise.all(panel.queries.map((q) => api<MetricQueryResultDto>(`/api/v1/metrics/query${qs({ name: q.name, stat: q.stat, period, since, 'dim.environment': environment, 'dim.service': service })}`))).then(
        (results) => {
          if (cancelled) return;
          const times = [...new Set(results.flatMap((r) => r.timestamps))].sort((a, b) => a - b);
          setData({
            timestampsMs: times,
            series: results.map((r, i) => {
              const byTime = new Map(r.timestamps.map((t, j) => [t, r.values[j] ?? null]));
              const q = panel.queries[i]!;
              return { label: q.label, color: q.color, values: times.map((t) => byTime.get(t) ?? null), fill: panel.queries.length === 1 };
            }),
          });
          timer = setTimeout(read, REFRESH_MS);
        },
        (err: unknown) => !cancelled && setProblem(err instanceof ApiError && err.routeMissing ? 'missing' : err instanceof Error ? err.message : String(err)),
      );
    };
    read();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [panel, environment, service, since, period]);

  return (
    <section className="card" aria-labelledby={`panel-${panel.id}`}>
      <div className="card-head">
        <h2 id={`panel-${panel.id}`}>{panel.title}</h2>
        <span className="muted small">
          per {period} · last {formatDuration(sinceMs)}
        </span>
      </div>
      <div className="card-body">
        {problem === 'missing' ? (
          <EmptyState title="No metrics on this server yet">The view fills in as soon as the control plane serves metrics.</EmptyState>
        ) : problem ? (
          <p className="error-text">{problem}</p>
        ) : data === undefined ? (
          <Loading />
        ) : data.timestampsMs.length === 0 ? (
          <EmptyState title="No data points in this range" />
        ) : (
          <TimeChart label={`${panel.title} of ${service} in ${environment}`} timestampsMs={data.timestampsMs} series={data.series} formatY={panel.format} height={180} />
        )}
      </div>
    </section>
  );
}
