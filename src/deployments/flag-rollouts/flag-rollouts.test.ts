import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventLog, eventMigrations, openDatabase, type Db } from '../../core/index.js';
import { FlagStore, flagMigrations, evaluateStoredFlag } from '../../flags/index.js';
import { SlipwayError, compileFlag, resolveApp, type ResolvedApp } from '../../shared/index.js';
import { StaticAlarmSource } from '../alarms/alarm-source.js';
import { deploymentMigrations } from '../store/migrations.js';
import { FlagRollouts } from './flag-rollouts.js';

const clock = { now: () => Date.now() };
const on = { default: false, rules: [{ percentage: 100, value: true }] };
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof SlipwayError ? err.code : String(err);
  }
  return undefined;
};

/** The flag rollout engine over a real flag store and event log, with alarms set by hand and fake timers. */
describe('FlagRollouts', () => {
  let db: Db;
  let events: EventLog;
  let app: ResolvedApp;
  let flags: FlagStore;
  let alarms: StaticAlarmSource;
  let rollouts: FlagRollouts;
  const types = (id: number) => events.list({ subject: `flag-rollout/${id}`, limit: 100 }).map((e) => e.type);
  const valueFor = (key: string) => (evaluateStoredFlag('production', 'newCheckout', flags.tryGet('production', 'newCheckout'), { targetingKey: key }) as { value: unknown }).value;
  const share = () => Array.from({ length: 2000 }, (_, i) => valueFor(`u${i}`)).filter((v) => v === true).length / 20;

  beforeEach(() => {
    vi.useFakeTimers();
    db = openDatabase(':memory:', { migrations: [...eventMigrations, ...deploymentMigrations, ...flagMigrations] });
    events = new EventLog(db);
    app = resolveApp({
      name: 'shop',
      services: { web: { path: 'web', start: 'node server.js' } },
      environments: { production: { ingressPort: 8080, rollbackOn: ['web-5xx'] } },
      alarms: { 'web-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'web', stat: 'Sum', period: '10s', threshold: 5, evaluationPeriods: 1 } },
      flags: { newCheckout: { default: false } },
    });
    flags = new FlagStore(db, { clock, appendEvent: (e) => void events.append(e) });
    flags.seed(app);
    alarms = new StaticAlarmSource();
    rollouts = new FlagRollouts({ app, db, flags, events, alarms, clock });
  });

  afterEach(() => {
    rollouts.close();
    db.close();
    vi.useRealTimers();
  });

  it('steps 5 → 25 → 50 → 100 % with a bake time at each, then writes the new version', () => {
    // GIVEN a canary rollout WHEN its bake times pass THEN the share grows step by step and the flag gets version 2
    const r = rollouts.start({ environment: 'production', to: compileFlag('newCheckout', on), strategy: { type: 'canary', steps: [5, 25, 50, 100], interval: '30s' }, actor: 'ana' });
    expect(r).toMatchObject({ state: 'InProgress', stepIndex: 0, percent: 5, fromVersion: 1, watchedAlarms: ['web-5xx'], plan: [{ percent: 5, bakeMs: 30_000 }, { percent: 25, bakeMs: 30_000 }, { percent: 50, bakeMs: 30_000 }, { percent: 100, bakeMs: 0 }] });
    expect(share()).toBeGreaterThan(2);
    expect(share()).toBeLessThan(9);
    vi.advanceTimersByTime(30_000);
    expect(rollouts.get(r.id)).toMatchObject({ stepIndex: 1, percent: 25 });
    vi.advanceTimersByTime(60_000);
    const done = rollouts.get(r.id);
    expect(done).toMatchObject({ state: 'Succeeded', percent: 100, toVersion: 2 });
    expect(flags.get('production', 'newCheckout')).toMatchObject({ version: 2, flag: { rules: [{ percentage: 100, value: true }] } });
    expect(flags.get('production', 'newCheckout').rollout).toBeUndefined();
    expect(types(r.id)).toEqual(['flag.rollout.started', 'flag.rollout.step', 'flag.rollout.step', 'flag.rollout.step', 'flag.rollout.succeeded']);
    const changed = events.list({ type: 'flag.changed', limit: 10 }).at(-1)!;
    expect(changed.data).toMatchObject({ version: 2, previousVersion: 1, change: 'Updated', actor: 'ana', rolloutId: r.id });
  });

  it('an alarm of rollbackOn reverts it at once, in the same turn as the alarm notification', () => {
    // GIVEN a rollout at step 2 WHEN the environment's rollbackOn alarm goes to ALARM THEN the flag serves version 1 to everyone
    const r = rollouts.start({ environment: 'production', to: compileFlag('newCheckout', on), strategy: { type: 'canary', steps: [5, 25, 50, 100], interval: '30s' }, actor: 'ana' });
    vi.advanceTimersByTime(30_000);
    expect(share()).toBeGreaterThan(20);
    alarms.set('web-5xx', 'ALARM');
    const back = rollouts.get(r.id);
    expect(back).toMatchObject({ state: 'RolledBack', percent: 0, rollback: { trigger: 'alarm', alarms: ['web-5xx'] } });
    expect(share()).toBe(0);
    expect(flags.get('production', 'newCheckout')).toMatchObject({ version: 1 });
    const end = events.list({ subject: `flag-rollout/${r.id}`, type: 'flag.rollout.rolled_back', limit: 1 })[0]!;
    expect(end.data).toMatchObject({ trigger: 'alarm', alarms: ['web-5xx'], reachedPercent: 25, state: 'RolledBack', stepIndex: 1 });
    // Nothing more happens after the revert: its timers were cancelled.
    vi.advanceTimersByTime(120_000);
    expect(rollouts.get(r.id).state).toBe('RolledBack');
  });

  it('a paused rollout still serves its share, so an alarm reverts it too', () => {
    const r = rollouts.start({ environment: 'production', to: compileFlag('newCheckout', on), strategy: { type: 'canary', steps: [50, 100], interval: '1m' }, actor: 'ana' });
    rollouts.pause(r.id, { actor: 'bo' });
    alarms.set('web-5xx', 'ALARM');
    expect(rollouts.get(r.id)).toMatchObject({ state: 'RolledBack', rollback: { trigger: 'alarm' } });
    expect(share()).toBe(0);
  });

  it('all at once succeeds before start returns; pause, resume, promote and abort follow the deployment words', () => {
    const once = rollouts.start({ environment: 'production', to: compileFlag('newCheckout', on), strategy: 'CodeDeployDefault.AllAtOnce', actor: 'ana' });
    expect(once).toMatchObject({ state: 'Succeeded', toVersion: 2, plan: [{ percent: 100, bakeMs: 0 }] });
    const r = rollouts.start({ environment: 'production', to: compileFlag('newCheckout', { default: true }), strategy: { type: 'linear', percent: 50, every: '1m' }, actor: 'ana' });
    expect(rollouts.pause(r.id, { actor: 'bo' }).state).toBe('Paused');
    vi.advanceTimersByTime(120_000);
    expect(rollouts.get(r.id)).toMatchObject({ state: 'Paused', percent: 50 });
    expect(codeOf(() => rollouts.resume(once.id, { actor: 'bo' }))).toBe('SLW_ERR_FLAG_ROLLOUT_STATE');
    expect(rollouts.resume(r.id, { actor: 'bo' }).state).toBe('InProgress');
    expect(rollouts.promote(r.id, { actor: 'bo' })).toMatchObject({ state: 'Succeeded', toVersion: 3 });
    const third = rollouts.start({ environment: 'production', to: compileFlag('newCheckout', { default: false }), strategy: { type: 'canary', steps: [10, 100], interval: '1m' }, actor: 'ana' });
    expect(rollouts.abort(third.id, { actor: 'bo' })).toMatchObject({ state: 'Stopped', rollback: { trigger: 'abort' } });
    expect(flags.get('production', 'newCheckout')).toMatchObject({ version: 3, flag: { defaultValue: true } });
    expect(types(r.id)).toEqual(['flag.rollout.started', 'flag.rollout.paused', 'flag.rollout.resumed', 'flag.rollout.promoted', 'flag.rollout.succeeded']);
  });

  it('refuses what it cannot roll out, with a code each', () => {
    const to = compileFlag('newCheckout', on);
    expect(codeOf(() => rollouts.start({ environment: 'staging', to, actor: 'a' }))).toBe('SLW_ERR_FLAG_ENVIRONMENT_NOT_FOUND');
    expect(codeOf(() => rollouts.start({ environment: 'production', to: compileFlag('nope', on), actor: 'a' }))).toBe('SLW_ERR_FLAG_NOT_FOUND');
    expect(codeOf(() => rollouts.start({ environment: 'production', to, strategy: { type: 'canary', steps: [50, 25, 100], interval: '1s' }, actor: 'a' }))).toBe('SLW_ERR_FLAG_ROLLOUT_INVALID');
    expect(codeOf(() => rollouts.start({ environment: 'production', to, strategy: { type: 'canary', steps: [5, 150], interval: '1s' }, actor: 'a' }))).toBe('SLW_ERR_FLAG_ROLLOUT_INVALID');
    expect(codeOf(() => rollouts.start({ environment: 'production', to, strategy: { type: 'rolling' }, actor: 'a' }))).toBe('SLW_ERR_FLAG_ROLLOUT_INVALID');
    // A value of another type than the served one (both are served during the rollout).
    expect(codeOf(() => rollouts.start({ environment: 'production', to: compileFlag('newCheckout', { default: 'on' }), actor: 'a' }))).toBe('SLW_ERR_FLAG_ROLLOUT_INVALID');
    expect(codeOf(() => rollouts.start({ environment: 'production', to: compileFlag('newCheckout', { default: true }), actor: 'a' }))).toBe(undefined);
    // The definition served already: nothing to roll out.
    expect(codeOf(() => rollouts.start({ environment: 'production', to: compileFlag('newCheckout', { default: true }), actor: 'a' }))).toBe('SLW_ERR_FLAG_ROLLOUT_INVALID');
    rollouts.start({ environment: 'production', to: compileFlag('newCheckout', { default: false }), strategy: { type: 'canary', steps: [10, 100], interval: '1m' }, actor: 'a' });
    expect(codeOf(() => rollouts.start({ environment: 'production', to: compileFlag('newCheckout', on), actor: 'a' }))).toBe('SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS');
    expect(codeOf(() => flags.put('production', compileFlag('newCheckout', on), { actor: 'a' }))).toBe('SLW_ERR_FLAG_ROLLOUT_IN_PROGRESS');
  });

  it('resumes after a restart from the persisted rollout, and an alarm already in ALARM reverts it then', () => {
    const r = rollouts.start({ environment: 'production', to: compileFlag('newCheckout', on), strategy: { type: 'canary', steps: [10, 100], interval: '1m' }, actor: 'ana' });
    rollouts.close();
    alarms.set('web-5xx', 'ALARM');
    expect(rollouts.get(r.id).state).toBe('InProgress');
    rollouts = new FlagRollouts({ app, db, flags, events, alarms, clock });
    expect(rollouts.resumeAll()).toBe(1);
    expect(rollouts.get(r.id)).toMatchObject({ state: 'RolledBack', rollback: { trigger: 'alarm' } });
  });
});
