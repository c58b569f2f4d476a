import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/core/index.js';
import { buildImage, ensureRegistry, evaluateLifecyclePolicy, findRegistryBinary, pushImage, runEngine, type CompiledEngine, type RegistryHandle } from '../../src/images/index.js';
import { parseLifecyclePolicy } from '../../src/shared/index.js';
import { containerEngineOrSkip } from '../support/container-engine.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-registry-'));
let engine: CompiledEngine | undefined;
let registry: RegistryHandle | undefined;
const local = `localhost/slipway-test/registry:${process.pid}`;
const built: string[] = [];

beforeAll(async () => {
  if (findRegistryBinary() === undefined) {
    process.stderr.write('SKIPPED images-registry: no distribution registry installed (apt-get install -y docker-registry).\n');
    return;
  }
  engine = await containerEngineOrSkip('images-registry');
  registry = await ensureRegistry({ stateDir: path.join(dir, 'registry') });
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  if (engine) await runEngine(engine, ['rmi', '-f', local, ...built]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the local registry', () => {
  it('is the distribution registry on loopback, adopted by a second start instead of started twice', async (t) => {
    if (!registry) return t.skip();
    expect(registry.adopted).toBe(false);
    expect(registry.info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await registry.client.ping()).toBe(true);
    const again = await ensureRegistry({ stateDir: path.join(dir, 'registry') });
    expect(again).toMatchObject({ adopted: true, info: registry.info });
    expect(isAlive(registry.info.pid)).toBe(true);
  });

  it('stores pushed images by tag and digest, and expires what a lifecycle policy selects, but not an image in use', async (t) => {
    if (!registry || !engine) return t.skip();
    // GIVEN three different images pushed as shop/web:prod-1..3, one day apart as recorded at push
    const repo = `${registry.client.host}/shop/web`;
    const pushed: { digest: string; tags: string[]; pushedAtMs: number }[] = [];
    const now = Date.now();
    for (const n of [1, 2, 3]) {
      fs.writeFileSync(path.join(dir, 'version.txt'), `build ${n}\n`);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY version.txt /version.txt\n');
      built.push((await buildImage(engine, { contextDir: dir, tags: [local] })).imageId);
      const digest = await pushImage(engine, local, `${repo}:prod-${n}`);
      pushed.push({ digest, tags: [`prod-${n}`], pushedAtMs: now - (3 - n) * 86_400_000 });
    }
    // THEN the registry lists the repository, its tags, and the digest behind each tag
    expect(await registry.client.repositories()).toContain('shop/web');
    expect((await registry.client.tags('shop/web')).sort()).toEqual(['prod-1', 'prod-2', 'prod-3']);
    expect(await registry.client.digestOf('shop/web', 'prod-2')).toBe(pushed[1]!.digest);
    expect(new Set(pushed.map((p) => p.digest)).size).toBe(3);
    // WHEN a policy keeping one prod image is applied while prod-1 still runs
    const policy = parseLifecyclePolicy({ rules: [{ rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['prod'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] });
    const outcome = evaluateLifecyclePolicy(policy, pushed, { nowMs: now, inUse: new Set([pushed[0]!.digest]) });
    for (const d of outcome.expired) expect(await registry.client.deleteManifest('shop/web', d.image.digest)).toBe(true);
    // THEN only prod-2 is gone: prod-3 is the newest, prod-1 is in use
    expect(outcome.keptInUse.map((d) => d.image.tags[0])).toEqual(['prod-1']);
    expect((await registry.client.tags('shop/web')).sort()).toEqual(['prod-1', 'prod-3']);
    expect(await registry.client.digestOf('shop/web', pushed[1]!.digest)).toBeUndefined();
    // AND deleting it again is not an error
    expect(await registry.client.deleteManifest('shop/web', pushed[1]!.digest)).toBe(false);
  }, 120_000);
});
