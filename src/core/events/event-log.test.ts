import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { openDatabase, type Db } from '../db/index.js';
import { EventLog } from './event-log.js';
import { nextEvent } from './next-event.js';
import { eventMigrations, type SlipwayEvent } from './model.js';

describe('EventLog', () => {
  let db: Db;
  let clock: ManualClock;
  let log: EventLog;

  beforeEach(() => {
    db = openDatabase(':memory:', { migrations: eventMigrations });
    clock = new ManualClock(1_000_000);
    log = new EventLog(db, { clock });
  });
  afterEach(() => db.close());

  it('numbers appends 1, 2, 3 with the clock time and returns them', () => {
    // GIVEN an empty log WHEN three events are appended
    const a = log.append({ type: 'pipeline.run.started', subject: 'run/1', data: { commit: 'abc' } });
    clock.advance(5);
    const b = log.append({ type: 'pipeline.run.succeeded', subject: 'run/1' });
    const [c] = log.appendAll([{ type: 'deployment.started', subject: 'deployment/1' }]);
    // THEN they get consecutive sequence numbers and their times
    expect([a.seq, b.seq, c?.seq]).toEqual([1, 2, 3]);
    expect(a).toEqual({ seq: 1, timeMs: 1_000_000, type: 'pipeline.run.started', subject: 'run/1', data: { commit: 'abc' } });
    expect(b.timeMs).toBe(1_000_005);
    expect(log.lastSeq()).toBe(3);
  });

  it('filters by type prefix on whole words, subject, sequence and time', () => {
    log.append({ type: 'deployment.started', subject: 'deployment/1' });
    clock.advance(10);
    log.append({ type: 'deployment.traffic.shifted', subject: 'deployment/1' });
    clock.advance(10);
    log.append({ type: 'deployments_x.other', subject: 'deployment/2' });
    log.append({ type: 'alarm.state.changed', subject: 'alarm/gateway-5xx' });
    const seqs = (events: SlipwayEvent[]) => events.map((e) => e.seq);
    // GIVEN four events WHEN filtered THEN only the matching ones come back, oldest first
    expect(seqs(log.list({ type: 'deployment' }))).toEqual([1, 2]);
    expect(seqs(log.list({ type: 'deployment.traffic' }))).toEqual([2]);
    expect(seqs(log.list({ type: 'deployment.traffic.shifted' }))).toEqual([2]);
    expect(seqs(log.list({ subject: 'deployment/1' }))).toEqual([1, 2]);
    expect(seqs(log.list({ afterSeq: 2 }))).toEqual([3, 4]);
    expect(seqs(log.list({ sinceMs: 1_000_010, untilMs: 1_000_020 }))).toEqual([2]);
    expect(seqs(log.list({ limit: 2 }))).toEqual([1, 2]);
    expect(seqs(log.list({ afterSeq: 1, limit: 2 }))).toEqual([2, 3]);
  });

  it('treats % and _ in a type filter literally', () => {
    log.append({ type: 'a_b.c', subject: 's' });
    log.append({ type: 'axb.c', subject: 's' });
    expect(log.list({ type: 'a_b' }).map((e) => e.type)).toEqual(['a_b.c']);
    expect(log.list({ type: '%' })).toEqual([]);
  });

  it('tells subscribers of each committed event, in order, and keeps going when one throws', () => {
    const seen: number[] = [];
    const errors: unknown[] = [];
    log = new EventLog(db, { clock, onListenerError: (e) => errors.push(e) });
    log.subscribe(() => {
      throw new Error('faulty listener');
    });
    const off = log.subscribe((e) => seen.push(e.seq));
    log.appendAll([
      { type: 'x.one', subject: 's' },
      { type: 'x.two', subject: 's' },
    ]);
    off();
    log.append({ type: 'x.three', subject: 's' });
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(3);
  });

  it.each([
    [{ type: 'started', subject: 's' }, 'type: "started" is not a dotted lowercase event type such as "deployment.traffic.shifted"'],
    [{ type: 'Deployment.Started', subject: 's' }, 'type: "Deployment.Started" is not a dotted lowercase event type such as "deployment.traffic.shifted"'],
    [{ type: 'a.b', subject: '' }, 'subject: must be a non-empty string of at most 512 characters'],
    [{ type: 'a.b', subject: 's', data: [] as unknown as Record<string, unknown> }, 'data: must be a JSON object'],
  ])('refuses %j with a clear message and appends nothing', (event, message) => {
    expect(() => log.append(event)).toThrow(message);
    expect(log.lastSeq()).toBe(0);
  });

  it('appends a batch atomically: one bad event appends none', () => {
    expect(() =>
      log.appendAll([
        { type: 'a.b', subject: 's' },
        { type: 'bad', subject: 's' },
      ]),
    ).toThrow('[1].type: "bad"');
    expect(log.lastSeq()).toBe(0);
  });
});

describe('nextEvent', () => {
  it('resolves at the first matching event, and at the timeout when none comes', async () => {
    const db = openDatabase(':memory:', { migrations: eventMigrations });
    const log = new EventLog(db);
    // GIVEN a wait for deployment events WHEN another event and then a deployment event are appended
    let woke = false;
    const waiting = nextEvent(log, (e) => e.type.startsWith('deployment.'), 60_000).then(() => (woke = true));
    log.append({ type: 'task.started', subject: 't' });
    await Promise.resolve();
    expect(woke).toBe(false);
    log.append({ type: 'deployment.started', subject: 'deployment/1' });
    await waiting;
    // THEN it woke on the deployment event; AND a wait with nothing to match ends at its timeout
    expect(woke).toBe(true);
    await nextEvent(log, () => false, 10);
    db.close();
  });
});
