import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../core/index.js';
import { ConflictError, NotFoundError } from '../../shared/index.js';
import type { Deployment } from '../model.js';
import { DeployLogStore } from './deploy-log-store.js';
import { DeploymentStore } from './deployment-store.js';
import { deploymentMigrations } from './migrations.js';

const draft = (over: Partial<Deployment> = {}): Omit<Deployment, 'id'> =>
  ({ kind: 'Deploy', service: 'payments', environment: 'production', toRevision: 'b', state: 'Created', createdAtMs: 1, plan: [], ...over }) as unknown as Omit<Deployment, 'id'>;

describe('DeploymentStore', () => {
  let db: Db;
  afterEach(() => db.close());
  const fresh = () => {
    db = openDatabase(':memory:', { migrations: deploymentMigrations });
    return new DeploymentStore(db);
  };

  it('allows one active deployment per service and environment', () => {
    // GIVEN an active deployment of payments in production
    const store = fresh();
    const first = store.insert(draft());
    // WHEN a second one is inserted THEN it is refused; another service or environment is fine
    expect(() => store.insert(draft({ toRevision: 'c' }))).toThrow(ConflictError);
    expect(store.insert(draft({ service: 'orders' })).id).toBe(first.id + 1);
    expect(store.insert(draft({ environment: 'staging' })).id).toBe(first.id + 2);
    // AND once the first finished, a new one is accepted
    store.update({ ...first, state: 'Succeeded' });
    expect(store.insert(draft({ toRevision: 'c' })).toRevision).toBe('c');
  });

  it('keeps the whole status and lists newest first with filters', () => {
    // GIVEN three deployments, one finished
    const store = fresh();
    const a = store.insert(draft());
    store.update({ ...a, state: 'RolledBack', message: 'bad' });
    store.insert(draft({ toRevision: 'c' }));
    store.insert(draft({ service: 'orders' }));
    // WHEN read back THEN the status round-trips and filters apply
    expect(store.get(a.id)).toMatchObject({ state: 'RolledBack', message: 'bad', toRevision: 'b' });
    expect(store.list().map((d) => d.id)).toEqual([3, 2, 1]);
    expect(store.list({ service: 'payments' }).map((d) => d.id)).toEqual([2, 1]);
    expect(store.list({ state: 'RolledBack' }).map((d) => d.id)).toEqual([1]);
    expect(store.listActive().map((d) => d.id)).toEqual([2, 3]);
    expect(store.tryFindActive('production', 'payments')?.id).toBe(2);
    expect(() => store.get(99)).toThrow(NotFoundError);
  });

  it('keeps a log per deployment in order', () => {
    // GIVEN two deployments' logs WHEN appended THEN each lists its own, in order
    fresh();
    const logs = new DeployLogStore(db);
    logs.append(1, 10, 'hook:BeforeInstall', 'one');
    logs.append(2, 11, 'hook:BeforeInstall', 'other');
    logs.append(1, 12, 'hook:AfterInstall', 'two');
    expect(logs.list(1).map((l) => `${l.seq}:${l.text}`)).toEqual(['1:one', '2:two']);
  });
});
