import { useState } from 'react';
import type { DriftDto, DriftReportDto, IacStateDto, OverrideDto } from '../../../src/shared/index.js';
import { api, ApiError } from '../lib/api.js';
import { formatAgo, formatTime, shortRev } from '../lib/format.js';
import { Link, useLocation } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { valueText } from '../components/change-set.js';
import { PageHeader, ResourceState } from '../components/states.js';
import { PlanDetail, RecentPlans } from './iac-plans.js';

const ENV_SCOPE = 'env/';

/** Infrastructure: what model each scope runs, where the live system drifted from it, overrides, and the plans. */
export function IacView() {
  const { query } = useLocation();
  const plan = query.get('plan');
  const state = useResource<IacStateDto>('/api/v1/iac/state', { refreshOn: ['iac.apply'] });
  const drift = useResource<DriftReportDto>('/api/v1/iac/drift', { refreshOn: ['iac.drift', 'iac.override'] });
  const envs = [
    ...new Set([
      ...(state.data?.scopes ?? []).filter((s) => s.scope.startsWith(ENV_SCOPE)).map((s) => s.scope.slice(ENV_SCOPE.length)),
      ...(drift.data?.drifts ?? []).map((d) => d.environment),
    ]),
  ];
  return (
    <>
      <PageHeader title="Infrastructure" subtitle="The app model in git is the desired state: what each scope runs, where the live system differs from it, and the plans that change it." />
      {plan ? <PlanDetail id={plan} /> : null}
      <section className="card" aria-labelledby="iac-applied">
        <div className="card-head">
          <h2 id="iac-applied">Applied versions</h2>
        </div>
        <ResourceState what="applied versions" loading={state.loading} error={state.error} missing={state.missing}>
          <AppliedVersions state={state.data} />
        </ResourceState>
      </section>
      <section className="card" aria-labelledby="iac-drift">
        <div className="card-head">
          <h2 id="iac-drift">Drift</h2>
          <span className="row">
            <span className="muted small">{drift.data?.detectedAt ? `detected ${formatAgo(Date.parse(drift.data.detectedAt))}` : 'not detected yet'}</span>
            <DetectButton onDone={drift.reload} />
          </span>
        </div>
        <ResourceState what="drift" loading={drift.loading} error={drift.error} missing={drift.missing}>
          {drift.data ? <DriftReport report={drift.data} environments={envs} /> : null}
        </ResourceState>
      </section>
      <section className="card" aria-labelledby="iac-overrides">
        <div className="card-head">
          <h2 id="iac-overrides">Overrides</h2>
        </div>
        <ResourceState what="overrides" loading={drift.loading} error={drift.error} missing={drift.missing}>
          <Overrides overrides={drift.data?.overrides ?? []} />
        </ResourceState>
      </section>
      <RecentPlans selected={plan} />
    </>
  );
}

function AppliedVersions({ state }: { state: IacStateDto | undefined }) {
  const scopes = state?.scopes ?? [];
  if (scopes.length === 0) return <p className="pad muted">Nothing applied yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Scope</th>
            <th scope="col">Commit</th>
            <th scope="col">Applied</th>
            <th scope="col">By</th>
            <th scope="col">Plan</th>
          </tr>
        </thead>
        <tbody>
          {scopes.map((s) => (
            <tr key={s.scope} data-scope={s.scope}>
              <th scope="row" className="mono">
                {s.scope}
              </th>
              <td className="mono">{s.commit ? shortRev(s.commit) : <span className="muted">not a commit</span>}</td>
              <td>{formatTime(Date.parse(s.appliedAt))}</td>
              <td>{s.runId === null ? s.by : <Link to={`/pipelines?run=${s.runId}`}>run {s.runId}</Link>}</td>
              <td>{s.planId === null ? <span className="muted">—</span> : <Link to={`/iac?plan=${s.planId}`}>plan {s.planId}</Link>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Detection on demand: `GET /api/v1/iac/drift?detect=true` reports (and heals nothing) at once. */
function DetectButton({ onDone }: { onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = () => {
    setBusy(true);
    setError(undefined);
    api<DriftReportDto>('/api/v1/iac/drift?detect=true').then(
      () => {
        setBusy(false);
        onDone();
      },
      (err: unknown) => {
        setBusy(false);
        setError(err instanceof ApiError && err.routeMissing ? 'not available on this server yet' : err instanceof Error ? err.message : String(err));
      },
    );
  };
  return (
    <span className="action">
      <button type="button" className="btn" disabled={busy} onClick={run}>
        {busy ? 'Detecting…' : 'Detect now'}
      </button>
      {error ? (
        <span className="error-text small" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

function Json({ v }: { v: unknown }) {
  const { short, full } = valueText(v);
  return <code title={full.length > short.length ? full : undefined}>{short}</code>;
}

function DriftReport({ report, environments }: { report: DriftReportDto; environments: readonly string[] }) {
  return (
    <>
      {environments.map((env) => {
        const drifts = report.drifts.filter((d) => d.environment === env);
        const selfHeal = report.selfHeal.includes(env);
        return (
          <div key={env} className="log-panel" role="group" aria-label={`Drift in ${env}`} data-environment={env}>
            <div className="card-head">
              <h3 className="log-title">{env}</h3>
              <span className="row small">
                {selfHeal ? <span className="badge tone-progress">self-heal</span> : null}
                {/* Before the first detection nothing is known: "in sync" would be a guess. */}
                {report.detectedAt === null ? (
                  <span className="badge tone-idle">Not checked</span>
                ) : drifts.length === 0 ? (
                  <span className="badge tone-ok">In sync</span>
                ) : (
                  <span className="badge tone-wait">{drifts.length === 1 ? '1 drift' : `${drifts.length} drifts`}</span>
                )}
              </span>
            </div>
            {drifts.length > 0 ? (
              <DriftTable drifts={drifts} />
            ) : (
              <p className="pad muted small">{report.detectedAt === null ? 'No detection has run yet: Detect now checks at once.' : 'The live system matches the applied model.'}</p>
            )}
          </div>
        );
      })}
    </>
  );
}

function DriftTable({ drifts }: { drifts: readonly DriftDto[] }) {
  return (
    <div className="table-wrap">
      <table className="table plan-table">
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Resource</th>
            <th scope="col">Expected → actual</th>
            <th scope="col">What happened</th>
          </tr>
        </thead>
        <tbody>
          {drifts.map((d) => (
            <tr key={`${d.kind} ${d.resourceId}`} data-kind={d.kind} data-resource={d.resourceId}>
              <td>{d.kind}</td>
              <th scope="row" className="mono">
                {d.resourceId}
              </th>
              <td>
                <span className="plan-old">
                  <Json v={d.expected} />
                </span>{' '}
                → <span className="plan-new">
                  <Json v={d.actual} />
                </span>
              </td>
              <td>
                {d.message}
                {d.overrideId !== null ? <span className="muted small"> · kept by override {d.overrideId}</span> : d.healable ? null : <span className="muted small"> · not healable</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Overrides({ overrides }: { overrides: readonly OverrideDto[] }) {
  if (overrides.length === 0) return <p className="pad muted">No active overrides: drift detection watches every resource.</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Reason</th>
            <th scope="col">By</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {overrides.map((o) => (
            <tr key={o.id} data-override={o.id}>
              <th scope="row" className="mono">
                {o.resourceId}
              </th>
              <td>{o.reason}</td>
              <td>{o.by}</td>
              <td>{formatTime(Date.parse(o.expiresAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
