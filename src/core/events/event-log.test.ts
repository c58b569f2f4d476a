import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { openDatabase, type Db } from '../db/index.js';
import { SlipwayError } from '../../shared/index.js';
import { EventLog, validatePayloadsByDefault } from './event-log.js';
import { nextEvent } from './next-event.js';
import { eventMigrations, type NewCustomEvent, type NewEvent, type SlipwayEvent } from './model.js';

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

  const started = { runId: 1, trigger: 'manual', ref: null, branch: 'main', commitSha: 'abc', stages: ['Build'] };

  it('numbers appends 1, 2, 3 with the clock time and returns them', () => {
    // GIVEN an empty log WHEN three events are appended
    const a = log.append({ type: 'pipeline.run.started', subject: 'pipeline-run/1', data: started });
    clock.advance(5);
    const b = log.append({ type: 'custom.release.noted', subject: 'release/1' });
    const [c] = log.appendAll([{ type: 'custom.release.noted', subject: 'release/2', data: { note: 'second' } }]);
    // THEN they get consecutive sequence numbers and their times
    expect([a.seq, b.seq, c?.seq]).toEqual([1, 2, 3]);
    expect(a).toEqual({ seq: 1, timeMs: 1_000_000, type: 'pipeline.run.started', subject: 'pipeline-run/1', data: started });
    expect(b).toMatchObject({ timeMs: 1_000_005, data: {} });
    expect(log.lastSeq()).toBe(3);
  });

  it('filters by type prefix on whole words, subject, sequence and time', () => {
    log.append({ type: 'custom.deployment.started', subject: 'deployment/1' });
    clock.advance(10);
    log.append({ type: 'custom.deployment.traffic.shifted', subject: 'deployment/1' });
    clock.advance(10);
    log.append({ type: 'custom.deployments_x.other', subject: 'deployment/2' });
    log.append({ type: 'alarm.state.changed', subject: 'alarm/gateway-5xx', data: { alarm: 'gateway-5xx', newState: 'ALARM' } });
    const seqs = (events: SlipwayEvent[]) => events.map((e) => e.seq);
    // GIVEN four events WHEN filtered THEN only the matching ones come back, oldest first
    expect(seqs(log.list({ type: 'custom.deployment' }))).toEqual([1, 2]);
    expect(seqs(log.list({ type: 'custom.deployment.traffic' }))).toEqual([2]);
    expect(seqs(log.list({ type: 'custom.deployment.traffic.shifted' }))).toEqual([2]);
    expect(seqs(log.list({ subject: 'deployment/1' }))).toEqual([1, 2]);
    expect(seqs(log.list({ afterSeq: 2 }))).toEqual([3, 4]);
    expect(seqs(log.list({ sinceMs: 1_000_010, untilMs: 1_000_020 }))).toEqual([2]);
    expect(seqs(log.list({ limit: 2 }))).toEqual([1, 2]);
    expect(seqs(log.list({ afterSeq: 1, limit: 2 }))).toEqual([2, 3]);
  });

  it('treats % and _ in a type filter literally', () => {
    log.append({ type: 'custom.a_b.c', subject: 's' });
    log.append({ type: 'custom.axb.c', subject: 's' });
    expect(log.list({ type: 'custom.a_b' }).map((e) => e.type)).toEqual(['custom.a_b.c']);
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
      { type: 'custom.x.one', subject: 's' },
      { type: 'custom.x.two', subject: 's' },
    ]);
    off();
    log.append({ type: 'custom.x.three', subject: 's' });
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(3);
  });

  it.each([
    [{ type: 'started', subject: 's' }, 'type: "started" is not a dotted lowercase event type such as "deployment.traffic.shifted"'],
    [{ type: 'Deployment.Started', subject: 's' }, 'type: "Deployment.Started" is not a dotted lowercase event type such as "deployment.traffic.shifted"'],
    [{ type: 'test.happened', subject: 's' }, 'type: "test.happened" is not in the event catalog (src/shared/events) and does not start with "custom."'],
    [{ type: 'custom.a', subject: '' }, 'subject: must be a non-empty string of at most 512 characters'],
    [{ type: 'custom.a', subject: 's', data: [] as unknown as Record<string, unknown> }, 'data: must be a JSON object'],
  ])('refuses %j with a clear message and appends nothing', (event, message) => {
    expect(() => log.append(event as NewEvent as NewCustomEvent)).toThrow(message);
    expect(log.lastSeq()).toBe(0);
  });

  it('refuses a payload that does not match the catalog, saying which field, when validation is on', () => {
    // GIVEN a log that validates payloads WHEN an alarm event misses newState and names a state that does not exist
    log = new EventLog(db, { clock, validatePayloads: true });
    const bad = { type: 'alarm.state.changed', subject: 'alarm/a', data: { alarm: 'a', oldState: 'BROKEN' } } as unknown as NewEvent as NewCustomEvent;
    // THEN it throws SLW_ERR_EVENT_PAYLOAD_INVALID with the paths, and nothing is appended
    let thrown: unknown;
    try {
      log.append(bad);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SlipwayError);
    expect((thrown as SlipwayError).code).toBe('SLW_ERR_EVENT_PAYLOAD_INVALID');
    expect((thrown as SlipwayError).issues.map((i) => i.path).sort()).toEqual(['data.newState', 'data.oldState']);
    expect(log.lastSeq()).toBe(0);
  });

  it('checks only that the type is catalogued when validation is off', () => {
    // GIVEN a log that does not validate payloads
    log = new EventLog(db, { clock, validatePayloads: false });
    // WHEN a catalogued type comes with a payload of another shape THEN it is appended as it is
    log.append({ type: 'alarm.state.changed', subject: 'alarm/a', data: { name: 'a' } } as unknown as NewEvent as NewCustomEvent);
    expect(log.list()[0]?.data).toEqual({ name: 'a' });
    // AND an uncatalogued type is still refused
    expect(() => log.append({ type: 'made.up', subject: 's' } as unknown as NewCustomEvent)).toThrow('is not in the event catalog');
  });

  it('validates payloads by default under vitest and NODE_ENV test or development, not in production', () => {
    expect(validatePayloadsByDefault({ VITEST: 'true' })).toBe(true);
    expect(validatePayloadsByDefault({ NODE_ENV: 'test' })).toBe(true);
    expect(validatePayloadsByDefault({ NODE_ENV: 'development' })).toBe(true);
    expect(validatePayloadsByDefault({ NODE_ENV: 'production' })).toBe(false);
    expect(validatePayloadsByDefault({})).toBe(false);
    expect(validatePayloadsByDefault({ SLIPWAY_VALIDATE_EVENTS: '1' })).toBe(true);
  });

  it('appends a batch atomically: one bad event appends none', () => {
    expect(() =>
      log.appendAll([
        { type: 'custom.a', subject: 's' },
        { type: 'bad', subject: 's' } as unknown as NewCustomEvent,
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
    const waiting = nextEvent(log, (e) => e.type.startsWith('custom.deployment.'), 60_000).then(() => (woke = true));
    log.append({ type: 'custom.task.started', subject: 't' });
    await Promise.resolve();
    expect(woke).toBe(false);
    log.append({ type: 'custom.deployment.started', subject: 'deployment/1' });
    await waiting;
    // THEN it woke on the deployment event; AND a wait with nothing to match ends at its timeout
    expect(woke).toBe(true);
    await nextEvent(log, () => false, 10);
    db.close();
  });
});
