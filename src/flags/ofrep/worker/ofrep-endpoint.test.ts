import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../../core/index.js';
import { resolveApp } from '../../../shared/index.js';
import type { Impression } from '../../impressions/impression-counter.js';
import { FlagStore } from '../../store/flag-store.js';
import { flagMigrations } from '../../store/migrations.js';
import { FlagTokens } from '../flag-tokens.js';
import { OfrepEndpoint } from './ofrep-endpoint.js';

// The OFREP worker thread (the compiled entry in dist/: `npx tsc -p tsconfig.build.json` first), as
// the control plane runs it: its own listener on loopback, fed by the store's changes, counting
// impressions back into the main thread, restarted when it dies.

const SECRET = 'flag-signing-secret-for-the-worker-0123456789';
const token = new FlagTokens(SECRET).tokenFor('production', 'gateway');
const model = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { production: { ingressPort: 8080 } },
  flags: { banner: { default: 'off', rules: [{ match: { plan: 'pro' }, value: 'on' }] } },
});

let db: Db;
let store: FlagStore;
const recorded: { impression: Impression; count: number }[] = [];
const errors: string[] = [];
let endpoint: OfrepEndpoint;

const evaluate = async (url: string, context: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${url}/ofrep/v1/evaluate/flags/banner`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ context }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  db = openDatabase(':memory:');
  migrate(db, flagMigrations);
  store = new FlagStore(db, { appendEvent: () => {} });
  store.seed(model);
  endpoint = new OfrepEndpoint({ store, secret: SECRET, impressions: { record: (impression, count = 1) => recorded.push({ impression, count }) }, impressionBatchMs: 3_600_000, onError: (m) => errors.push(m) });
  await endpoint.start();
});

afterAll(async () => {
  await endpoint?.close();
  db?.close();
});

describe('OfrepEndpoint', () => {
  it('serves OFREP from its own thread with the tokens the control plane signs', async () => {
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await evaluate(endpoint.url, { targetingKey: 'u1', plan: 'pro' })).toEqual({ status: 200, body: { key: 'banner', value: 'on', reason: 'TARGETING_MATCH', variant: 'rule-1', metadata: { version: 1 } } });
    const forged = await fetch(`${endpoint.url}/ofrep/v1/evaluate/flags/banner`, { method: 'POST', headers: { authorization: `Bearer ${token.replace('.gateway.', '.orders.')}`, 'content-type': 'application/json' }, body: '{"context":{}}' });
    expect(forged.status).toBe(401);
  });

  it('serves a change to the very next evaluation, with no wait in between', async () => {
    // GIVEN 20 changes in a row WHEN each is evaluated right after the write returns THEN each is seen
    for (let i = 0; i < 20; i++) {
      const enabled = i % 2 === 1;
      store.setEnabled('production', 'banner', enabled, { actor: 'test' });
      const { body } = await evaluate(endpoint.url, { targetingKey: 'u1', plan: 'pro' });
      expect(body).toMatchObject({ reason: enabled ? 'TARGETING_MATCH' : 'DISABLED', metadata: { version: i + 2 } });
    }
  });

  it('counts its evaluations into the main thread recorder when flushed', async () => {
    recorded.length = 0;
    await endpoint.flush();
    recorded.length = 0;
    for (let i = 0; i < 5; i++) await evaluate(endpoint.url, { targetingKey: `u${i}`, plan: 'free' });
    await endpoint.flush();
    expect(recorded).toEqual([{ impression: { environment: 'production', service: 'gateway', flag: 'banner', variant: 'default', reason: 'DEFAULT' }, count: 5 }]);
  });
});

describe('OfrepEndpoint supervision', () => {
  it('starts a worker that died again on the same port, logs it, and serves the current flags', async () => {
    // GIVEN a worker entry that crashes once, a moment after it listens (a marker file says when)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-ofrep-'));
    const marker = path.join(dir, 'crash-once');
    fs.writeFileSync(marker, '');
    const real = new URL('../../../../dist/src/flags/ofrep/worker/ofrep-worker.js', import.meta.url).pathname;
    const entry = path.join(dir, 'crashing-worker.mjs');
    fs.writeFileSync(entry, `import fs from 'node:fs';
import net from 'node:net';\nimport ${JSON.stringify(real)};\nif (fs.existsSync(${JSON.stringify(marker)})) { fs.rmSync(${JSON.stringify(marker)}); setTimeout(() => { throw new Error('worker crashed on purpose'); }, 100); }\n`);
    const seen: string[] = [];
    const supervised = new OfrepEndpoint({ store, secret: SECRET, impressions: { record: () => {} }, workerFile: entry, restartDelayMs: 20, onError: (m) => seen.push(m) });
    try {
      const url = await supervised.start();
      expect((await evaluate(url, { targetingKey: 'u1', plan: 'pro' })).status).toBe(200);
      // WHEN it crashes THEN it is logged and started again on the same port
      const deadline = Date.now() + 10_000;
      while (supervised.restarts === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(supervised.restarts).toBe(1);
      expect(seen).toEqual(['the OFREP worker failed', 'the OFREP worker exited (code 1); starting it again in 20 ms']);
      // AND a change made while it was down is served
      store.setEnabled('production', 'banner', false, { actor: 'test' });
      let answer: { status: number; body: Record<string, unknown> } | undefined;
      while (answer?.status !== 200 && Date.now() < deadline) answer = await evaluate(url, { targetingKey: 'u1', plan: 'pro' }).catch(() => undefined);
      expect(supervised.url).toBe(url);
      expect(answer?.body).toMatchObject({ reason: 'DISABLED' });
    } finally {
      await supervised.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps trying while the port is taken after a crash, and listens there again once it is free', async () => {
    // GIVEN a worker that crashes once, restarted after 300 ms
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-ofrep-'));
    const marker = path.join(dir, 'crash-once');
    fs.writeFileSync(marker, '');
    const real = new URL('../../../../dist/src/flags/ofrep/worker/ofrep-worker.js', import.meta.url).pathname;
    const entry = path.join(dir, 'crashing-worker.mjs');
    fs.writeFileSync(entry, `import fs from 'node:fs';\nimport ${JSON.stringify(real)};\nif (fs.existsSync(${JSON.stringify(marker)})) { fs.rmSync(${JSON.stringify(marker)}); setTimeout(() => { throw new Error('worker crashed on purpose'); }, 100); }\n`);
    const seen: string[] = [];
    let onSeen: (() => void) | undefined;
    const supervised = new OfrepEndpoint({ store, secret: SECRET, impressions: { record: () => {} }, workerFile: entry, restartDelayMs: 300, onError: (m) => (seen.push(m), onSeen?.()) });
    const squatter = net.createServer();
    const until = (what: string): Promise<void> => new Promise((resolve) => {
      onSeen = () => seen.some((m) => m.startsWith(what)) && resolve();
      onSeen();
    });
    try {
      const url = await supervised.start();
      // WHEN it crashed and, before its restart, something else took its port
      await until('the OFREP worker exited');
      await new Promise<void>((resolve) => squatter.listen(supervised.port, '127.0.0.1', resolve));
      // THEN the restart fails, is logged, and is tried again
      await until('the OFREP worker did not start again');
      squatter.close();
      // AND once the port is free it listens there again
      const deadline = Date.now() + 15_000;
      let answer: { status: number } | undefined;
      while (answer?.status !== 200 && Date.now() < deadline) answer = await evaluate(url, { targetingKey: 'u1' }).catch(() => new Promise((r) => setTimeout(() => r(undefined), 50)));
      expect(answer?.status).toBe(200);
      expect(supervised.url).toBe(url);
    } finally {
      squatter.close();
      await supervised.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
