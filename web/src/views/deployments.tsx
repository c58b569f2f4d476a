import { useEffect, useMemo, useState } from 'react';
import type { DeploymentDetailDto, DeploymentDto, DeploymentListDto, EventDto, EventsPageDto, EnvironmentsDto } from '../../../src/shared/index.js';
import { ACTIVE_DEPLOYMENT_STATES } from '../../../src/shared/api/states.js';
import { api, qs } from '../lib/api.js';
import { formatDuration, formatTime, shortRev } from '../lib/format.js';
import { useLiveEvents } from '../lib/live-events.js';
import { setQuery, useLocation } from '../lib/router.js';
import { buildTrafficHistory, readTrafficEvent } from '../lib/traffic-history.js';
import { useResource } from '../lib/use-resource.js';
import { ActionButton } from '../components/action-button.js';
import { TimeChart } from '../components/chart.js';
import { EmptyState, Loading, PageHeader, ResourceState } from '../components/states.js';
import { StatusBadge } from '../components/status.js';
import { revisionColor } from '../components/traffic-bar.js';

const TRAFFIC_TYPES = ['service.traffic.shifted', 'deployment.traffic.shifted'];
const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_DEPLOYMENT_STATES);

/** The strategy's kind (`Rollback` for the redeployment of a replaced revision); its CodeDeploy name, if it was written as one, goes in the tooltip. */
const strategyName = (d: DeploymentDto): string => (d.kind === 'Rollback' ? 'Rollback' : d.strategy.kind);

/** Deployments: traffic over time, the history, and one deployment's steps, hooks and controls. */
export function DeploymentsView() {
  const { query } = useLocation();
  const id = query.get('id');
  return id ? <DeploymentDetail id={id} /> : <DeploymentList />;
}

