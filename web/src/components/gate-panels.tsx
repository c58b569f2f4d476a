import type { AnalysisFindingDto, AnalysisOutputDto, LoadTestOutputDto, PipelineActionDto } from '../../../src/shared/index.js';

const LEVEL_TONE: Readonly<Record<AnalysisFindingDto['level'], string>> = { error: 'fail', warning: 'wait', note: 'idle', none: 'idle' };

/** `1 error`, `2 errors`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A static analysis action's stored findings, or undefined for another action. */
export function analysisOf(a: PipelineActionDto): AnalysisOutputDto | undefined {
  // Analyze actions put their AnalysisOutputDto under `analysis`.
  return a.type === 'analyze' ? (a.output.analysis as AnalysisOutputDto | undefined) : undefined;
}

/** A load test action's stored figures, or undefined for another action. */
export function loadTestOf(a: PipelineActionDto): LoadTestOutputDto | undefined {
  // Load test actions put their LoadTestOutputDto under `loadTest`.
  return a.type === 'loadtest' ? (a.output.loadTest as LoadTestOutputDto | undefined) : undefined;
}

/** The findings of a static analysis action: rule, level, file:line and message, most severe first. */
export function FindingsPanel({ action, analysis }: { action: string; analysis: AnalysisOutputDto }) {
  const c = analysis.counts;
  return (
    <div className="log-panel">
      <div className="card-head">
        <h3 className="log-title">
          Findings of <span className="mono">{action}</span> ({analysis.tool})
        </h3>
        <span className="small">
          <span className="tone-text-fail">{plural(c.error, 'error')}</span> · <span className="tone-text-wait">{plural(c.warning, 'warning')}</span> · {plural(c.note, 'note')} · fails on {analysis.failOn}
        </span>
      </div>
      {analysis.findings.length === 0 ? (
        <p className="pad muted">No findings.</p>
      ) : (
        <div className="table-wrap">
          <table className="table compact" aria-label={`Findings of ${action}`}>
            <thead>
              <tr>
                <th scope="col">Level</th>
                <th scope="col">Rule</th>
                <th scope="col">Location</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {analysis.findings.map((f, i) => (
                <tr key={`${f.file}:${f.line}:${f.rule}:${i}`}>
                  <td className={`tone-text-${LEVEL_TONE[f.level]}`}>{f.level}</td>
                  <td className="mono">{f.rule}</td>
                  <td className="mono">{f.file === '' ? '—' : `${f.file}${f.line > 0 ? `:${f.line}` : ''}`}</td>
                  <td>{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {analysis.findingsOmitted > 0 ? <p className="pad muted small">and {analysis.findingsOmitted} more, not stored</p> : null}
    </div>
  );
}

/** The figures of a load test action and each threshold with the value measured. */
export function LoadTestPanel({ action, load }: { action: string; load: LoadTestOutputDto }) {
  const l = load.latencyMs;
  const statuses = Object.entries(load.byStatus).map(([s, n]) => `${s}: ${n}`).join(', ');
  return (
    <div className="log-panel">
      <div className="card-head">
        <h3 className="log-title">
          Load test <span className="mono">{action}</span> on <span className="mono">{load.target}</span>
        </h3>
        <span className="small">
          {load.requests} requests in {(load.durationMs / 1000).toFixed(1)} s ({load.ratePerSecond}/s) · {load.errors} errors ({(load.errorRate * 100).toFixed(2)} %){statuses ? ` · ${statuses}` : ''}
        </span>
      </div>
      <div className="table-wrap">
        <table className="table compact" aria-label={`Thresholds of ${action}`}>
          <thead>
            <tr>
              <th scope="col">Threshold</th>
              <th scope="col">Limit</th>
              <th scope="col">Measured</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {load.thresholds.map((t) => (
              <tr key={t.threshold}>
                <td className="mono">{t.threshold}</td>
                <td className="num">{t.limit}</td>
                <td className="num">{t.value ?? '—'}</td>
                <td className={t.ok ? 'tone-text-ok' : 'tone-text-fail'}>{t.ok ? 'passed' : 'breached'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {l ? (
        <p className="pad small mono">
          latency ms · p50 {l.p50} · p90 {l.p90} · p95 {l.p95} · p99 {l.p99} · max {l.max}
        </p>
      ) : (
        <p className="pad muted small">No request completed.</p>
      )}
    </div>
  );
}
