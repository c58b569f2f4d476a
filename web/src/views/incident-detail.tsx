import { lazy, Suspense, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ActionItemDto, ActionItemStatus, CausalLinkDto, EscalationDto, IncidentDetailDto, PostmortemDto, TimelineEntryDto } from '../../../src/shared/index.js';
import { formatDuration, formatTime } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { useMutation } from '../lib/use-mutation.js';
import { useResource } from '../lib/use-resource.js';
import { ActionButton } from '../components/action-button.js';
import { Loading, PageHeader, ResourceState } from '../components/states.js';
import { SeverityBadge, StatusBadge } from '../components/status.js';
import { PostmortemCell } from './incidents.js';

// react-markdown and its parser load only with the postmortem preview.
const Markdown = lazy(() => import('../components/markdown.js').then((m) => ({ default: m.Markdown })));

const STATUSES: readonly ActionItemStatus[] = ['Open', 'InProgress', 'Done'];

const LINK_LABEL: Readonly<Record<CausalLinkDto['kind'], string>> = { commit: 'Commit', artifact: 'Artifact', deployment: 'Deployment step', alarm: 'Alarm', rollback: 'Rollback', incident: 'Incident' };

/** Who the dashboard records as acting: the name last given on an approval form, else `dashboard`. */
const actor = (): string => localStorage.getItem('slipway.approver') || 'dashboard';

/** One incident: its state changes, causal chain, timeline, notes, action items and postmortem. */
export function IncidentDetail({ id }: { id: number }) {
  const subject = `incident/${id}`;
  const base = `/api/v1/incidents/${id}`;
  // Its own events change it; while it is open the timeline also grows with the changes and alarms around it.
  const open = useRef(true);
  const detail = useResource<IncidentDetailDto>(base, { refreshOn: ['incident', 'alarm', 'deployment'], when: (e) => e.subject === subject || (!e.type.startsWith('incident.') && open.current) });
  const d = detail.data;
  open.current = d === undefined || d.resolvedAtMs === null;
  const by = { by: actor() };
  return (
    <>
      <PageHeader title={d ? `Incident ${id}: ${d.title}` : `Incident ${id}`} subtitle={<Link to="/incidents">← All incidents</Link>}>
        {d ? (
          <>
            {d.state === 'Triggered' ? <ActionButton label="Acknowledge" path={`${base}/ack`} body={by} variant="primary" onDone={detail.reload} /> : null}
            {d.state === 'Triggered' || d.state === 'Acknowledged' ? <ActionButton label="Mitigate" path={`${base}/mitigate`} body={by} onDone={detail.reload} /> : null}
            {d.state === 'Acknowledged' || d.state === 'Mitigated' ? <ActionButton label="Resolve" path={`${base}/resolve`} body={by} variant="ok" confirm="Resolve this incident? Its postmortem is due five business days from now." onDone={detail.reload} /> : null}
          </>
        ) : null}
      </PageHeader>
      <ResourceState what="incidents" loading={detail.loading} error={detail.error} missing={detail.missing}>
        {d ? (
          <>
            <Facts incident={d} />
            <CausalChain incident={d} />
            <Timeline incident={d} />
            <div className="two-col">
              <Notes incident={d} onDone={detail.reload} />
              <MitigationActions incident={d} />
            </div>
            <ActionItems incident={d} onDone={detail.reload} />
            <PostmortemEditor id={id} onSaved={detail.reload} />
          </>
        ) : null}
      </ResourceState>
    </>
  );
}

