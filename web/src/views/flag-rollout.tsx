import { useEffect, useState } from 'react';
import type { FlagDefinitionDto, FlagRolloutDto, FlagRolloutListDto } from '../../../src/shared/index.js';
import { ApiError } from '../lib/api.js';
import { formatDuration, formatTime } from '../lib/format.js';
import { showValue, summarizeRule } from '../lib/flag-format.js';
import { useResource } from '../lib/use-resource.js';
import { ActionButton } from '../components/action-button.js';
import { StatusBadge } from '../components/status.js';

/** Who the dashboard records as acting: the name last given on an approval form, else `dashboard`. */
const actor = (): string => localStorage.getItem('slipway.approver') || 'dashboard';

const isLive = (r: FlagRolloutDto): boolean => r.state === 'InProgress' || r.state === 'Paused';

/**
 * A flag's rollouts (a change stepped through the deployment engine: 5 → 25 → 50 → 100 %): the
 * current or last one with its steps, share, next step and controls, then the earlier ones and how
 * each ended. Read again on every `flag.rollout.*` event of the flag; a running step's countdown
 * ticks each second without reading anything.
 */
export function FlagRolloutProgress({ environment, flagKey }: { environment: string; flagKey: string }) {
  const path = `/api/v1/flags/${encodeURIComponent(environment)}/${encodeURIComponent(flagKey)}/rollouts`;
  const list = useResource<FlagRolloutListDto>(path, { refreshOn: ['flag.rollout'], when: (e) => e.data.environment === environment && e.data.key === flagKey });
  const rollouts = list.data?.rollouts ?? [];
  // A control plane without the deployment engine (no app) has no rollouts: nothing to show.
  if (list.missing || (list.error instanceof ApiError && list.error.status === 401)) return null;
  if (list.error !== undefined) {
    return (
      <div className="error-box" role="alert">
        <strong>Could not load the flag&apos;s rollouts.</strong> {list.error.message}
      </div>
    );
  }
  if (rollouts.length === 0) return null;
  const [current, ...past] = rollouts;
  return (
    <>
      <CurrentRollout rollout={current!} onDone={list.reload} />
      {past.length > 0 ? <RolloutHistory rollouts={past} /> : null}
    </>
  );
}

function CurrentRollout({ rollout: r, onDone }: { rollout: FlagRolloutDto; onDone: () => void }) {
  const base = `/api/v1/flag-rollouts/${r.id}`;
  const body = { by: actor() };
  const step = r.plan[r.stepIndex];
  const nextAtMs = r.state === 'InProgress' && step !== undefined && step.bakeMs > 0 ? Date.parse(r.updatedAt) + step.bakeMs : undefined;
  return (
    <section className="card" aria-labelledby="flag-rollout" data-rollout={r.id}>
      <div className="card-head">
        <h2 id="flag-rollout">{isLive(r) ? 'Rollout in progress' : 'Last rollout'}</h2>
        <StatusBadge state={r.state} />
        <span className="spacer" />
        {isLive(r) ? (
          <span className="row">
            {r.state === 'InProgress' ? <ActionButton label="Pause" path={`${base}/pause`} body={body} onDone={onDone} /> : <ActionButton label="Resume" variant="primary" path={`${base}/resume`} body={body} onDone={onDone} />}
            <ActionButton label="Promote" variant="ok" path={`${base}/promote`} body={body} confirm={`Promote rollout ${r.id} of ${r.key} in ${r.environment}? Everyone gets the new definition at once.`} onDone={onDone} />
            <ActionButton label="Abort" variant="danger" path={`${base}/abort`} body={body} confirm={`Abort rollout ${r.id} of ${r.key} in ${r.environment}? Everyone gets version ${r.fromVersion} again.`} onDone={onDone} />
          </span>
        ) : null}
      </div>
      <dl className="facts" aria-label="Rollout facts">
        <div>
          <dt>Rollout</dt>
          <dd>
            #{r.id} · {r.strategy}
          </dd>
        </div>
        <div>
          <dt>Served the new definition</dt>
          <dd data-served-percent>{r.percent} %</dd>
        </div>
        <div>
          <dt>Next step</dt>
          <dd data-next-step>{nextAtMs === undefined ? '—' : <NextStep atMs={nextAtMs} />}</dd>
        </div>
        <div>
          <dt>Started by</dt>
          <dd data-actor>{r.actor}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTime(Date.parse(r.createdAt))}</dd>
        </div>
        <div>
          <dt>Outcome</dt>
          <dd>{outcome(r)}</dd>
        </div>
      </dl>
      <ol className="rollout-steps" aria-label="Rollout steps">
        {r.plan.map((s, i) => (
          <li key={i} aria-current={i === r.stepIndex && isLive(r) ? 'step' : undefined} className={i < r.stepIndex || r.state === 'Succeeded' ? 'done' : i === r.stepIndex ? 'current' : undefined}>
            <span className="rollout-step-percent">{s.percent} %</span>
            <span className="muted small">{s.bakeMs > 0 ? `bakes ${formatDuration(s.bakeMs)}` : 'last'}</span>
          </li>
        ))}
      </ol>
      <div className="two-col rollout-defs">
        <Definition title={`From (version ${r.fromVersion})`} definition={r.from} />
        <Definition title={r.toVersion === null ? 'To' : `To (version ${r.toVersion})`} definition={r.to} />
      </div>
      {r.watchedAlarms.length > 0 ? <p className="pad small muted">Reverted when any of these alarms fires: {r.watchedAlarms.join(', ')}</p> : null}
    </section>
  );
}

