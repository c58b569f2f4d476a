import { useEffect, type ReactNode } from 'react';
import type { ExperimentDetailDto, GuardrailResult, ResolvedExperimentMetric } from '../../../src/shared/index.js';
import { confidenceOf, sampleProgress, showDifference, showMetric, showPValue, showValueOf } from '../lib/experiment-format.js';
import { flagPath } from '../lib/flag-format.js';
import { formatDuration, formatTime } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { ActionButton } from '../components/action-button.js';
import { CiPlot, type CiRow } from '../components/ci-plot.js';
import { PageHeader, ResourceState } from '../components/states.js';
import { StatusBadge } from '../components/status.js';

// The result is computed from telemetry at each read and telemetry has no event: while an experiment
// runs it is read again on the engine's evaluation period (`experimentIntervalMs`, 10 s by default).
const REFRESH_MS = 10_000;

/** Who the dashboard records as acting: the name last given on an approval form, else `dashboard`. */
const actor = (): string => localStorage.getItem('slipway.approver') || 'dashboard';

/** One experiment in one environment: per variant counts, the differences with their intervals, the verdict and guardrails. */
export function ExperimentDetail({ environment, name }: { environment: string; name: string }) {
  const path = `/api/v1/experiments/${encodeURIComponent(environment)}/${encodeURIComponent(name)}`;
  const detail = useResource<ExperimentDetailDto>(path, { refreshOn: ['experiment'], when: (e) => e.subject === `experiment/${environment}/${name}` });
  const d = detail.data;
  const running = d?.state === 'Running';
  const { reload } = detail;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, reload]);
  return (
    <>
      <PageHeader title={`Experiment ${name}`} subtitle={<Link to="/experiments">← All experiments</Link>}>
        {d !== undefined && d.state !== 'Stopped' ? (
          <ActionButton
            label="Stop"
            variant="danger"
            path={`${path}/stop`}
            body={{ by: actor() }}
            confirm={`Stop ${name} in ${environment}? Its flag ${d.flag} serves the control (${d.variants[0] ?? '?'}) to everyone.`}
            onDone={reload}
          />
        ) : null}
      </PageHeader>
      <ResourceState what="experiments" loading={detail.loading} error={detail.error} missing={detail.missing}>
        {d ? (
          <>
            <Facts experiment={d} />
            <Variants experiment={d} />
            <Differences experiment={d} />
            <Guardrails guardrails={d.result.guardrails} />
          </>
        ) : null}
      </ResourceState>
    </>
  );
}

function Facts({ experiment: d }: { experiment: ExperimentDetailDto }) {
  const fact = (label: string, value: ReactNode, attr?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-fact={attr}>{value}</dd>
    </div>
  );
  const r = d.result;
  const progress = sampleProgress(r.variants, d.minSamplePerVariant);
  return (
    <section className="card" aria-label="Experiment facts">
      <dl className="facts">
        {fact('Environment', d.environment)}
        {fact('Flag', <Link to={flagPath(d.environment, d.flag)}>{d.flag}</Link>)}
        {fact('State', <StatusBadge state={d.state} title={d.reason} />, 'state')}
        {fact('Verdict', <StatusBadge state={r.verdict} />, 'verdict')}
        {fact('Winner', r.winner ?? '—', 'winner')}
        {fact('Primary metric', <span className="small">{showMetric(d.primary)}</span>)}
        {fact(
          'Minimum sample',
          <span className="row">
            <span className="progress-bar" role="progressbar" aria-label="Progress toward the minimum sample" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
              <span style={{ width: `${Math.round(progress * 100)}%` }} />
            </span>
            <span className="small">
              {Math.round(progress * 100)} % of {d.minSamplePerVariant} per variant
            </span>
          </span>,
          'sample',
        )}
        {fact('Significance', `α ${d.significance} (each comparison ${r.alphaPerComparison})`)}
        {fact('Window', `${formatTime(r.windowStartMs)} – ${d.endedAt === undefined ? 'now' : formatTime(r.windowEndMs)} (${formatDuration(r.windowEndMs - r.windowStartMs)})`)}
        {fact('Unattributed spans', r.unattributed, 'unattributed')}
      </dl>
      <p className="pad small" data-summary>
        {r.summary}
        {r.truncated ? <span className="muted"> (more spans than were read: these are the oldest)</span> : null}
      </p>
      {d.reason !== undefined && d.reason !== r.summary ? (
        <p className="pad small muted" data-reason>
          {d.state === 'Stopped' ? 'Stopped' : 'Concluded'} {d.endedAt === undefined ? '' : formatTime(Date.parse(d.endedAt))}: {d.reason}
        </p>
      ) : null}
    </section>
  );
}

