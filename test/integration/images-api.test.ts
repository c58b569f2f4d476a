import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, eventMigrations, openDatabase } from '../../src/core/index.js';
import { LocalRegistry, imageMigrations, imagesRoutes } from '../../src/images/index.js';
import { buildServer } from '../../src/server/index.js';
import type { ImageRepositoryListDto } from '../../src/shared/index.js';
import { TEST_TOKEN, auth } from '../support/server.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

// The images API through buildServer() and inject(): what the registry's store holds, no registry process needed.
describe('GET /api/v1/images', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-images-api-'));
  let app: FastifyInstance;
  let registry: LocalRegistry;

  beforeAll(async () => {
    const db = openDatabase(':memory:', { migrations: [...eventMigrations, ...imageMigrations] });
    const events = new EventLog(db);
    registry = new LocalRegistry({ stateDir: path.join(dir, 'registry'), db, events, engine: () => Promise.reject(new Error('no engine here')) });
    registry.putRepository('shop/web', { tagMutability: 'IMMUTABLE', lifecyclePolicy: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] }) });
    registry.putRepository('shop/api');
    registry.store.recordPush('shop/web', A, ['abc123'], 'sha256:config');
    registry.store.recordScan('shop/web', A, { status: 'Passed', secrets: [], packageCount: 2, lockfiles: [], audit: { status: 'Skipped', counts: {} }, scannedAtMs: 1 }, '{"bomFormat":"CycloneDX","specVersion":"1.5"}');
    registry.store.recordPush('shop/web', B, []);
    app = await buildServer({ events, token: TEST_TOKEN, routes: [imagesRoutes(registry)], dashboardDir: null });
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists repositories with their settings and images, each with its scan and whether an SBOM is stored', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/images', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json<ImageRepositoryListDto>();
    expect(body.repositories.map((r) => [r.name, r.tagMutability, r.lifecyclePolicy !== undefined, r.images.length])).toEqual([
      ['shop/api', 'MUTABLE', false, 0],
      ['shop/web', 'IMMUTABLE', true, 2],
    ]);
    const web = body.repositories[1]!;
    expect(web.images.map((i) => [i.digest, i.tags, i.hasSbom, i.scan?.status])).toEqual([
      [A, ['abc123'], true, 'Passed'],
      [B, [], false, undefined],
    ]);
  });

  it('filters by repository, and says which one is unknown', async () => {
    const one = await app.inject({ method: 'GET', url: '/api/v1/images?repository=shop/api', headers: auth });
    expect(one.json<ImageRepositoryListDto>().repositories.map((r) => r.name)).toEqual(['shop/api']);
    const none = await app.inject({ method: 'GET', url: '/api/v1/images?repository=shop/nope', headers: auth });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: { code: 'SLW_ERR_IMAGES_REPOSITORY_NOT_FOUND' } });
  });

  it('serves the stored SBOM as CycloneDX JSON; 404 without one, 400 for a malformed digest, 401 without a token', async () => {
    const sbom = await app.inject({ method: 'GET', url: `/api/v1/images/sbom?repository=shop/web&digest=${A}`, headers: auth });
    expect(sbom.statusCode).toBe(200);
    expect(sbom.headers['content-type']).toContain('application/vnd.cyclonedx+json');
    expect(JSON.parse(sbom.body)).toEqual({ bomFormat: 'CycloneDX', specVersion: '1.5' });
    const missing = await app.inject({ method: 'GET', url: `/api/v1/images/sbom?repository=shop/web&digest=${B}`, headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'SLW_ERR_IMAGES_SBOM_NOT_FOUND' } });
    const bad = await app.inject({ method: 'GET', url: '/api/v1/images/sbom?repository=shop/web&digest=latest', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('query.digest');
    expect((await app.inject({ method: 'GET', url: '/api/v1/images' })).statusCode).toBe(401);
  });
});
