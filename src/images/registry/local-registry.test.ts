import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, createLogger, eventMigrations, openDatabase } from '../../core/index.js';
import { LocalRegistry } from './local-registry.js';
import { imageMigrations } from './store/migrations.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const keepOne = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fixture(inUse: string[] = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-local-registry-'));
  dirs.push(dir);
  const db = openDatabase(':memory:', { migrations: [...eventMigrations, ...imageMigrations] });
  const events = new EventLog(db);
  const lines: string[] = [];
  const registry = new LocalRegistry({
    stateDir: path.join(dir, 'registry'),
    db,
    events,
    clock: new ManualClock(Date.UTC(2026, 11, 1)),
    // No registry binary: every call that needs the registry process fails as on a machine without one.
    binary: path.join(dir, 'no-such-registry'),
    engine: () => Promise.reject(new Error('no engine in unit tests')),
    inUse: () => inUse,
    logger: createLogger({ level: 'warn', write: (l) => lines.push(l) }),
  });
  return { registry, events, lines };
}

describe('LocalRegistry', () => {
  it('reads the digests in use from digest and tag references alike', () => {
    // GIVEN a task running by digest and a deployment naming a tag of a recorded image
    const { registry } = fixture([`127.0.0.1:5000/shop/web@${A}`, '127.0.0.1:5000/shop/web:v2', '127.0.0.1:5000/shop/web:unknown', 'localhost/slipway/shop/web:abc']);
    registry.putRepository('shop/web');
    registry.store.recordPush('shop/web', B, ['v2']);
    // THEN both digests are in use; unknown tags and engine-local names are not
    expect([...registry.inUseDigests()].sort()).toEqual([A, B]);
  });

  it('records a build’s own pushes, with an image.pushed event, creating the repository', () => {
    const { registry, events } = fixture();
    registry.recordPushed({ repository: 'shop/api', digest: A, tag: 'latest', runId: 7 });
    expect(registry.store.images('shop/api')).toEqual([{ digest: A, tags: ['latest'], pushedAtMs: Date.UTC(2026, 11, 1) }]);
    expect(events.list({ type: 'image.pushed' }).map((e) => e.data)).toEqual([{ repository: 'shop/api', digest: A, tags: ['latest'], reference: `/shop/api@${A}`, runId: 7 }]);
  });

  it('a lifecycle pass with the registry down expires nothing, throws nothing, and says why', async () => {
    // GIVEN a repository whose policy would expire one of two images, and no registry to delete from
    const { registry, events, lines } = fixture();
    registry.putRepository('shop/web', { lifecyclePolicy: keepOne });
    registry.store.recordPush('shop/web', A, ['v1']);
    registry.store.recordPush('shop/web', B, ['v2']);
    // WHEN the scheduled pass runs THEN it resolves, both images stay, nothing is recorded as expired
    await expect(registry.applyAllLifecycles()).resolves.toBeUndefined();
    expect(registry.store.images('shop/web').map((i) => i.digest)).toEqual([A, B]);
    expect(events.list({ type: 'image.expired' })).toEqual([]);
    expect(lines.join('\n')).toMatch(/lifecycle policy not applied.*UnavailableError.*the registry could not start/s);
  });

  it('refuses to push over an immutable tag before touching the registry, but accepts the same image again', async () => {
    const { registry } = fixture();
    registry.putRepository('shop/web', { tagMutability: 'IMMUTABLE' });
    registry.store.recordPush('shop/web', A, ['v1'], 'sha256:image-1');
    const engine = { kind: 'podman', command: '/bin/false', version: '', globalArgs: [], runArgs: [], runtime: 'default', description: '' } as const;
    // WHEN another image is pushed under v1 THEN ECR's refusal, before any registry is needed
    await expect(registry.push({ engine, localRef: 'x', imageId: 'sha256:image-2', repository: 'shop/web', tags: ['v1'] })).rejects.toMatchObject({ code: 'SLW_ERR_IMAGES_TAG_IMMUTABLE' });
    // AND the same image (a retried run, built from the cache) passes the check and only then needs the registry
    await expect(registry.push({ engine, localRef: 'x', imageId: 'sha256:image-1', repository: 'shop/web', tags: ['v1'] })).rejects.toMatchObject({ code: 'SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE' });
    expect(registry.store.digestOfTag('shop/web', 'v1')).toBe(A);
  });
});
