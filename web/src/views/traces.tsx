import { useEffect, useState, type CSSProperties, type FormEvent } from 'react';
import { api, qs } from '../lib/api.js';
import { formatDuration, formatTime } from '../lib/format.js';
import { Link, setQuery, useLocation } from '../lib/router.js';
import type { LogsQueryResultDto, SlowQueriesDto, TraceDto, TraceSearchDto, TraceSpanDto } from '../../../src/shared/index.js';
import { LogResultsTable } from '../components/log-results-table.js';
import { useResource } from '../lib/use-resource.js';
import { rangeOf, RangePicker } from '../components/range-picker.js';
import { EmptyState, PageHeader, ResourceState } from '../components/states.js';
import { StatusBadge } from '../components/status.js';

/** Trace search, results, one trace as a waterfall with span details, and the slowest queries. */
export function TracesView() {
  const { query } = useLocation();
  const trace = query.get('trace');
  return trace ? <TraceDetail id={trace} /> : <TraceSearch />;
}

function TraceSearch() {
  const { query } = useLocation();
  const service = query.get('service') ?? '';
  const minDuration = query.get('minDurationMs') ?? '';
  const errorsOnly = query.get('status') === 'Error';
  const range = rangeOf(query.get('range'));
  const [draft, setDraft] = useState({ service, minDuration });
  const search = useResource<TraceSearchDto>(`/api/v1/traces${qs({ service: service || undefined, minDurationMs: minDuration || undefined, status: errorsOnly ? 'Error' : undefined, since: range.id, limit: 50 })}`);
  const slow = useResource<SlowQueriesDto>(`/api/v1/traces/slow-queries${qs({ since: range.id, limit: 10 })}`);
  const traces = search.data?.traces ?? [];
  const queries = slow.data?.queries ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery({ service: draft.service.trim(), minDurationMs: draft.minDuration.trim() });
  };
  const longest = Math.max(1, ...traces.map((t) => t.durationMs));

  return (
    <>
      <PageHeader title="Traces" subtitle="Requests as they crossed the services.">
        <RangePicker value={range.id} onChange={(id) => setQuery({ range: id })} />
      </PageHeader>
      <form className="toolbar" role="search" aria-label="Search traces" onSubmit={submit}>
        <label className="field">
          <span>Service</span>
          <input value={draft.service} onChange={(e) => setDraft({ ...draft, service: e.target.value })} placeholder="any" />
        </label>
        <label className="field">
          <span>Slower than (ms)</span>
          <input type="number" min={0} value={draft.minDuration} onChange={(e) => setDraft({ ...draft, minDuration: e.target.value })} placeholder="0" />
        </label>
        <label className="row small check">
          <input type="checkbox" checked={errorsOnly} onChange={(e) => setQuery({ status: e.target.checked ? 'Error' : undefined })} /> Errors only
        </label>
        <button type="submit" className="btn btn-primary">
          Search
        </button>
      </form>
      <section className="card" aria-labelledby="trace-results">
        <div className="card-head">
          <h2 id="trace-results">Traces</h2>
          <button type="button" className="btn" onClick={search.reload}>
            Refresh
          </button>
        </div>
        <ResourceState what="traces" loading={search.loading} error={search.error} missing={search.missing}>
          {traces.length === 0 ? (
            <p className="muted pad">No traces match in this range.</p>
          ) : (
            <div className="table-wrap">
              <table className="table compact">
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Entry</th>
                    <th scope="col" className="num">
                      Spans
                    </th>
                    <th scope="col">Duration</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {traces.map((t) => (
                    <tr key={t.traceId}>
                      <td className="mono">{formatTime(t.startMs)}</td>
                      <th scope="row">
                        <Link to={`/traces?trace=${t.traceId}`}>
                          <span className="muted">{t.rootService}</span> {t.rootOperation}
                        </Link>
                      </th>
                      <td className="num">{t.spanCount}</td>
                      <td className="duration-cell">
                        <span className="duration-bar" style={{ width: `${(t.durationMs / longest) * 100}%` }} aria-hidden="true" />
                        <span className="mono">{formatDuration(t.durationMs)}</span>
                      </td>
                      <td>
                        <StatusBadge state={t.error ? 'Error' : 'OK'} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ResourceState>
      </section>
      <section className="card" aria-labelledby="slow-queries">
        <div className="card-head">
          <h2 id="slow-queries">Slow queries</h2>
          <span className="muted small">database statements by total time</span>
        </div>
        <ResourceState what="slow queries" loading={slow.loading} error={slow.error} missing={slow.missing}>
          {queries.length === 0 ? (
            <p className="muted pad">No database calls in this range.</p>
          ) : (
            <div className="table-wrap">
              <table className="table compact">
                <thead>
                  <tr>
                    <th scope="col">Statement</th>
                    <th scope="col" className="num">
                      Calls
                    </th>
                    <th scope="col" className="num">
                      p50
                    </th>
                    <th scope="col" className="num">
                      p99
                    </th>
                    <th scope="col" className="num">
                      Total
                    </th>
                    <th scope="col">Example</th>
                  </tr>
                </thead>
                <tbody>
                  {queries.map((q) => (
                    <tr key={q.statement}>
                      <td className="mono msg">{q.statement}</td>
                      <td className="num">{q.count}</td>
                      <td className="num">{formatDuration(q.p50Ms)}</td>
                      <td className="num">{formatDuration(q.p99Ms)}</td>
                      <td className="num">{formatDuration(q.totalMs)}</td>
                      <td>{q.exampleTraceId ? <Link to={`/traces?trace=${q.exampleTraceId}`}>trace</Link> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ResourceState>
      </section>
    </>
  );
}

/** The Logs Insights query of a trace's log lines. */
const traceLogsQuery = (traceId: string): string => `fields @timestamp, @logStream, @message, @spanId\n| filter @traceId = "${traceId}"\n| sort @timestamp asc\n| limit 200`;
// Lines are timed when they are read, which can trail the span a little.
const LOG_SLACK_MS = 60_000;

/** The log lines written in a trace (`@traceId`), from a minute before it starts to a minute after it ends. */
function TraceLogs({ trace }: { trace: TraceDto }) {
  const [logs, setLogs] = useState<{ result?: LogsQueryResultDto; error?: string }>({});
  const query = traceLogsQuery(trace.traceId);
  useEffect(() => {
    let cancelled = false;
    api<LogsQueryResultDto>('/api/v1/logs/query', { method: 'POST', body: { query, startMs: trace.startMs - LOG_SLACK_MS, endMs: trace.startMs + trace.durationMs + LOG_SLACK_MS } }).then(
      (result) => !cancelled && setLogs({ result }),
      (err: unknown) => !cancelled && setLogs({ error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      cancelled = true;
    };
  }, [query, trace.startMs, trace.durationMs]);
  const rows = logs.result?.rows.length ?? 0;
  return (
    <section className="card" aria-labelledby="trace-logs">
      <header className="card-head">
        <h2 id="trace-logs">{logs.result ? `Logs of this trace (${rows}${rows === 200 ? '+' : ''})` : 'Logs of this trace'}</h2>
        <Link to={`/logs${qs({ q: query, range: '24h' })}`}>Open in Logs</Link>
      </header>
      {logs.error ? (
        <p className="muted pad" role="alert">
          {logs.error}
        </p>
      ) : !logs.result ? (
        <p className="muted pad">Loading…</p>
      ) : rows === 0 ? (
        <p className="muted pad">No log line carries this trace's id.</p>
      ) : (
        <LogResultsTable result={logs.result} />
      )}
    </section>
  );
}

function TraceDetail({ id }: { id: string }) {
  const trace = useResource<TraceDto>(`/api/v1/traces/${encodeURIComponent(id)}`);
  const [picked, setPicked] = useState<string | undefined>();
  const t = trace.data;
  const span = t?.spans.find((s) => s.spanId === picked) ?? t?.spans.find((s) => s.status === 'Error') ?? t?.spans[0];
  return (
    <>
      <PageHeader
        title={t ? `${t.rootService} ${t.rootOperation}` : 'Trace'}
        subtitle={
          <>
            <a href="/traces" onClick={(e) => (e.preventDefault(), history.back())}>
              ← Traces
            </a>{' '}
            · <span className="mono">{id}</span>
            {t ? ` · ${formatDuration(t.durationMs)} · ${t.spanCount} spans · ${formatTime(t.startMs)}` : ''}
          </>
        }
      />
      <ResourceState what="this trace" loading={trace.loading} error={trace.error} missing={trace.missing}>
        {t ? (
          <>
            {(t.errors ?? []).length > 0 ? (
              <div className="error-box" role="alert">
                {(t.errors ?? []).map((e) => (
                  <div key={e.spanId}>
                    <strong>
                      {e.service} {e.name}
                    </strong>
                    : {e.type ? `${e.type}: ` : ''}
                    {e.message ?? 'failed'}
                  </div>
                ))}
              </div>
            ) : null}
            <div className="trace-layout">
              <Waterfall trace={t} selected={span?.spanId} onSelect={setPicked} />
              {span ? <SpanDetails span={span} /> : null}
            </div>
            <TraceLogs trace={t} />
          </>
        ) : (
          <EmptyState title="No such trace" />
        )}
      </ResourceState>
    </>
  );
}

/** Where a bar's duration label goes: after the bar, before it when the bar ends near the right edge, or inside a bar that spans nearly everything. */
function labelAt(s: TraceSpanDto, total: number): { style: CSSProperties; inside: boolean } {
  const start = s.offsetMs / total;
  const end = (s.offsetMs + s.durationMs) / total;
  if (end < 0.8) return { style: { left: `calc(${end * 100}% + 4px)` }, inside: false };
  if (start > 0.2) return { style: { right: `calc(${(1 - start) * 100}% + 4px)` }, inside: false };
  return { style: { right: `calc(${(1 - end) * 100}% + 6px)` }, inside: true };
}

const SERVICE_COLORS = ['#2456d6', '#0d9488', '#8b5cf6', '#d97706', '#db2777', '#0891b2', '#65a30d'];

function Waterfall({ trace, selected, onSelect }: { trace: TraceDto; selected: string | undefined; onSelect: (id: string) => void }) {
  const services = [...new Set(trace.spans.map((s) => s.service))];
  const total = Math.max(trace.durationMs, 0.001);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <section className="card waterfall" aria-label="Waterfall">
      <div className="wf-head">
        <span>Span</span>
        <span className="wf-axis">
          {ticks.map((f) => (
            <span key={f} style={{ left: `${f * 100}%` }}>
              {formatDuration(total * f)}
            </span>
          ))}
        </span>
      </div>
      <ol className="wf-rows">
        {trace.spans.map((s) => {
          const color = SERVICE_COLORS[services.indexOf(s.service) % SERVICE_COLORS.length];
          return (
            <li key={s.spanId}>
              <button type="button" className={`wf-row${s.spanId === selected ? ' on' : ''}`} onClick={() => onSelect(s.spanId)} aria-pressed={s.spanId === selected} aria-label={`${s.service} ${s.name}, ${formatDuration(s.durationMs)}${s.status === 'Error' ? ', failed' : ''}`}>
                <span className="wf-name" style={{ paddingLeft: `${s.depth * 14}px` }}>
                  <span className="wf-svc" style={{ color }}>
                    {s.service}
                  </span>{' '}
                  {s.name}
                </span>
                <span className="wf-track">
                  <span
                    className={`wf-bar${s.status === 'Error' ? ' err' : ''}${s.critical ? ' crit' : ''}`}
                    style={{ left: `${(s.offsetMs / total) * 100}%`, width: `max(2px, ${(s.durationMs / total) * 100}%)`, background: s.status === 'Error' ? undefined : color }}
                  />
                  <span className={`wf-dur${labelAt(s, total).inside ? ' inside' : ''}`} style={labelAt(s, total).style}>
                    {formatDuration(s.durationMs)}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      <p className="muted small pad">Outlined bars are on the critical path; red bars failed.</p>
    </section>
  );
}

function SpanDetails({ span }: { span: TraceSpanDto }) {
  const attrs = Object.entries(span.attributes);
  return (
    <section className="card span-details" aria-labelledby="span-title">
      <div className="card-head">
        <h2 id="span-title">
          {span.service} · {span.name}
        </h2>
        <StatusBadge state={span.status === 'Unset' ? 'OK' : span.status} />
      </div>
      <dl className="facts">
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(span.durationMs)}</dd>
        </div>
        <div>
          <dt>Self time</dt>
          <dd>{formatDuration(span.selfTimeMs)}</dd>
        </div>
        <div>
          <dt>Starts at</dt>
          <dd>+{formatDuration(span.offsetMs)}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{span.kind}</dd>
        </div>
      </dl>
      {span.statusMessage ? <p className="pad error-text">{span.statusMessage}</p> : null}
      {attrs.length > 0 ? (
        <table className="table compact kv">
          <tbody>
            {attrs.map(([k, v]) => (
              <tr key={k}>
                <th scope="row" className="mono">
                  {k}
                </th>
                <td className="mono msg">{typeof v === 'string' ? v : JSON.stringify(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {span.events.length > 0 ? (
        <>
          <h3 className="pad">Events</h3>
          <ul className="steps">
            {span.events.map((e, i) => (
              <li key={i} className="pad small">
                <strong>{e.name}</strong> <span className="muted mono">{Object.keys(e.attributes).length > 0 ? JSON.stringify(e.attributes) : ''}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
