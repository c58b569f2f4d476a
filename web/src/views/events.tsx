import { useEffect, useMemo, useState } from 'react';
import { api, qs } from '../lib/api.js';
import { formatTime } from '../lib/format.js';
import { matchesPrefix, useLiveEvents, useStreamState } from '../lib/live-events.js';
import { setQuery, useLocation } from '../lib/router.js';
import type { EventDto, EventsPageDto } from '../../../src/shared/index.js';
import { toneOf, type Tone } from '../components/status.js';
import { EmptyState, Loading, PageHeader } from '../components/states.js';

const BACKLOG = 200;
const KEEP = 1000;
const QUICK = ['task', 'service', 'deployment', 'pipeline', 'alarm', 'incident', 'custom'];

/** The tone of an event type from its last word (`failed`, `succeeded`, …). */
function eventTone(e: EventDto, type: string): Tone {
  if (typeof e.data.to === 'string') return toneOf(e.data.to);
  const last = type.split('.').at(-1) ?? '';
  if (/fail|rolledback|aborted|killed|exited|unhealthy|rejected/.test(last)) return 'fail';
  if (/succeeded|healthy|approved|resolved|promoted/.test(last)) return 'ok';
  if (/started|adopted|shifted|scaled/.test(last)) return 'progress';
  if (/paused|waiting|stop/.test(last)) return 'wait';
  return 'idle';
}

/** The event log, newest first: the recent backlog, then each event as it is appended. */
export function EventsView() {
  const { query } = useLocation();
  const type = query.get('type') ?? '';
  const [draft, setDraft] = useState(type);
  const [events, setEvents] = useState<EventDto[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState<number | undefined>();
  const stream = useStreamState();

  useEffect(() => setDraft(type), [type]);
  useEffect(() => {
    let cancelled = false;
    setEvents(undefined);
    api<EventsPageDto>('/api/v1/events?limit=1')
      .then(({ lastSeq }) => api<EventsPageDto>(`/api/v1/events${qs({ type: type || undefined, after: Math.max(0, lastSeq - BACKLOG * 5), limit: 10_000 })}`))
      .then(
        (page) => !cancelled && setEvents([...page.events].reverse().slice(0, BACKLOG)),
        (err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)),
      );
    return () => {
      cancelled = true;
    };
  }, [type]);

  useLiveEvents([], (e) => {
    if (type !== '' && !matchesPrefix(e.type, type)) return;
    setEvents((list) => (list === undefined || list.some((x) => x.seq === e.seq) ? list : [e, ...list].slice(0, KEEP)));
  });

  const rows = useMemo(() => events ?? [], [events]);
  return (
    <>
      <PageHeader title="Events" subtitle={stream === 'live' ? 'Live: new events appear at the top.' : 'Reconnecting to the event stream…'} />
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ type: draft.trim() });
        }}
      >
        <label className="field inline">
          <span>Type prefix</span>
          <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="e.g. deployment or task.health" list="event-types" />
        </label>
        <button type="submit" className="btn">
          Filter
        </button>
        <div className="chips" role="group" aria-label="Quick filters">
          {QUICK.map((q) => (
            <button key={q} type="button" className={`chip${type === q ? ' chip-on' : ''}`} aria-pressed={type === q} onClick={() => setQuery({ type: type === q ? undefined : q })}>
              {q}
            </button>
          ))}
        </div>
      </form>
      {error ? (
        <div className="error-box" role="alert">
          {error}
        </div>
      ) : events === undefined ? (
        <Loading />
      ) : rows.length === 0 ? (
        <EmptyState title={type ? `No recent ${type} events` : 'No events yet'}>New events will appear here as they happen.</EmptyState>
      ) : (
        <ol className="event-list" aria-label="Events" aria-live="polite">
          {rows.map((e) => (
            <li key={e.seq} className="event" data-type={e.type}>
              <button type="button" className="event-row" aria-expanded={open === e.seq} onClick={() => setOpen(open === e.seq ? undefined : e.seq)}>
                <span className="mono muted event-seq">#{e.seq}</span>
                <time className="mono muted" dateTime={e.time}>
                  {formatTime(e.timeMs)}
                </time>
                <span className="event-type">
                  <span className={`dot small-dot tone-${eventTone(e, e.type)}`} aria-hidden="true" />
                  {e.type}
                </span>
                <span className="event-subject mono">{e.subject}</span>
              </button>
              {open === e.seq ? <pre className="event-data">{JSON.stringify(e.data, null, 2)}</pre> : null}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
