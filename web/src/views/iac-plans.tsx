import type { PlanDto, PlanListDto } from '../../../src/shared/index.js';
import { qs } from '../lib/api.js';
import { formatTime, shortRev } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { ChangeSetTable, summaryText } from '../components/change-set.js';
import { EmptyState, Loading, ResourceState } from '../components/states.js';
import { StatusBadge } from '../components/status.js';

const RECENT = 20;

/** The newest plans, read again whenever a plan is made. */
function useRecentPlans(): { rows: readonly PlanDto[] | undefined; error: string | undefined } {
  const list = useResource<PlanListDto>(`/api/v1/iac/plans${qs({ limit: RECENT })}`, { refreshOn: ['iac.plan.created'] });
  return { rows: list.data?.plans, error: list.error?.message };
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
                <tr key={p.id} className={String(p.id) === selected ? 'selected' : undefined}>
                  <th scope="row">
                    <Link to={`/iac?plan=${p.id}`} aria-current={String(p.id) === selected ? 'true' : undefined}>
                      Plan {p.id}
                    </Link>
                  </th>
                  <td>{formatTime(Date.parse(p.createdAt))}</td>
                  <td className="mono">{p.commit ? shortRev(p.commit) : <span className="muted">working tree</span>}</td>
                  <td>{p.runId === null ? <span className="muted">—</span> : <Link to={`/pipelines?run=${p.runId}`}>Run {p.runId}</Link>}</td>
                  <td>{p.changeSet.changes.length === 0 ? <span className="muted">no changes</span> : summaryText(p.changeSet.changes)}</td>
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