function Facts({ incident: d }: { incident: IncidentDetailDto }) {
  const fact = (label: string, value: ReactNode) => (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <section className="card" aria-label="Incident facts">
      <dl className="facts">
        {fact('State', <StatusBadge state={d.state} />)}
        {fact('Severity', <SeverityBadge severity={d.severity} />)}
        {fact('Service', `${d.service ?? '—'}${d.environment ? ` in ${d.environment}` : ''}`)}
        {fact('Alarm', d.alarm === null ? 'opened by hand' : <>{d.alarm} {d.alarmState ? <StatusBadge state={d.alarmState} /> : null}</>)}
        {fact('Assignee', d.assignee ?? '—')}
        {fact('Opened', formatTime(d.triggeredAtMs))}
        {fact('Duration', `${formatDuration((d.resolvedAtMs ?? Date.now()) - d.triggeredAtMs)}${d.resolvedAtMs === null ? ' so far' : ''}`)}
        {fact('Postmortem', <PostmortemCell incident={d} nowMs={Date.now()} />)}
        {fact('Paging', <EscalationCell escalation={d.escalation} />)}
      </dl>
    </section>
  );
}

/** Who the incident paged, at which level of its policy, and what comes next (docs/oncall.md). */
function EscalationCell({ escalation: e }: { escalation: EscalationDto | null }) {
  if (e === null) return <span className="muted">nobody paged</span>;
  const reached = [...e.users, ...e.topics.map((t) => `topic ${t}`)].join(', ') || 'nobody';
  const next = e.ended !== null ? `ended: ${e.ended}` : e.nextEscalationAtMs !== null ? `level ${e.level + 1} at ${formatTime(e.nextEscalationAtMs)} unless acknowledged` : 'last level';
  return (
    <span data-escalation-level={e.level} data-escalation-ended={e.ended ?? ''}>
      level {e.level} of {e.policy}: {reached} <span className="muted small">({next}; {e.pages} page{e.pages === 1 ? '' : 's'})</span>
    </span>
  );
}

