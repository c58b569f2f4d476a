import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { api, ApiError } from '../lib/api.js';
import { formatCount } from '../lib/format.js';
import { setQuery, useLocation } from '../lib/router.js';
import type { LogCellValue, LogsQueryResultDto } from '../../../src/shared/index.js';
import { TimeChart } from '../components/chart.js';
import { LogResultsTable } from '../components/log-results-table.js';
import { RangePicker, rangeOf } from '../components/range-picker.js';
import { EmptyState, Loading, PageHeader } from '../components/states.js';

const DEFAULT_QUERY = 'fields @timestamp, @logStream, @message, @traceId\n| sort @timestamp desc\n| limit 200';
const EXAMPLES = [
  { label: 'Errors', query: 'fields @timestamp, @logStream, @message\n| filter @message like /(?i)error/\n| sort @timestamp desc\n| limit 100' },
  { label: 'Count by stream', query: 'stats count(*) as lines by @logStream\n| sort lines desc' },
  { label: 'Lines per minute', query: 'stats count(*) as lines by bin(1m)' },
];

/** Where a query error points: `line 1, col 23: expected …`. */
export function parseQueryError(message: string): { line: number; column: number; detail: string } | undefined {
  const m = /^line (\d+), col (\d+): (.*)$/s.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]), detail: m[3] ?? '' } : undefined;
}

function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
  return Math.min(text.length, offset + column - 1);
}

/** A `@timestamp` cell as ms: a number, or `2024-05-01 12:00:00.000` (UTC) / ISO text. */
function timeOf(v: LogCellValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const iso = v.includes('T') ? v : `${v.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? '' : 'Z'}`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Rows per time bin, for the histogram above the results. */
function histogram(rows: LogsQueryResultDto['rows'], rangeMs: number, endMs: number): { timestampsMs: number[]; counts: number[] } | undefined {
  const times = rows.map((r) => timeOf(r['@timestamp'])).filter((t): t is number => t !== undefined);
  if (times.length === 0) return undefined;
  const bins = 60;
  const size = Math.max(1000, Math.ceil(rangeMs / bins / 1000) * 1000);
  const start = Math.floor((endMs - rangeMs) / size) * size;
  const counts = new Array<number>(Math.ceil((endMs - start) / size) + 1).fill(0);
  for (const t of times) {
    const i = Math.floor((t - start) / size);
    if (i >= 0 && i < counts.length) counts[i] = (counts[i] ?? 0) + 1;
  }
  return { timestampsMs: counts.map((_, i) => start + i * size), counts };
}

/** A Logs Insights editor: the query, its results as a table, and a histogram of the matching lines. */
export function LogsView() {
  const { query: params } = useLocation();
  const range = rangeOf(params.get('range'));
  const [text, setText] = useState(params.get('q') ?? DEFAULT_QUERY);
  const [result, setResult] = useState<{ data: LogsQueryResultDto; atMs: number; rangeMs: number } | undefined>();
  const [error, setError] = useState<{ message: string; at?: { line: number; column: number; detail: string } } | undefined>();
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);

  const run = (q = text) => {
    setBusy(true);
    setError(undefined);
    const atMs = Date.now();
    api<LogsQueryResultDto>('/api/v1/logs/query', { method: 'POST', body: { query: q, since: range.id } }).then(
      (data) => {
        setBusy(false);
        setResult({ data, atMs, rangeMs: range.ms });
      },
      (err: unknown) => {
        setBusy(false);
        if (err instanceof ApiError && err.routeMissing) return setMissing(true);
        const message = err instanceof ApiError ? (err.issues[0]?.message ?? err.message) : err instanceof Error ? err.message : String(err);
        const at = parseQueryError(message);
        setError({ message, at });
        if (at && editor.current) {
          const offset = offsetOf(q, at.line, at.column);
          editor.current.focus();
          editor.current.setSelectionRange(offset, Math.min(q.length, offset + 1));
        }
      },
    );
  };
  // A link that carries a query (a trace's "Open in Logs") runs it as the view opens.
  const linked = params.get('q');
  useEffect(() => {
    if (linked !== null) run(linked);
    // Once per linked query; `run` reads the range of that render.
  }, [linked]);
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    }
  };
  const hist = useMemo(() => (result ? histogram(result.data.rows, result.rangeMs, result.atMs) : undefined), [result]);
  const lines = text.split('\n');

  return (
    <>
      <PageHeader title="Logs" subtitle="Logs Insights queries over every task's output.">
        <RangePicker value={range.id} onChange={(id) => setQuery({ range: id })} />
      </PageHeader>
      {missing ? (
        <EmptyState title="No log queries on this server yet">The editor works as soon as the control plane serves <code>/api/v1/logs/query</code>.</EmptyState>
      ) : null}
      <section className="card">
        <form
          className="card-body stack"
          onSubmit={(e) => {
            e.preventDefault();
            run();
          }}
        >
          <div className="editor">
            <div className="editor-gutter" aria-hidden="true">
              {lines.map((_, i) => (
                <span key={i} className={error?.at?.line === i + 1 ? 'err' : undefined}>
                  {i + 1}
                </span>
              ))}
            </div>
            <textarea
              ref={editor}
              className="editor-text"
              aria-label="Query"
              aria-invalid={error !== undefined}
              aria-describedby={error ? 'query-error' : undefined}
              spellCheck={false}
              value={text}
              rows={Math.max(4, lines.length)}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={onKey}
            />
          </div>
          {error ? (
            <div id="query-error" className="query-error" role="alert">
              {error.at ? (
                <pre className="caret" aria-hidden="true">
                  {`${lines[error.at.line - 1] ?? ''}\n${' '.repeat(Math.max(0, error.at.column - 1))}^`}
                </pre>
              ) : null}
              <span>{error.message}</span>
            </div>
          ) : null}
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Running…' : 'Run query'}
            </button>
            <span className="muted small">Ctrl+Enter</span>
            <span className="spacer" />
            {EXAMPLES.map((ex) => (
              <button
                key={ex.label}
                type="button"
                className="chip"
                onClick={() => {
                  setText(ex.query);
                  run(ex.query);
                }}
              >
                {ex.label}
              </button>
            ))}
          </div>
        </form>
      </section>
      {busy && !result ? <Loading label="Running…" /> : null}
      {result ? <Results result={result.data} hist={hist} /> : null}
    </>
  );
}

function Results({ result, hist }: { result: LogsQueryResultDto; hist: { timestampsMs: number[]; counts: number[] } | undefined }) {
  const stats = result.statistics ?? {};
  return (
    <>
      {hist ? (
        <section className="card" aria-labelledby="hist-title">
          <div className="card-head">
            <h2 id="hist-title">Matching lines over time</h2>
          </div>
          <div className="card-body">
            <TimeChart label="Matching lines over time" timestampsMs={hist.timestampsMs} series={[{ label: 'lines', values: hist.counts, color: '#2456d6', bars: true }]} formatY={(v) => formatCount(v)} height={120} />
          </div>
        </section>
      ) : null}
      <section className="card" aria-labelledby="results-title">
        <div className="card-head">
          <h2 id="results-title">
            {formatCount(result.rows.length)} row{result.rows.length === 1 ? '' : 's'}
          </h2>
          <span className="muted small">
            {Object.entries(stats)
              .map(([k, v]) => `${k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ${formatCount(v)}`)
              .join(' · ')}
          </span>
        </div>
        {result.rows.length === 0 ? (
          <p className="muted pad">No log lines match in this range.</p>
        ) : (
          <LogResultsTable result={result} />
        )}
      </section>
    </>
  );
}
