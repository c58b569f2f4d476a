import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../core/index.js';
import type { ShadowRouting } from '../traffic/routing-table.js';
import { deploymentMigrations } from './migrations.js';
import { RevisionStore } from './revision-store.js';

const shadow: ShadowRouting = { id: 'deployment-1.step-1', percent: 50, methods: ['GET'], maxBodyBytes: 10, maxConcurrent: 2, timeoutMs: 100, ignore: ['$.ts'], headers: true, body: 'auto' };

describe('RevisionStore shadows', () => {
  let db: Db;
  afterEach(() => db.close());
  const fresh = () => {
    db = openDatabase(':memory:', { migrations: deploymentMigrations });
    const store = new RevisionStore(db);
    for (const revision of ['a', 'b']) store.upsert({ environment: 'prod', service: 'web', revision, sourceDir: '/x', desiredCount: 1, createdAtMs: revision === 'a' ? 1 : 2, weightPercent: revision === 'a' ? 100 : 0 });
    return store;
  };
  const shadows = (store: RevisionStore) => store.list().map((r) => [r.revision, r.shadow?.id ?? null]);

  it('keeps one shadowed revision per service, and forgets it when mirroring stops', () => {
    // GIVEN a freshly migrated database with revisions a (100 %) and b (0 %)
    const store = fresh();
    expect(shadows(store)).toEqual([['a', null], ['b', null]]);
    // WHEN b is shadowed THEN the rule is stored with it, whole
    store.setShadow('prod', 'web', 'b', shadow);
    expect(store.tryFind('prod', 'web', 'b')!.shadow).toEqual(shadow);
    // WHEN a is shadowed instead THEN b no longer is; WHEN none is THEN neither
    store.setShadow('prod', 'web', 'a', shadow);
    expect(shadows(store)).toEqual([['a', shadow.id], ['b', null]]);
    store.setShadow('prod', 'web', undefined, null);
    expect(shadows(store)).toEqual([['a', null], ['b', null]]);
  });

  it('a revision that is given traffic stops being a shadow (promoted mid-shadow)', () => {
    const store = fresh();
    store.setShadow('prod', 'web', 'b', shadow);
    // WHEN b keeps 0 % THEN it stays shadowed; WHEN b gets traffic THEN its rule is gone
    store.setWeights('prod', 'web', { a: 100, b: 0 });
    expect(shadows(store)).toEqual([['a', null], ['b', shadow.id]]);
    store.setWeights('prod', 'web', { a: 0, b: 100 });
    expect(shadows(store)).toEqual([['a', null], ['b', null]]);
  });
});
