import { describe, expect, it } from 'vitest';
import { ManualClock, openDatabase } from '../../../core/index.js';
import { applyLifecycle } from '../lifecycle/apply-lifecycle.js';
import { imageMigrations } from './migrations.js';
import { ImageStore } from './image-store.js';

const DAY = 86_400_000;
const keepTwoProd = JSON.stringify({
  rules: [
    { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 2 }, action: { type: 'expire' } },
    { rulePriority: 2, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } },
  ],
});

function fixture() {
  const clock = new ManualClock(Date.UTC(2026, 11, 1));
  const store = new ImageStore(openDatabase(':memory:', { migrations: imageMigrations }), clock);
  return { clock, store };
}

describe('ImageStore', () => {
  it('records pushes with their time, moves mutable tags, and lists the images with their tags', () => {
    const { clock, store } = fixture();
    store.putRepository('shop/web');
    store.recordPush('shop/web', 'sha256:a', ['prod-1', 'latest']);
    clock.advance(DAY);
    store.recordPush('shop/web', 'sha256:b', ['prod-2', 'latest']);
    expect(store.digestOfTag('shop/web', 'latest')).toBe('sha256:b');
    expect(store.images('shop/web')).toEqual([
      { digest: 'sha256:a', tags: ['prod-1'], pushedAtMs: Date.UTC(2026, 11, 1) },
      { digest: 'sha256:b', tags: ['latest', 'prod-2'], pushedAtMs: Date.UTC(2026, 11, 2) },
    ]);
  });

  it('refuses to move a tag of an immutable repository, in ECR’s words, and keeps the old image', () => {
    const { store } = fixture();
    store.putRepository('shop/web', { tagMutability: 'IMMUTABLE' });
    store.recordPush('shop/web', 'sha256:a', ['v1']);
    expect(() => store.recordPush('shop/web', 'sha256:b', ['v1'])).toThrow(/The image tag 'v1' already exists in the 'shop\/web' repository and cannot be overwritten because the repository is immutable/);
    expect(() => store.checkPushable('shop/web', undefined, ['v1'])).toThrow(expect.objectContaining({ code: 'SLW_ERR_IMAGES_TAG_IMMUTABLE' }));
    // AND pushing the same digest under the same tag again is fine
    store.recordPush('shop/web', 'sha256:a', ['v1']);
    expect(store.images('shop/web').map((i) => i.digest)).toEqual(['sha256:a']);
  });

  it('keeps each image’s scan and SBOM beside it, and lists repositories', () => {
    const { store } = fixture();
    store.putRepository('shop/web', { tagMutability: 'IMMUTABLE' });
    store.putRepository('shop/api');
    store.recordPush('shop/web', 'sha256:a', ['v1'], 'sha256:config-a');
    store.recordScan('shop/web', 'sha256:a', { status: 'Passed', secrets: [] }, '{"bomFormat":"CycloneDX"}');
    expect(store.imageIdOf('shop/web', 'sha256:a')).toBe('sha256:config-a');
    expect(store.scanOf('shop/web', 'sha256:a')).toEqual({ status: 'Passed', secrets: [] });
    expect(store.sbomOf('shop/web', 'sha256:a')).toBe('{"bomFormat":"CycloneDX"}');
    expect(store.scanOf('shop/web', 'sha256:b')).toBeUndefined();
    expect(store.sbomOf('shop/web', 'sha256:b')).toBeUndefined();
    expect(store.repositories().map((r) => [r.name, r.tagMutability])).toEqual([['shop/api', 'MUTABLE'], ['shop/web', 'IMMUTABLE']]);
    // AND a rebuild of the same image (same config digest, new manifest digest) may take the immutable tag again
    store.recordPush('shop/web', 'sha256:a2', ['v1'], 'sha256:config-a');
    expect(store.digestOfTag('shop/web', 'v1')).toBe('sha256:a2');
    expect(() => store.recordPush('shop/web', 'sha256:c', ['v1'], 'sha256:config-c')).toThrow(expect.objectContaining({ code: 'SLW_ERR_IMAGES_TAG_IMMUTABLE' }));
  });

  it('refuses a policy ECR would refuse and an unknown repository', () => {
    const { store } = fixture();
    expect(() => store.putRepository('shop/web', { lifecyclePolicy: '{"rules":[{"rulePriority":1}]}' })).toThrow(expect.objectContaining({ code: 'SLW_ERR_IMAGES_LIFECYCLE_POLICY_INVALID' }));
    expect(store.repository('shop/web')).toBeUndefined();
    expect(() => store.recordPush('nope', 'sha256:a', [])).toThrow(expect.objectContaining({ code: 'SLW_ERR_IMAGES_REPOSITORY_NOT_FOUND' }));
  });
});

describe('applyLifecycle', () => {
  it('deletes what the policy expires from the registry, then marks it; a refused delete is kept for next time', async () => {
    const { clock, store } = fixture();
    store.putRepository('shop/web', { lifecyclePolicy: keepTwoProd });
    for (const [d, tags] of [['p1', ['prod-1']], ['u1', []], ['p2', ['prod-2']], ['p3', ['prod-3']], ['p4', ['prod-4']]] as const) {
      store.recordPush('shop/web', `sha256:${d}`, tags);
      clock.advance(DAY);
    }
    const deleted: string[] = [];
    const registry = {
      deleteManifest: async (_repo: string, digest: string) => {
        if (digest === 'sha256:p2') throw new Error('registry down');
        deleted.push(digest);
        return true;
      },
    };
    // WHEN applied while p1 runs
    const out = await applyLifecycle({ store, registry, repository: 'shop/web', inUse: new Set(['sha256:p1']), nowMs: clock.now() });
    // THEN the old untagged image goes, p1 stays (in use), p2's delete failed and it is still listed
    expect(deleted).toEqual(['sha256:u1']);
    expect(out.keptInUse.map((d) => d.image.digest)).toEqual(['sha256:p1']);
    expect(out.failed.map((d) => [d.image.digest, d.error])).toEqual([['sha256:p2', 'registry down']]);
    expect(store.images('shop/web').map((i) => i.digest)).toEqual(['sha256:p1', 'sha256:p2', 'sha256:p3', 'sha256:p4']);
    // AND a repository without a policy expires nothing
    store.putRepository('shop/api');
    expect(await applyLifecycle({ store, registry, repository: 'shop/api', inUse: new Set(), nowMs: clock.now() })).toEqual({ expired: [], keptInUse: [], failed: [] });
  });
});
