import { describe, expect, it } from 'vitest';
import { ManualClock, openDatabase } from '../../core/index.js';
import { resolveApp, type ResolvedApp, type ResolvedFlag } from '../../shared/index.js';
import { FlagStore } from './flag-store.js';
import { flagMigrations } from './migrations.js';
import type { FlagChangedEvent } from './model.js';

const app = (flags: Record<string, unknown>): ResolvedApp =>
  resolveApp({
    name: 'shop',
    services: { web: { path: 'web', start: 'node server.js' } },
    environments: { staging: { ingressPort: 8081 }, production: { ingressPort: 8080 } },
    flags,
  });

const newCheckout = { default: false, rules: [{ percentage: 10, value: true }] };

function fresh(appendEvent?: (e: FlagChangedEvent) => void) {
  const db = openDatabase(':memory:', { migrations: flagMigrations });
  const events: FlagChangedEvent[] = [];
  const clock = new ManualClock();
  const store = new FlagStore(db, { clock, appendEvent: appendEvent ?? ((e) => events.push(e)) });
  return { db, store, events, clock };
}

describe('FlagStore.seed', () => {
  it('stores every model flag in every environment at version 1, with a flag.changed event each', () => {
    // GIVEN an empty store WHEN seeded THEN each (environment, flag) is stored, enabled, version 1
    const { store, events } = fresh();
    const report = store.seed(app({ newCheckout, banner: { default: 'off' } }));
    expect(report.seeded).toEqual([
      { environment: 'production', key: 'banner', version: 1 },
      { environment: 'production', key: 'newCheckout', version: 1 },
      { environment: 'staging', key: 'banner', version: 1 },
      { environment: 'staging', key: 'newCheckout', version: 1 },
    ]);
    expect(report.kept).toEqual([]);
    expect(store.get('production', 'newCheckout')).toMatchObject({ enabled: true, version: 1, flag: { key: 'newCheckout', defaultValue: false, rules: [{ percentage: 10, match: {}, value: true }] } });
    expect(events.map((e) => [e.type, e.subject, e.data.change, e.data.previousVersion])).toContainEqual(['flag.changed', 'flag/staging/newCheckout', 'Seeded', null]);
    expect(events).toHaveLength(4);
  });

  it('keeps a flag changed since, and reports that the model differs', () => {
    // GIVEN a seeded flag raised to 20 % in production
    const { store, events } = fresh();
    store.seed(app({ newCheckout }));
    const raised = store.get('production', 'newCheckout').flag;
    store.put('production', { ...raised, rules: [{ ...raised.rules[0]!, percentage: 20 }] }, { actor: 'ana' });
    events.length = 0;
    // WHEN the model (still at 10 %) is seeded again
    const report = store.seed(app({ newCheckout }));
    // THEN production keeps 20 % at version 2 and says the model differs; staging is kept unchanged
    expect(report.seeded).toEqual([]);
    expect(report.kept).toEqual([
      { environment: 'production', key: 'newCheckout', version: 2, differsFromModel: true },
      { environment: 'staging', key: 'newCheckout', version: 1, differsFromModel: false },
    ]);
    expect(store.get('production', 'newCheckout').flag.rules[0]!.percentage).toBe(20);
    expect(events).toEqual([]);
  });

  it('reports stored flags the model no longer declares, and keeps serving them', () => {
    const { store } = fresh();
    store.seed(app({ newCheckout, old: { default: 1 } }));
    const report = store.seed(app({ newCheckout }));
    expect(report.notInModel.map((r) => `${r.environment}/${r.key}`)).toEqual(['production/old', 'staging/old']);
    expect(store.tryGet('staging', 'old')).toBeDefined();
  });
});

describe('FlagStore changes', () => {
  const flag: ResolvedFlag = { key: 'banner', defaultValue: 'off', variants: undefined, rules: [], description: undefined };

  it('writes a version per change with its actor, newest first in the history', () => {
    const { store, events, clock } = fresh();
    store.put('staging', flag, { actor: 'ana' });
    clock.advance(1000);
    store.put('staging', { ...flag, rules: [{ percentage: 50, match: { plan: 'pro' }, value: 'on' }] }, { actor: 'bo' });
    clock.advance(1000);
    store.setEnabled('staging', 'banner', false, { actor: 'oncall' });
    expect(store.history('staging', 'banner').map((v) => [v.version, v.change, v.actor, v.enabled, v.updatedAtMs - Date.UTC(2026, 0, 1)])).toEqual([
      [3, 'Disabled', 'oncall', false, 2000],
      [2, 'Updated', 'bo', true, 1000],
      [1, 'Created', 'ana', true, 0],
    ]);
    expect(events.map((e) => [e.data.version, e.data.previousVersion, e.data.change])).toEqual([
      [1, null, 'Created'],
      [2, 1, 'Updated'],
      [3, 2, 'Disabled'],
    ]);
    // AND an update of a disabled flag keeps it disabled
    expect(store.put('staging', { ...flag, description: 'top banner' }, { actor: 'ana' })).toMatchObject({ version: 4, enabled: false });
  });

  it('changes nothing when the definition or the enabled state is what it already is', () => {
    const { store, events } = fresh();
    store.put('staging', flag, { actor: 'ana' });
    // The same definition with its keys in another order is the same definition.
    store.put('staging', { description: undefined, rules: [], variants: undefined, defaultValue: 'off', key: 'banner' }, { actor: 'ana' });
    store.setEnabled('staging', 'banner', true, { actor: 'ana' });
    expect(store.get('staging', 'banner').version).toBe(1);
    expect(events).toHaveLength(1);
  });

  it('refuses an invalid definition with one issue per problem, and writes nothing', () => {
    const { store, events } = fresh();
    const bad: ResolvedFlag = { ...flag, rules: [{ percentage: 120, match: {}, value: true }] };
    expect(() => store.put('staging', bad, { actor: 'ana' })).toThrow(expect.objectContaining({ code: 'SLW_ERR_FLAG_INVALID', issues: [
      { path: 'rules[0].percentage', message: 'expected a number from 0 to 100, got 120' },
      { path: 'rules[0].value', message: 'expected a string like the default, got true' },
    ] }));
    expect(store.tryGet('staging', 'banner')).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('rolls the change back when the event cannot be appended', () => {
    // GIVEN an appender that fails (the event log refusing) WHEN a flag is written THEN neither state nor version is kept
    const { store } = fresh(() => {
      throw new Error('event log unavailable');
    });
    expect(() => store.put('staging', flag, { actor: 'ana' })).toThrow('event log unavailable');
    expect(store.tryGet('staging', 'banner')).toBeUndefined();
    expect(store.history('staging', 'banner')).toEqual([]);
  });

  it('says which flag is missing when enabling one that does not exist', () => {
    const { store } = fresh();
    expect(() => store.setEnabled('staging', 'nope', false, { actor: 'ana' })).toThrow(expect.objectContaining({ code: 'SLW_ERR_FLAG_NOT_FOUND', message: 'environment "staging" has no flag "nope"' }));
  });
});
