import { useEffect, useState, type ReactNode } from 'react';
import type { AlarmDto, AlarmsWidgetDto, DashboardDto, DashboardWidgetDto, DashboardsResponseDto, LogsQueryResultDto, LogsWidgetDto, MetricSeriesDto, MetricWidgetDto } from '../../../src/shared/index.js';
import { api, ApiError, qs } from '../lib/api.js';
import { formatCount, formatDuration } from '../lib/format.js';
import { setQuery, useLocation } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { TimeChart } from '../components/chart.js';
import { LogResultsTable } from '../components/log-results-table.js';
import { RangePicker, rangeOf } from '../components/range-picker.js';
import { EmptyState, Loading, PageHeader, ResourceState } from '../components/states.js';
import { StatusBadge } from '../components/status.js';

// Metrics and logs have no event: a widget is read again this often while it is on screen.
const REFRESH_MS = 15_000;

/** The dashboards declared in the app model (`dashboards`), each widget drawn with live data. */
export function DashboardsView() {
  const { query } = useLocation();
  const list = useResource<DashboardsResponseDto>('/api/v1/dashboards');
  const range = rangeOf(query.get('range'));
  const dashboards = list.data?.dashboards ?? [];
  const selected = dashboards.find((d) => d.name === query.get('name')) ?? dashboards[0];
  return (
    <>
      <PageHeader title="Dashboards" subtitle="The dashboards your app definition declares, with live metrics, logs and alarm states.">
        {dashboards.length > 1 ? (
          <select aria-label="Dashboard" className="select" value={selected?.name} onChange={(e) => setQuery({ name: e.target.value })}>
            {dashboards.map((d) => (
              <option key={d.name}>{d.name}</option>
            ))}
          </select>
        ) : null}
        <RangePicker value={range.id} onChange={(id) => setQuery({ range: id })} />
      </PageHeader>
      <ResourceState what="dashboards" loading={list.loading} error={list.error} missing={list.missing}>
        {selected === undefined ? (
          <EmptyState title="No dashboards declared">
            Add <code>dashboards: {'{ overview: { widgets: [...] } }'}</code> to <code>slipway.config.ts</code>.
          </EmptyState>
        ) : (
          <Dashboard key={`${selected.name}-${range.id}`} dashboard={selected} since={range.id} sinceMs={range.ms} />
        )}
      </ResourceState>
    </>
  );
}

function Dashboard({ dashboard, since, sinceMs }: { dashboard: DashboardDto; since: string; sinceMs: number }) {
  return (
    <div className="charts">
      {dashboard.widgets.map((w, i) => (
        <WidgetCard key={i} id={`widget-${dashboard.name}-${i}`} title={w.title || `Widget ${i + 1}`} note={noteOf(w, sinceMs)}>
          <Widget widget={w} since={since} />
        </WidgetCard>
      ))}
    </div>
  );
}

function noteOf(w: DashboardWidgetDto, sinceMs: number): string {
  if (w.type === 'metric') return `${w.stat} per ${formatDuration(w.periodMs)} · last ${formatDuration(sinceMs)}${Object.keys(w.dimensions).length ? ` · ${Object.entries(w.dimensions).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`;
  if (w.type === 'logs') return `last ${formatDuration(sinceMs)}`;
  return '';
}

function WidgetCard({ id, title, note, children }: { id: string; title: string; note: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <div className="card-head">
        <h2 id={id}>{title}</h2>
        {note ? <span className="muted small">{note}</span> : null}
      </div>
      <div className="card-body">{children}</div>
    </section>
  );
}

function Widget({ widget, since }: { widget: DashboardWidgetDto; since: string }) {
  switch (widget.type) {
    case 'metric':
      return <MetricWidget widget={widget} since={since} />;
    case 'logs':
      return <LogsWidget widget={widget} since={since} />;
    case 'alarms':
      return <AlarmsWidget widget={widget} />;
    case 'text':
      return <p style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{widget.markdown}</p>;
  }
}

/** Reads `load` now and every REFRESH_MS until unmounted or `key` changes. */
function usePolled<T>(key: string, load: () => Promise<T>): { data: T | undefined; problem: string | undefined } {
  const [data, setData] = useState<T | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      load().then(
        (d) => {
          if (cancelled) return;
          setData(d);
          setProblem(undefined);
          timer = setTimeout(read, REFRESH_MS);
        },
        (err: unknown) => !cancelled && setProblem(err instanceof ApiError ? (err.issues[0]?.message ?? err.message) : err instanceof Error ? err.message : String(err)),
      );
    };
    read();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // `key` names everything `load` reads.
  }, [key]);
  return { data, problem };
}

function MetricWidget({ widget, since }: { widget: MetricWidgetDto; since: string }) {
  const dims = Object.fromEntries(Object.entries(widget.dimensions).map(([k, v]) => [`dim.${k}`, v]));
  const path = `/api/v1/metrics/query${qs({ name: widget.metric, stat: widget.stat, period: `${widget.periodMs}ms`, since, ...dims })}`;
  const { data, problem } = usePolled(path, () => api<MetricSeriesDto>(path));
  if (problem) return <p className="error-text">{problem}</p>;
  if (data === undefined) return <Loading />;
  if (data.timestamps.length === 0) return <EmptyState title="No data points in this range" />;
  return <TimeChart label={widget.title} timestampsMs={[...data.timestamps]} series={[{ label: `${widget.metric} ${widget.stat}`, values: [...data.values], color: '#2456d6', fill: true }]} formatY={(v) => formatCount(v)} height={180} />;
}

function LogsWidget({ widget, since }: { widget: LogsWidgetDto; since: string }) {
  const { data, problem } = usePolled(`${widget.query}|${since}`, () => api<LogsQueryResultDto>('/api/v1/logs/query', { method: 'POST', body: { query: widget.query, since } }));
  if (problem) return <p className="error-text">{problem}</p>;
  if (data === undefined) return <Loading />;
  if (data.rows.length === 0) return <p className="muted">No log lines match in this range.</p>;
  return (
    <LogResultsTable result={data} />
  );
}

function AlarmsWidget({ widget }: { widget: AlarmsWidgetDto }) {
  const states = useResource<{ alarms: AlarmDto[] }>('/api/v1/alarms', { refreshOn: ['alarm'] });
  if (states.loading) return <Loading />;
  if (states.error) return <p className="error-text">{states.error.message}</p>;
  const byName = new Map((states.data?.alarms ?? []).map((a) => [a.name, a]));
  return (
    <ul className="steps">
      {widget.alarms.map((a) => {
        const s = byName.get(a.name);
        return (
          <li key={a.name} className="step">
            <StatusBadge state={s?.state ?? 'Unknown'} />
            <span className="step-name mono">{a.name}</span>
            <span className="muted small">{s?.muted ? 'muted' : a.kind}</span>
            {s?.reason || a.description ? <span className="muted small step-msg">{s?.reason || a.description}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}