function DeploymentList() {
  const list = useResource<DeploymentListDto>('/api/v1/deployments', { refreshOn: ['deployment'] });
  const deployments = list.data?.deployments ?? [];
  return (
    <>
      <PageHeader title="Deployments" subtitle="Traffic between revisions over time, and every deployment with its steps." />
      <TrafficHistoryCard />
      <section className="card" aria-labelledby="dep-history">
        <div className="card-head">
          <h2 id="dep-history">History</h2>
        </div>
        <ResourceState what="deployments" loading={list.loading} error={list.error} missing={list.missing}>
          {deployments.length === 0 ? (
            <p className="muted pad">No deployments yet. They appear here as soon as one starts.</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Deployment</th>
                    <th scope="col">Environment</th>
                    <th scope="col">Service</th>
                    <th scope="col">Revision</th>
                    <th scope="col">Strategy</th>
                    <th scope="col">Status</th>
                    <th scope="col">Started</th>
                    <th scope="col" className="num">
                      Duration
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {deployments.map((d) => (
                    <tr key={d.id} className="clickable" onClick={() => setQuery({ id: String(d.id) }, { replace: false })}>
                      <th scope="row">
                        <a href={`/deployments?id=${d.id}`} onClick={(e) => e.preventDefault()} className="mono">
                          {d.id}
                        </a>
                      </th>
                      <td>{d.environment}</td>
                      <td>{d.service}</td>
                      <td className="mono">
                        {d.fromRevision ? `${shortRev(d.fromRevision)} → ` : ''}
                        {shortRev(d.toRevision)}
                      </td>
                      <td className="small" title={d.strategy.codeDeployName}>
                        {strategyName(d)}
                      </td>
                      <td>
                        <StatusBadge state={d.state} />
                      </td>
                      <td>{formatTime(d.createdAtMs)}</td>
                      <td className="num">{formatDuration((d.finishedAtMs ?? Date.now()) - d.createdAtMs)}</td>
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

/** Every traffic event of the log (and then live ones), for the traffic charts. */
function useTrafficEvents(subject?: string): EventDto[] | undefined {
  const [events, setEvents] = useState<EventDto[] | undefined>();
  useEffect(() => {
    let cancelled = false;
    Promise.all(TRAFFIC_TYPES.map((type) => api<EventsPageDto>(`/api/v1/events${qs({ type, subject, limit: 10_000 })}`))).then(
      (pages) => !cancelled && setEvents(pages.flatMap((p) => p.events).sort((a, b) => a.seq - b.seq)),
      () => !cancelled && setEvents([]),
    );
    return () => {
      cancelled = true;
    };
  }, [subject]);
  useLiveEvents(TRAFFIC_TYPES, (e) => {
    if (subject !== undefined && e.subject !== subject) return;
    setEvents((list) => (list === undefined || list.some((x) => x.seq === e.seq) ? list : [...list, e]));
  });
  return events;
}

function TrafficHistoryCard() {
  const envs = useResource<EnvironmentsDto>('/api/v1/environments', { refreshOn: ['service.revision'] });
  const events = useTrafficEvents();
  const options = useMemo(() => (envs.data?.environments ?? []).flatMap((e) => e.services.map((s) => `${e.name}/${s.name}`)), [envs.data]);
  const shifted = useMemo(() => {
    const seen = new Set<string>();
    for (const e of events ?? []) {
      const t = readTrafficEvent(e);
      if (t) seen.add(`${t.environment}/${t.service}`);
    }
    return seen;
  }, [events]);
  const [picked, setPicked] = useState<string | undefined>();
  const selected = picked ?? options.find((o) => shifted.has(o)) ?? options[0];
  const [env = '', svc = ''] = (selected ?? '').split('/');
  const history = useMemo(() => buildTrafficHistory(events ?? [], env, svc, Date.now()), [events, env, svc]);
  const series = useMemo(() => history.revisions.map((r, i) => ({ label: shortRev(r.revision), values: r.values, color: revisionColor(i), stepped: true, fill: true })), [history]);

  return (
    <section className="card" aria-labelledby="traffic-title">
      <div className="card-head">
        <h2 id="traffic-title">Traffic split over time</h2>
        {options.length > 0 ? (
          <label className="field inline-select">
            <span className="sr-only">Service</span>
            <select value={selected} onChange={(e) => setPicked(e.target.value)} aria-label="Service">
              {options.map((o) => (
                <option key={o} value={o}>
                  {o}
                  {shifted.has(o) ? '' : ' (no shifts)'}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <div className="card-body">
        {events === undefined || envs.loading ? (
          <Loading />
        ) : history.timestampsMs.length < 2 ? (
          <EmptyState title={`No traffic shifts for ${selected ?? 'any service'} yet`}>Each shift between revisions draws a step here, live.</EmptyState>
        ) : (
          <TimeChart label={`Traffic split of ${selected ?? ''} over time`} timestampsMs={history.timestampsMs} series={series} yRange={[0, 100]} formatY={(v) => `${Math.round(v)}%`} height={220} />
        )}
      </div>
    </section>
  );
}

function DeploymentDetail({ id }: { id: string }) {
  const subject = `deployment/${id}`;
  const dep = useResource<DeploymentDetailDto>(`/api/v1/deployments/${encodeURIComponent(id)}`, { refreshOn: ['deployment'], when: (e) => e.subject === subject });
  const events = useTrafficEvents(subject);
  const d = dep.data;
  const history = useMemo(() => (d ? buildTrafficHistory(events ?? [], d.environment, d.service, d.finishedAtMs ?? Date.now()) : undefined), [events, d]);
  const series = useMemo(() => (history ? history.revisions.map((r, i) => ({ label: shortRev(r.revision), values: r.values, color: revisionColor(i), stepped: true, fill: true })) : []), [history]);
  const active = d !== undefined && ACTIVE.has(d.state);
  const base = `/api/v1/deployments/${encodeURIComponent(id)}`;

  return (
    <>
      <PageHeader
        title={`Deployment ${id}`}
        subtitle={
          <a href="/deployments" onClick={(e) => (e.preventDefault(), setQuery({ id: undefined }, { replace: false }))}>
            ← All deployments
          </a>
        }
      >
        {d ? (
          <>
            {d.state === 'AwaitingApproval' ? (
              <>
                <ActionButton label="Approve" path={`${base}/approve`} body={{ by: localStorage.getItem('slipway.approver') || 'dashboard' }} variant="ok" onDone={dep.reload} />
                <ActionButton label="Reject" path={`${base}/reject`} body={{ by: localStorage.getItem('slipway.approver') || 'dashboard' }} variant="danger" confirm="Reject this deployment? It ends without starting." onDone={dep.reload} />
              </>
            ) : null}
            <ActionButton label="Promote" path={`${base}/promote`} variant="primary" disabled={!active || d.state === 'AwaitingApproval'} onDone={dep.reload} />
            {d.state === 'Paused' ? (
              <ActionButton label="Resume" path={`${base}/resume`} disabled={!active} onDone={dep.reload} />
            ) : (
              <ActionButton label="Pause" path={`${base}/pause`} disabled={!active || d.state === 'AwaitingApproval'} onDone={dep.reload} />
            )}
            <ActionButton label="Abort" path={`${base}/abort`} variant="danger" disabled={!active} confirm="Abort this deployment and shift all traffic back?" onDone={dep.reload} />
            <ActionButton label="Roll back" path={`${base}/rollback`} variant="danger" disabled={active || d.state !== 'Succeeded'} confirm="Roll back to the previous revision?" onDone={dep.reload} />
          </>
        ) : null}
      </PageHeader>
      <ResourceState what="deployments" loading={dep.loading} error={dep.error} missing={dep.missing}>
        {d ? (
          <>
            <section className="card">
              <dl className="facts">
                <div>
                  <dt>Status</dt>
                  <dd>
                    <StatusBadge state={d.state} />
                  </dd>
                </div>
                <div>
                  <dt>Environment</dt>
                  <dd>{d.environment}</dd>
                </div>
                <div>
                  <dt>Service</dt>
                  <dd>{d.service}</dd>
                </div>
                <div>
                  <dt>Revision</dt>
                  <dd className="mono">
                    {d.fromRevision ? `${shortRev(d.fromRevision)} → ` : ''}
                    {shortRev(d.toRevision)}
                  </dd>
                </div>
                <div>
                  <dt>Strategy</dt>
                  <dd title={d.strategy.codeDeployName}>{strategyName(d)}</dd>
                </div>
                <div>
                  <dt>Started</dt>
                  <dd>{formatTime(d.createdAtMs)}</dd>
                </div>
              </dl>
              {d.rollback ? (
                <p className="pad muted">
                  Rolled back ({d.rollback.trigger}): {d.rollback.reason}
                </p>
              ) : null}
              {d.pausedReason ? <p className="pad muted">Paused: {d.pausedReason}</p> : null}
              {d.message ? <p className="pad muted">Last error: {d.message}</p> : null}
            </section>
            <section className="card" aria-labelledby="dep-traffic">
              <div className="card-head">
                <h2 id="dep-traffic">Traffic split</h2>
              </div>
              <div className="card-body">
                {history && history.timestampsMs.length >= 2 ? (
                  <TimeChart label={`Traffic split of deployment ${id}`} timestampsMs={history.timestampsMs} series={series} yRange={[0, 100]} formatY={(v) => `${Math.round(v)}%`} />
                ) : (
                  <p className="muted">No traffic has shifted yet.</p>
                )}
              </div>
            </section>
            <div className="two-col">
              <StepList deployment={d} />
              <HookList deployment={d} />
            </div>
          </>
        ) : null}
      </ResourceState>
    </>
  );
}

function StepList({ deployment }: { deployment: DeploymentDto }) {
  const { steps, analysisRuns, shadowRuns } = deployment;
  return (
    <section className="card" aria-labelledby="dep-steps">
      <div className="card-head">
        <h2 id="dep-steps">Steps</h2>
      </div>
      {steps.length === 0 ? (
        <p className="muted pad">No steps.</p>
      ) : (
        <ol className="steps">
          {steps.map((s) => (
            <li key={s.index} className="step">
              <StatusBadge state={s.status} />
              <span className="step-name">{s.description}</span>
              <span className="muted small">{s.startedAtMs !== null ? formatDuration((s.completedAtMs ?? deployment.finishedAtMs ?? Date.now()) - s.startedAtMs) : ''}</span>
            </li>
          ))}
        </ol>
      )}
      {analysisRuns.length > 0 ? (
        <>
          <h3 className="pad">Analysis</h3>
          <ul className="steps">
            {analysisRuns.map((a) => (
              <li key={`${a.stepIndex}-${a.atMs}`} className="step">
                <StatusBadge state={a.verdict} />
                <span className="step-name">Step {a.stepIndex + 1}</span>
                {a.reasons.length > 0 ? <span className="muted small step-msg">{a.reasons.join('; ')}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {shadowRuns.length > 0 ? (
        <>
          <h3 className="pad">Shadow comparison</h3>
          <ul className="steps">
            {shadowRuns.map((r) => (
              <li key={`${r.stepIndex}-${r.atMs}`} className="step">
                <StatusBadge state={r.verdict} />
                <span className="step-name">
                  Step {r.stepIndex + 1}
                  {r.report !== null ? ` — ${r.report.differing} of ${r.report.compared} answers differ` : ''}
                </span>
                <span className="muted small step-msg">
                  {[r.reasons.join('; '), ...(r.report?.samples.slice(0, 5).map((x) => `${x.method} ${x.path} ${x.primaryStatus}→${x.shadowStatus ?? x.error ?? '?'} ${x.fields.join(', ')}`) ?? [])].join(' · ')}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function HookList({ deployment }: { deployment: DeploymentDto }) {
  const { hooks } = deployment;
  return (
    <section className="card" aria-labelledby="dep-hooks">
      <div className="card-head">
        <h2 id="dep-hooks">Lifecycle hooks</h2>
      </div>
      {hooks.length === 0 ? (
        <p className="muted pad">No hooks ran.</p>
      ) : (
        <ul className="steps">
          {hooks.map((h) => (
            <li key={`${h.hook}-${h.atMs}`} className="step">
              <StatusBadge state={h.result} />
              <span className="step-name mono">{h.hook}</span>
              <span className="muted small">{formatDuration(h.durationMs)}</span>
              {h.message ? <span className="muted small step-msg">{h.message}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
