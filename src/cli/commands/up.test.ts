import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tokenWhere } from './up.js';
import { tempDir } from '../../../test/support/temp-dir.js';
import { startControlPlane } from '../../server/index.js';

describe('where the API token comes from', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    delete process.env.SLIPWAY_TOKEN;
  });

  const start = async (env: string | undefined, token?: string) => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    if (env === undefined) delete process.env.SLIPWAY_TOKEN;
    else process.env.SLIPWAY_TOKEN = env;
    const cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), port: 0, otlpPort: null, xrayPort: null, ...(token === undefined ? {} : { token }) });
    cleanups.push(() => cp.close());
    return cp;
  };

  // GIVEN SLIPWAY_TOKEN, WHEN the control plane starts, THEN it says so and writes no token file it would point at
  it('names SLIPWAY_TOKEN and writes no token file when the token comes from the environment', async () => {
    const cp = await start('env-token-0123456789abcdef');
    expect(cp.tokenSource).toBe('env');
    expect(cp.token).toBe('env-token-0123456789abcdef');
    expect(fs.existsSync(cp.dataDir.tokenFile)).toBe(false);
    expect(tokenWhere(cp)).toBe('token from SLIPWAY_TOKEN');
  });

  // GIVEN nothing, WHEN it starts, THEN the token is created in <data>/token and the banner points there
  it('points at <data>/token when it created the token there', async () => {
    const cp = await start(undefined);
    expect(cp.tokenSource).toBe('file');
    expect(fs.readFileSync(cp.dataDir.tokenFile, 'utf8').trim()).toBe(cp.token);
    expect(tokenWhere(cp)).toBe(`token in ${cp.dataDir.tokenFile}`);
  });

  it('says the token was given when a caller passed one', async () => {
    const cp = await start('ignored-env-token-0123456789', 'option-token-0123456789abcdef');
    expect(cp.tokenSource).toBe('option');
    expect(cp.token).toBe('option-token-0123456789abcdef');
    expect(tokenWhere(cp)).toBe('token given at start-up');
  });
});
