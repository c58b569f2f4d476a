import { afterEach, describe, expect, it } from 'vitest';
import { EventLog, eventMigrations, openDatabase, type NewCustomEvent } from '../../core/index.js';
import { EventLogAlarmSource, parseAlarmEvent } from './event-log-alarm-source.js';

describe('EventLogAlarmSource', () => {
  const closers: (() => void)[] = [];
  afterEach(() => closers.splice(0).forEach((c) => c()));

  it('knows the last state of each alarm and tells listeners of changes', () => {
    // GIVEN a log where gateway-5xx went to ALARM before the source started
    const db = openDatabase(':memory:', { migrations: eventMigrations });
    const events = new EventLog(db);
    // (the first version's shape: `state`, not `newState`; written as an old database holds it)
    new EventLog(db, { validatePayloads: false }).append({ type: 'alarm.state.changed', subject: 'alarm/gateway-5xx', data: { alarm: 'gateway-5xx', state: 'ALARM' } } as unknown as NewCustomEvent);
    const source = new EventLogAlarmSource(events);
    closers.push(() => source.close(), () => db.close());
    const heard: string[] = [];
    source.subscribe((a, s) => heard.push(`${a}=${s}`));
    // WHEN it recovers and another alarm fires
    events.append({ type: 'alarm.state.changed', subject: 'alarm/gateway-5xx', data: { alarm: 'gateway-5xx', oldState: 'ALARM', newState: 'OK' } });
    events.append({ type: 'alarm.state.changed', subject: 'alarm/p99', data: { alarm: 'p99', newState: 'ALARM' } });
    // THEN the states and the notifications follow the log
    expect(source.currentStates(['gateway-5xx', 'p99', 'unknown'])).toEqual(new Map([['gateway-5xx', 'OK'], ['p99', 'ALARM'], ['unknown', 'INSUFFICIENT_DATA']]));
    expect(heard).toEqual(['gateway-5xx=OK', 'p99=ALARM']);
  });

  it('ignores events of another shape', () => {
    // GIVEN malformed events WHEN parsed THEN they are not alarm changes
    expect(parseAlarmEvent({ subject: 'x', data: { state: 'ALARM' } })).toBeUndefined();
    expect(parseAlarmEvent({ subject: 'alarm/a', data: { state: 'RED' } })).toBeUndefined();
    expect(parseAlarmEvent({ subject: 'alarm/a', data: { state: 'ALARM' } })).toEqual({ alarm: 'a', state: 'ALARM' });
  });
});
