import { useEffect, useState } from 'react';
import type { Change, EventDto, EventsPageDto, PlanDto } from '../../../src/shared/index.js';
import { api, qs } from '../lib/api.js';
import { formatTime, shortRev } from '../lib/format.js';
import { useLiveEvents } from '../lib/live-events.js';
import { Link } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { ChangeSetTable, summaryText } from '../components/change-set.js';
import { EmptyState, Loading, ResourceState } from '../components/states.js';
import { StatusBadge } from '../components/status.js';

// The event type of the catalog (`IAC_PLAN_CREATED`), spelt out: importing the catalog would bundle its schemas.
const IAC_PLAN_CREATED = 'iac.plan.created';
const RECENT = 20;
const PAGE = 1000;
/** Bounds the read of a long log; past it the list shows the newest plans of what was read. */
const MAX_PAGES = 20;

/** A plan as its `iac.plan.created` event tells it. */
interface PlanRow {
  readonly planId: number;
  readonly timeMs: number;
  readonly commit: string | null;
  readonly runId: number | null;
  readonly changes: readonly Change[];
}

function rowOf(e: EventDto): PlanRow {
  // The payload is the catalog's schema of `iac.plan.created`.
  const d = e.data as { planId: number; commit: string | null; runId: number | null; changes: Change[] };
  return { planId: d.planId, timeMs: e.timeMs, commit: d.commit, runId: d.runId, changes: d.changes };
}

/**
 * The newest plans, from the `iac.plan.created` events (the API lists no plans; the event log
 * holds each plan's change set), then each new plan as it is made.
 */
function useRecentPlans(): { rows: PlanRow[] | undefined; error: string | undefined } {
  const [rows, setRows] = useState<PlanRow[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let cancelled = false;
    const read = async () => {
      let kept: PlanRow[] = [];
      let after: number | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const got = await api<EventsPageDto>(`/api/v1/events${qs({ type: IAC_PLAN_CREATED, after, limit: PAGE })}`);
        kept = [...kept, ...got.events.map(rowOf)].slice(-RECENT);
        if (got.nextAfter === null) break;
        after = got.nextAfter;
      }
      return kept.reverse();
    };
    read().then(
      (r) => !cancelled && setRows((live) => [...(live ?? []).filter((x) => !r.some((y) => y.planId === x.planId)), ...r].slice(0, RECENT)),
      (err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  useLiveEvents([IAC_PLAN_CREATED], (e) => {
    const row = rowOf(e);
    setRows((list) => (list?.some((x) => x.planId === row.planId) ? list : [row, ...(list ?? [])].slice(0, RECENT)));
  });
  return { rows, error };
}

/** The newest plans, each linking to its change set. */
export function RecentPlans({ selected }: { selected: string | null }) {
  const { rows, error } = useRecentPlans();
  return (
    <section className="card" aria-labelledby="iac-plans">
      <div className="card-head">
        <h2 id="iac-plans">Recent plans</h2>
      </div>
      {error ? (
        <p className="pad error-text">{error}</p>
      ) : rows === undefined ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="pad muted">No plans yet: a run's plan stage or `slipway plan` makes one.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Made</th>
                <th scope="col">Commit</th>
                <th scope="col">Run</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.planId} className={String(p.planId) === selected ? 'selected' : undefined}>
                  <th scope="row">
                    <Link to={`/iac?plan=${p.planId}`} aria-current={String(p.planId) === selected ? 'true' : undefined}>
                      Plan {p.planId}
                    </Link>
                  </th>
                  <td>{formatTime(p.timeMs)}</td>
                  <td className="mono">{p.commit ? shortRev(p.commit) : <span className="muted">working tree</span>}</td>
                  <td>{p.runId === null ? <span className="muted">—</span> : <Link to={`/pipelines?run=${p.runId}`}>Run {p.runId}</Link>}</td>
                  <td>{p.changes.length === 0 ? <span className="muted">no changes</span> : summaryText(p.changes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** One plan: where its model came from, its applies scope by scope, and its change set. */
export function PlanDetail({ id }: { id: string }) {
  const plan = useResource<PlanDto>(`/api/v1/iac/plans/${encodeURIComponent(id)}`, { refreshOn: ['iac.apply'], when: (e) => String(e.data.planId) === id });
  const p = plan.data;
  return (
    <section className="card" aria-labelledby="iac-plan">
      <div className="card-head">
        <h2 id="iac-plan">Plan {id}</h2>
        {p ? (
          <span className="muted small">
            {p.source}
            {p.commit ? ` · ${shortRev(p.commit)}` : ''} · {formatTime(Date.parse(p.createdAt))}
            {p.runId === null ? null : (
              <>
                {' · '}
                <Link to={`/pipelines?run=${p.runId}`}>run {p.runId}</Link>
              </>
            )}
          </span>
        ) : null}
      </div>
      <ResourceState what="this plan" loading={plan.loading} error={plan.error} missing={plan.missing}>
        {p ? (
          <>
            {p.applies.length === 0 ? (
              <p className="pad muted small">Not applied.</p>
            ) : (
              <ul className="alarm-list" aria-label="Applies">
                {p.applies.map((a) => (
                  <li key={a.id}>
                    <StatusBadge state={a.status} />
                    <span className="mono">{a.scope}</span>
                    <span className="muted small">
                      {a.applied.length}/{a.changes.length} changes · {formatTime(Date.parse(a.startedAt))}
                    </span>
                    {a.error ? <span className="error-text small">{a.error}</span> : null}
                  </li>
                ))}
              </ul>
            )}
            <ChangeSetTable changeSet={p.changeSet} label={`Change set of plan ${id}`} />
          </>
        ) : (
          <EmptyState title="No such plan" />
        )}
      </ResourceState>
    </section>
  );
}
