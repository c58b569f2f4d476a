import { useEffect } from 'react';
import type { IncidentDto, IncidentState, OnCallDto } from '../../../src/shared/index.js';
import { isPostmortemOverdue } from '../../../src/shared/api/postmortem-deadline.js';
import { formatDuration, formatTime } from '../lib/format.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { PageHeader, ResourceState } from '../components/states.js';
import { SeverityBadge, StatusBadge } from '../components/status.js';
import { IncidentDetail } from './incident-detail.js';

/** The open states (the API's `OPEN_INCIDENT_STATES`); the list shows them apart from the closed ones. */
export const OPEN_STATES: ReadonlySet<IncidentState> = new Set<IncidentState>(['Triggered', 'Acknowledged', 'Mitigated']);

/** How many incidents the list reads (newest first): the open ones and the recent past. */
const LIST_LIMIT = 200;

/** Incidents: `/incidents` lists open and recent ones, `/incidents/<id>` opens one. */
export function IncidentsView() {
  const { path } = useLocation();
  const id = /^\/incidents\/(\d+)$/.exec(path)?.[1];
  if (id !== undefined) return <IncidentDetail id={Number(id)} />;
  return <IncidentList />;
}

function IncidentList() {
  const list = useResource<{ incidents: IncidentDto[] }>(`/api/v1/incidents?limit=${LIST_LIMIT}`, { refreshOn: ['incident'] });
  const incidents = list.data?.incidents ?? [];
  const open = incidents.filter((i) => OPEN_STATES.has(i.state));
  const recent = incidents.filter((i) => !OPEN_STATES.has(i.state));
  return (
    <>
      <PageHeader title="Incidents" subtitle="Opened by alarms or by hand, taken from Triggered to a written postmortem. A postmortem is due five business days after the resolution." />
      <OnCallNow />
      <section className="card" aria-labelledby="inc-open">
        <div className="card-head">
          <h2 id="inc-open">Open</h2>
          <span className="muted small">{open.length === 0 ? '' : `${open.length} open`}</span>
        </div>
        <ResourceState what="incidents" loading={list.loading} error={list.error} missing={list.missing}>
          {open.length === 0 ? <p className="pad muted">No open incidents. An alarm going to ALARM opens one here, live.</p> : <IncidentTable incidents={open} label="Open incidents" />}
        </ResourceState>
      </section>
      <section className="card" aria-labelledby="inc-recent">
        <div className="card-head">
          <h2 id="inc-recent">Recent</h2>
        </div>
        <ResourceState what="incidents" loading={list.loading} error={list.error} missing={list.missing}>
          {recent.length === 0 ? <p className="pad muted">No resolved incidents yet.</p> : <IncidentTable incidents={recent} label="Recent incidents" />}
        </ResourceState>
      </section>
    </>
  );
}

/** Who is on call now per schedule, and which policy pages for each severity (`GET /api/v1/oncall`). */
function OnCallNow() {
  // Hand-offs happen with time, not events: read again each minute, and after incident events.
  const oncall = useResource<OnCallDto>('/api/v1/oncall', { refreshOn: ['incident'] });
  const { reload } = oncall;
  useEffect(() => {
    const t = setInterval(reload, 60_000);
    return () => clearInterval(t);
  }, [reload]);
  const d = oncall.data;
  const policies = Object.entries(d?.policyBySeverity ?? {});
  return (
    <section className="card" aria-labelledby="inc-oncall">
      <div className="card-head">
        <h2 id="inc-oncall">On call</h2>
        {policies.length > 0 ? <span className="muted small">pages by severity: {policies.map(([sev, policy]) => `${sev} → ${policy}`).join(', ')}</span> : null}
      </div>
      <ResourceState what="on-call schedules" loading={oncall.loading} error={oncall.error} missing={oncall.missing}>
        {d === undefined || d.schedules.length === 0 ? (
          <p className="pad muted">No on-call schedules in the model: incidents page nobody (add `oncall` to slipway.config.ts).</p>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="On call now">
              <thead>
                <tr>
                  <th scope="col">Schedule</th>
                  <th scope="col">On call</th>
                  <th scope="col">By</th>
                  <th scope="col">Until</th>
                </tr>
              </thead>
              <tbody>
                {d.schedules.map((s) => (
                  <tr key={s.schedule} data-schedule={s.schedule}>
                    <th scope="row">{s.schedule}</th>
                    <td>{s.user ?? <span className="muted">nobody</span>}</td>
                    <td className="muted">{s.source === 'layer' ? `layer ${(s.layer ?? 0) + 1}` : s.source}</td>
                    <td>{s.untilMs === null ? '—' : `${formatTime(s.untilMs)} (${s.timeZone})`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ResourceState>
    </section>
  );
}

function IncidentTable({ incidents, label }: { incidents: readonly IncidentDto[]; label: string }) {
  const now = Date.now();
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Incident</th>
            <th scope="col">Severity</th>
            <th scope="col">State</th>
            <th scope="col">Service</th>
            <th scope="col">Opened</th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col">Postmortem</th>
          </tr>
        </thead>
        <tbody>
          {incidents.map((i) => (
            <tr key={i.id} className="clickable" data-incident={i.id} onClick={() => navigate(`/incidents/${i.id}`)}>
              <th scope="row">
                <Link to={`/incidents/${i.id}`} onClick={(e) => e.stopPropagation()}>
                  <span className="mono">#{i.id}</span> {i.title}
                </Link>
              </th>
              <td>
                <SeverityBadge severity={i.severity} />
              </td>
              <td>
                <StatusBadge state={i.state} />
              </td>
              <td>
                {i.service ?? <span className="muted">—</span>}
                {i.environment ? <span className="muted small"> in {i.environment}</span> : null}
              </td>
              <td>{formatTime(i.triggeredAtMs)}</td>
              <td className="num">
                {formatDuration((i.resolvedAtMs ?? now) - i.triggeredAtMs)}
                {i.resolvedAtMs === null ? <span className="muted small"> so far</span> : null}
              </td>
              <td>
                <PostmortemCell incident={i} nowMs={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Written, due (with its date), overdue (flagged), or nothing yet while the incident is open. */
export function PostmortemCell({ incident: i, nowMs }: { incident: IncidentDto; nowMs: number }) {
  if (i.postmortemAtMs !== null) return <span className="small">written {formatTime(i.postmortemAtMs)}</span>;
  if (i.postmortemDueAtMs === null) return <span className="muted small">after resolution</span>;
  if (isPostmortemOverdue(i, nowMs)) {
    return (
      <span className="badge tone-fail" title={`The postmortem was due ${new Date(i.postmortemDueAtMs).toISOString()} (five business days after the resolution)`}>
        Postmortem overdue
      </span>
    );
  }
  return <span className="small">due {formatTime(i.postmortemDueAtMs)}</span>;
}
