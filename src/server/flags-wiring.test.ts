import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog, ensureDataDir, eventMigrations, openDatabase, resolveDataDir, silentLogger } from '../core/index.js';
import { flagMigrations } from '../flags/index.js';
import { resolveApp } from '../shared/index.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { FLAGS_TOKEN_ENV, FLAGS_URL_ENV, mergeStartEnv, startFlags } from './flags-wiring.js';

const app = resolveApp({
  name: 'shop',
  services: { gateway: { path: 'gateway', start: 'node server.js' } },
  environments: { production: { ingressPort: 8080 } },
  flags: { banner: { default: 'off' } },
});
const task = { environment: 'production', service: 'gateway', revision: 'r1', taskId: 'gateway-1', port: 4100, portEnv: 'PORT' };

describe('startFlags', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  function start(root: string) {
    const dataDir = resolveDataDir(root);
    ensureDataDir(dataDir);
    const db = openDatabase(':memory:', { migrations: [...eventMigrations, ...flagMigrations] });
    cleanups.push(() => db.close());
    return startFlags({ db, events: new EventLog(db), app, dataDir, telemetry: { ingestMetricPoints: () => {} }, logger: silentLogger });
  }

  it('gives a task the URL and a token for its service, still valid after a restart on the same data directory', () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const root = path.join(tmp.path, 'data');
    // GIVEN a first start WHEN a task starts THEN it gets the URL and its own token
    const first = start(root);
    const env = first.startEnv(() => 'http://127.0.0.1:4400')(task, {});
    expect(env[FLAGS_URL_ENV]).toBe('http://127.0.0.1:4400');
    expect(first.tokens.check(env[FLAGS_TOKEN_ENV]!)).toEqual({ service: 'gateway', environment: 'production' });
    // AND the signing key is a 0600 file of the data directory
    expect(fs.statSync(path.join(root, 'flags-key')).mode & 0o777).toBe(0o600);
    // WHEN the control plane restarts on the same data directory THEN the token a running task holds still works
    expect(start(root).tokens.check(env[FLAGS_TOKEN_ENV]!)).toEqual({ service: 'gateway', environment: 'production' });
  });

  it('starts the OFREP worker on the port it had at the last start, so adopted tasks keep their URL, and on a new one when that is taken', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const root = path.join(tmp.path, 'data');
    // GIVEN a first start of the worker on a picked port
    const first = start(root);
    const url = await first.startEndpoint();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.status()).toEqual({ flags: 1, ofrep: { url, restarts: 0 } });
    // WHILE it still holds the port, a second control plane cannot have it THEN it picks another
    const busy = start(root);
    const other = await busy.startEndpoint();
    expect(other).not.toBe(url);
    await busy.close();
    await first.close();
    // WHEN the control plane starts again THEN the worker listens where the last one did
    const again = start(root);
    expect(await again.startEndpoint()).toBe(other);
    await again.close();
  });

  it('refuses a signing key others can read, rather than use it', () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const root = path.join(tmp.path, 'data');
    start(root);
    fs.chmodSync(path.join(root, 'flags-key'), 0o644);
    expect(() => start(root)).toThrow(expect.objectContaining({ code: 'SLW_ERR_SECRET_FILE_UNSAFE' }));
  });

  it('merges start-time variables of several contributors', () => {
    const merged = mergeStartEnv(() => ({ A: '1' }), undefined, () => ({ B: '2' }));
    expect(merged(task, {})).toEqual({ A: '1', B: '2' });
  });
});