/** The time of the next step and a countdown to it, ticking each second. */
function NextStep({ atMs }: { atMs: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      {formatTime(atMs)} <span className="muted small">(in {formatDuration(Math.max(0, atMs - now))})</span>
    </>
  );
}

function Definition({ title, definition }: { title: string; definition: FlagDefinitionDto }) {
  return (
    <div className="pad small">
      <div className="muted">{title}</div>
      default <span className="mono">{showValue(definition.default)}</span>
      {definition.rules.map((rule, i) => (
        <div key={i}>
          <span className="mono">rule-{i + 1}</span> {summarizeRule(rule)}
        </div>
      ))}
    </div>
  );
}

/** How a rollout ended, in a few words: `rolled back by alarm web-5xx`, `aborted by ana`, `version 4`. */
function outcome(r: FlagRolloutDto): string {
  if (r.rollback !== null) {
    if (r.rollback.trigger === 'alarm') return `rolled back by alarm ${r.rollback.alarms.join(', ')} in ${formatDuration(r.rollback.revertMs)}`;
    return r.rollback.reason;
  }
  if (r.state === 'Succeeded') return r.toVersion === null ? 'succeeded' : `written as version ${r.toVersion}`;
  if (r.state === 'Stopped') return 'aborted';
  return 'under way';
}

function RolloutHistory({ rollouts }: { rollouts: readonly FlagRolloutDto[] }) {
  return (
    <section className="card" aria-labelledby="flag-rollout-history">
      <div className="card-head">
        <h2 id="flag-rollout-history">Earlier rollouts</h2>
        <span className="muted small">newest first</span>
      </div>
      <div className="table-wrap">
        <table className="table" aria-label="Earlier rollouts">
          <thead>
            <tr>
              <th scope="col" className="num">
                Rollout
              </th>
              <th scope="col">State</th>
              <th scope="col">Steps</th>
              <th scope="col">Outcome</th>
              <th scope="col">By</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
            </tr>
          </thead>
          <tbody>
            {rollouts.map((r) => (
              <tr key={r.id} data-rollout={r.id}>
                <td className="num">{r.id}</td>
                <td>
                  <StatusBadge state={r.state} />
                </td>
                <td className="small mono">{r.plan.map((s) => s.percent).join(' → ')} %</td>
                <td className="small">{outcome(r)}</td>
                <td>{r.actor}</td>
                <td className="small">{formatTime(Date.parse(r.createdAt))}</td>
                <td className="small">{r.finishedAt === null ? '—' : formatTime(Date.parse(r.finishedAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