function CausalChain({ incident: d }: { incident: IncidentDetailDto }) {
  return (
    <section className="card" aria-labelledby="inc-chain">
      <div className="card-head">
        <h2 id="inc-chain">Causal chain</h2>
        {d.likelyCause ? <span className="muted small">rule {d.likelyCause.rule}</span> : null}
      </div>
      {d.likelyCause === null ? <p className="pad muted">No change in the event log is named as the cause.</p> : <p className="pad">Likely cause: {d.likelyCause.summary} — {d.likelyCause.reason}.</p>}
      <ol className="chain" aria-label="Causal chain">
        {d.causalChain.map((l) => (
          <li key={`${l.kind}-${l.seq}`} className={`chain-link chain-${l.kind}`} data-kind={l.kind}>
            <span className="chain-kind">{LINK_LABEL[l.kind]}</span>
            <span className="chain-summary">{l.summary}</span>
            <time className="muted small">{formatTime(l.timeMs)}</time>
          </li>
        ))}
      </ol>
      {d.alsoChanged.length > 0 ? (
        <details className="pad">
          <summary>Also changed around then ({d.alsoChanged.length}, not blamed)</summary>
          <ul>
            {d.alsoChanged.map((a) => (
              <li key={a.ref}>
                {a.summary}, {formatDuration(Math.abs(a.beforeTriggerMs))} {a.beforeTriggerMs >= 0 ? 'before' : 'after'} the trigger
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}

function Timeline({ incident: d }: { incident: IncidentDetailDto }) {
  const chain = new Map(d.causalChain.map((l) => [l.seq, l]));
  const label = (e: TimelineEntryDto): string | undefined => (chain.has(e.seq) ? LINK_LABEL[chain.get(e.seq)!.kind].toLowerCase() : e.likelyCause ? 'likely cause' : undefined);
  return (
    <section className="card" aria-labelledby="inc-timeline">
      <div className="card-head">
        <h2 id="inc-timeline">Timeline</h2>
        <span className="muted small">{d.timeline.length} events; the causal chain is marked</span>
      </div>
      {d.timeline.length === 0 ? (
        <p className="pad muted">No events around the incident.</p>
      ) : (
        <ol className="timeline" aria-label="Timeline">
          {d.timeline.map((e) => {
            const mark = label(e);
            return (
              <li key={e.seq} data-seq={e.seq} data-type={e.type} className={`tl-entry${chain.has(e.seq) ? ' tl-chain' : ''}${e.likelyCause ? ' tl-cause' : ''}`} title={e.likelyCauseReason}>
                <time className="muted small">{formatTime(e.timeMs)}</time>
                <span className="mono small tl-type">{e.type}</span>
                <span className="tl-summary">{e.summary}</span>
                {mark ? <span className="badge tone-fail tl-mark">{mark}</span> : null}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function Notes({ incident: d, onDone }: { incident: IncidentDetailDto; onDone: () => void }) {
  const [text, setText] = useState('');
  const m = useMutation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void m.run(`/api/v1/incidents/${d.id}/notes`, 'POST', { text: text.trim(), author: actor() }).then((ok) => {
      if (ok === undefined) return;
      setText('');
      onDone();
    });
  };
  return (
    <section className="card" aria-labelledby="inc-notes">
      <div className="card-head">
        <h2 id="inc-notes">Notes</h2>
      </div>
      {d.notes.length === 0 ? (
        <p className="pad muted">No notes yet.</p>
      ) : (
        <ul className="steps" aria-label="Notes">
          {d.notes.map((n) => (
            <li key={n.seq} className="note">
              <span className="muted small">
                {formatTime(n.timeMs)} · {n.author}
              </span>
              <span className="note-text">{n.text}</span>
            </li>
          ))}
        </ul>
      )}
      <form className="pad stack" onSubmit={submit}>
        <label className="field">
          New note
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={2} maxLength={10_000} />
        </label>
        <span className="row">
          <button type="submit" className="btn" disabled={m.busy || text.trim() === ''}>
            {m.busy ? 'Adding…' : 'Add note'}
          </button>
          {m.error ? (
            <span className="error-text small" role="alert">
              {m.error}
            </span>
          ) : null}
        </span>
      </form>
    </section>
  );
}

function MitigationActions({ incident: d }: { incident: IncidentDetailDto }) {
  return (
    <section className="card" aria-labelledby="inc-actions">
      <div className="card-head">
        <h2 id="inc-actions">Mitigation</h2>
      </div>
      {d.actions.length === 0 ? (
        <p className="pad muted">No rollback or manual step recorded.</p>
      ) : (
        <ul className="steps">
          {d.actions.map((a) => (
            <li key={a.seq} className="step">
              <StatusBadge state={a.ok ? 'Succeeded' : 'Failed'} />
              <span className="step-name">{a.kind === 'rollback' ? `Rollback of deployment ${a.deploymentId}` : a.description}</span>
              <span className="muted small">{a.by}</span>
              <span className="muted small step-msg">{a.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A week from today, as the due date a new action item starts with. */
function inAWeek(): string {
  return new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
}

function ActionItems({ incident: d, onDone }: { incident: IncidentDetailDto; onDone: () => void }) {
  const [text, setText] = useState('');
  const [owner, setOwner] = useState(d.assignee ?? '');
  const [dueDate, setDueDate] = useState(inAWeek);
  const m = useMutation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void m.run(`/api/v1/incidents/${d.id}/action-items`, 'POST', { text: text.trim(), owner: owner.trim(), dueDate, by: actor() }).then((ok) => {
      if (ok === undefined) return;
      setText('');
      onDone();
    });
  };
  return (
    <section className="card" aria-labelledby="inc-items">
      <div className="card-head">
        <h2 id="inc-items">Action items</h2>
        <span className="muted small">follow-ups, each with an owner and a due date</span>
      </div>
      {d.actionItems.length === 0 ? (
        <p className="pad muted">No action items yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Action items">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {d.actionItems.map((a) => (
                <ActionItemRow key={a.itemId} incidentId={d.id} item={a} onDone={onDone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="pad toolbar" onSubmit={submit} aria-label="New action item">
        <label className="field grow">
          Action
          <input value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} />
        </label>
        <label className="field">
          Owner
          <input value={owner} onChange={(e) => setOwner(e.target.value)} maxLength={200} />
        </label>
        <label className="field">
          Due
          <input type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} required />
        </label>
        <button type="submit" className="btn" disabled={m.busy || text.trim() === '' || owner.trim() === '' || dueDate === ''}>
          {m.busy ? 'Adding…' : 'Add action item'}
        </button>
        {m.error ? (
          <span className="error-text small" role="alert">
            {m.error}
          </span>
        ) : null}
      </form>
    </section>
  );
}

function ActionItemRow({ incidentId, item: a, onDone }: { incidentId: number; item: ActionItemDto; onDone: () => void }) {
  const m = useMutation();
  const overdue = a.status !== 'Done' && a.dueDate < new Date().toISOString().slice(0, 10);
  const setStatus = (status: string) => void m.run(`/api/v1/incidents/${incidentId}/action-items/${a.itemId}`, 'PATCH', { status, by: actor() }).then((ok) => ok !== undefined && onDone());
  return (
    <tr data-item={a.itemId}>
      <td className="mono">{a.itemId}</td>
      <td>{a.text}</td>
      <td>{a.owner}</td>
      <td className={overdue ? 'tone-text-fail' : undefined} title={overdue ? 'past its due date' : undefined}>
        {a.dueDate}
      </td>
      <td>
        <span className="row">
          <StatusBadge state={a.status} />
          <select className="select" aria-label={`Status of action item ${a.itemId}`} value={a.status} disabled={m.busy} onChange={(e) => setStatus(e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          {m.error ? (
            <span className="error-text small" role="alert">
              {m.error}
            </span>
          ) : null}
        </span>
      </td>
    </tr>
  );
}

function PostmortemEditor({ id, onSaved }: { id: number; onSaved: () => void }) {
  // Read once: a live reload would overwrite what is being typed; the draft changes only on request.
  const pm = useResource<PostmortemDto>(`/api/v1/incidents/${id}/postmortem`);
  const [text, setText] = useState<string | undefined>();
  // The text as last read or saved: what "edited" is measured against.
  const [baseline, setBaseline] = useState<string | undefined>();
  const [savedAtMs, setSavedAtMs] = useState<number | null>(null);
  const m = useMutation();
  useEffect(() => {
    if (pm.data && text === undefined) {
      setText(pm.data.markdown);
      setBaseline(pm.data.markdown);
      setSavedAtMs(pm.data.updatedAtMs);
    }
  }, [pm.data, text]);
  const save = () => {
    if (text === undefined) return;
    void m.run<PostmortemDto>(`/api/v1/incidents/${id}/postmortem`, 'PUT', { markdown: text, author: actor() }).then((saved) => {
      if (saved === undefined) return;
      setBaseline(saved.markdown);
      setSavedAtMs(saved.updatedAtMs);
      onSaved();
    });
  };
  const dirty = text !== undefined && text !== baseline;
  return (
    <section className="card" aria-labelledby="inc-postmortem">
      <div className="card-head">
        <h2 id="inc-postmortem">Postmortem</h2>
        <span className="row">
          <span className="muted small" role="status">
            {savedAtMs === null ? 'Generated draft, not saved yet' : `Saved ${formatTime(savedAtMs)}`}
          </span>
          <button type="button" className="btn btn-primary" disabled={m.busy || text === undefined || text.trim() === ''} onClick={save}>
            {m.busy ? 'Saving…' : 'Save postmortem'}
          </button>
          {m.error ? (
            <span className="error-text small" role="alert">
              {m.error}
            </span>
          ) : null}
        </span>
      </div>
      <ResourceState what="postmortems" loading={pm.loading} error={pm.error} missing={pm.missing}>
        <div className="pm-layout">
          <label className="field pm-editor">
            Markdown{dirty ? ' (edited)' : ''}
            <textarea value={text ?? ''} onChange={(e) => setText(e.target.value)} spellCheck rows={24} aria-label="Postmortem Markdown" />
          </label>
          <div className="pm-preview" aria-label="Postmortem preview" role="region">
            <Suspense fallback={<Loading label="Loading the preview…" />}>
              <Markdown text={text ?? ''} />
            </Suspense>
          </div>
        </div>
      </ResourceState>
    </section>
  );
}