function Variants({ experiment: d }: { experiment: ExperimentDetailDto }) {
  const kind = d.primary.kind;
  return (
    <section className="card" aria-labelledby="experiment-variants">
      <div className="card-head">
        <h2 id="experiment-variants">Variants</h2>
        <span className="muted small">differences against the control at {confidenceOf(d)} confidence</span>
      </div>
      <div className="table-wrap">
        <table className="table" aria-label="Variants">
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col" className="num">
                {kind === 'conversion' ? 'Exposures' : 'Observations'}
              </th>
              {kind === 'conversion' ? (
                <th scope="col" className="num">
                  Conversions
                </th>
              ) : null}
              <th scope="col" className="num">
                {kind === 'conversion' ? 'Rate' : 'Mean'}
              </th>
              <th scope="col" className="num">
                Difference
              </th>
              <th scope="col">Interval</th>
              <th scope="col" className="num">
                p
              </th>
              <th scope="col">Verdict</th>
              <th scope="col">Sample</th>
            </tr>
          </thead>
          <tbody>
            {d.result.variants.map((v) => {
              const c = v.comparison;
              return (
                <tr key={v.variant} data-variant={v.variant}>
                  <th scope="row" className="mono">
                    {v.variant}
                    {v.control ? <span className="muted small"> control</span> : null}
                  </th>
                  <td className="num" data-col="exposures">
                    {v.exposures}
                  </td>
                  {kind === 'conversion' ? (
                    <td className="num" data-col="conversions">
                      {v.conversions ?? 0}
                    </td>
                  ) : null}
                  <td className="num nowrap" data-col="value">
                    {showValueOf(kind, v.value)}
                  </td>
                  <td className="num nowrap" data-col="difference">
                    {c === undefined ? '—' : showDifference(kind, c.difference)}
                  </td>
                  <td className="small nowrap" data-col="ci">
                    {c === undefined ? '—' : `${showDifference(kind, c.ci[0])} to ${showDifference(kind, c.ci[1])}`}
                  </td>
                  <td className="num nowrap" data-col="p">
                    {c === undefined ? '—' : showPValue(c.pValue)}
                  </td>
                  <td data-col="verdict">{v.control ? '—' : <StatusBadge state={v.verdict} />}</td>
                  <td className="small" data-col="sample">
                    {v.exposures}/{d.minSamplePerVariant}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Differences({ experiment: d }: { experiment: ExperimentDetailDto }) {
  const kind: ResolvedExperimentMetric['kind'] = d.primary.kind;
  const rows: CiRow[] = d.result.variants.flatMap((v) =>
    v.comparison === undefined ? [] : [{ variant: v.variant, difference: v.comparison.difference, ci: v.comparison.ci, tone: v.verdict === 'Better' ? 'better' : v.verdict === 'Worse' ? 'worse' : 'none' }],
  );
  return (
    <section className="card" aria-labelledby="experiment-differences">
      <div className="card-head">
        <h2 id="experiment-differences">Difference from the control</h2>
        <span className="muted small">
          {confidenceOf(d)} interval; an interval clear of the dashed zero line is a difference
        </span>
      </div>
      {rows.length === 0 ? (
        <p className="pad muted">No interval yet: {d.result.summary}</p>
      ) : (
        <div className="pad">
          <CiPlot rows={rows} label={`Difference from ${d.variants[0] ?? 'the control'} with its ${confidenceOf(d)} confidence interval`} format={(x) => showDifference(kind, x)} />
        </div>
      )}
    </section>
  );
}

function Guardrails({ guardrails }: { guardrails: readonly GuardrailResult[] }) {
  const show = (g: GuardrailResult, value: number | null): string => (value === null ? '—' : g.kind === 'errorRate' ? `${value.toFixed(2)} %` : formatDuration(value));
  return (
    <section className="card" aria-labelledby="experiment-guardrails">
      <div className="card-head">
        <h2 id="experiment-guardrails">Guardrails</h2>
        <span className="muted small">a variant other than the control above its limit (with the minimum sample) stops the experiment</span>
      </div>
      {guardrails.length === 0 ? (
        <p className="pad muted">No guardrails.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Guardrails">
            <thead>
              <tr>
                <th scope="col">Guardrail</th>
                <th scope="col">Limit</th>
                <th scope="col">Per variant</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {guardrails.map((g) => (
                <tr key={g.name} data-guardrail={g.name}>
                  <th scope="row">
                    {g.name} <span className="muted small">{g.kind === 'errorRate' ? 'error rate' : 'latency'}</span>
                  </th>
                  <td data-col="limit">{show(g, g.threshold)}</td>
                  <td className="small">
                    {g.variants.map((v) => (
                      <div key={v.variant} data-variant={v.variant}>
                        <span className="mono">{v.variant}</span> {show(g, v.value)} <span className="muted">({v.samples} spans)</span>
                      </div>
                    ))}
                  </td>
                  <td>
                    <StatusBadge state={g.breach !== undefined ? 'Failed' : 'OK'} title={g.breach} />
                    {g.breach !== undefined ? <div className="small">{g.breach}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
