// The low findings of the security probe (issue 12, finding 7), each reproduced
// through the real entry point and asserted closed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/index.js';
import { startControlPlane, type ControlPlane } from '../../src/server/index.js';
import { slipway } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

/** `{"a":{"a":...1}}` as JSON text, `levels` objects deep. */
function deepJson(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

describe('JSON nested thousands of levels deep', () => {
  const tmp = tempDir('slipway-low-');
  let cp: ControlPlane;
  beforeAll(async () => {
    // An app in a git repository, so that every context registers its routes; nothing
    // is started (no bootstrap) and nothing polls.
    expect((await exec('git', ['init', '--quiet', '-b', 'main'], { cwd: tmp.path })).code).toBe(0);
    const configFile = path.join(tmp.path, 'slipway.config.json');
    fs.writeFileSync(configFile, JSON.stringify({
      name: 'probe',
      services: { web: { path: '.', start: 'node server.js' } },
      environments: { local: { ingressPort: 0 } },
      alarms: { 'web-5xx': { metric: 'HTTPCode_Target_5XX_Count', service: 'web', stat: 'Sum', period: '10s', threshold: 5 } },
      pipeline: { stages: [{ name: 'Approve', actions: [{ type: 'approval' }] }] },
    }));
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), configFile, port: 0, otlpPort: 0, xrayPort: null, bootstrap: false, pollIntervalMs: 0 });
  }, 60_000);
  afterAll(async () => {
    await cp?.close();
    tmp.cleanup();
  });

  const post = (url: string, body: string) =>
    fetch(url, { method: 'POST', headers: { authorization: `Bearer ${cp.token}`, 'content-type': 'application/json' }, body });

  it('POST /api/v1/events with data nested 5 000 levels deep is a 400 naming the limit, not a 500 stack overflow', async () => {
    // GIVEN the running API WHEN an event is posted with data nested 5 000 levels deep
    const res = await post(`${cp.url}/api/v1/events`, `{"type":"custom.probe","subject":"probe","data":${deepJson(5000)}}`);
    // THEN it is refused as the client's mistake, with the limit and the path where it was passed
    expect(res.status).toBe(400);
    const path = `body.data${'.a'.repeat(63)}`;
    expect(await res.json()).toEqual({
      error: { code: 'SLW_ERR_API_TOO_DEEP', message: `${path}: nested deeper than 64 levels (the limit)`, issues: [{ path, message: 'nested deeper than 64 levels (the limit)' }] },
    });
    // AND nothing was appended, and the server still answers
    expect(cp.events.list({ type: 'custom.probe' })).toEqual([]);
    expect((await fetch(`${cp.url}/api/v1/health`)).status).toBe(200);
  });

  it.each([
    ['alarms', '/api/v1/alarms/web-5xx/mute'],
    ['deployments', '/api/v1/deployments'],
    ['pipelines', '/api/v1/pipeline/runs'],
    ['incidents', '/api/v1/incidents'],
    ['telemetry queries', '/api/v1/logs/query'],
  ])('every JSON route (%s) refuses a body 5 000 levels deep with the same 400', async (_area, route) => {
    // GIVEN a JSON-accepting route (it exists: a shallow bad body gets its own answer, not "no route")
    const shallow = await post(`${cp.url}${route}`, '{"unexpected":1}');
    expect((await shallow.json()) as unknown).not.toMatchObject({ error: { code: 'SLW_ERR_API_NOT_FOUND' } });
    // WHEN a body nested 5 000 levels deep is posted
    const res = await post(`${cp.url}${route}`, deepJson(5000));
    // THEN the one guard answers before the route does
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'SLW_ERR_API_TOO_DEEP', issues: [{ path: `body${'.a'.repeat(64)}` }] } });
  });
});

const RESERVED = '__proto__, constructor, prototype are not allowed as keys or names anywhere in an app definition';
const WEB = `"web": { "path": ".", "start": "node server.js" }`;
const LOCAL = `"local": { "ingressPort": 8080 }`;

describe('OTLP AnyValue nested thousands of levels deep', () => {
  const tmp = tempDir('slipway-low-');
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane({ dataDir: path.join(tmp.path, 'data'), cwd: tmp.path, port: 0, otlpPort: 0, xrayPort: null });
  });
  afterAll(async () => {
    await cp?.close();
    tmp.cleanup();
  });

  it('a log body of 5 000 nested kvlistValues is accepted cut at 16 levels, and the sender is told', async () => {
    // GIVEN the running OTLP receiver WHEN a log record arrives whose body nests 5 000 kvlists
    let value = '{"stringValue":"x"}';
    for (let i = 0; i < 5000; i++) value = `{"kvlistValue":{"values":[{"key":"k","value":${value}}]}}`;
    const now = BigInt(Date.now()) * 1_000_000n;
    const res = await fetch(`http://127.0.0.1:${cp.ports.otlp}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-slipway-ingest-key': cp.telemetry.ingestKeys().appKey },
      body: `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"${now}","body":${value}}]}]}]}`,
    });
    // THEN it is accepted (no crash, no silent loss): the partial-success message says what was cut
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ partialSuccess: { errorMessage: '1 attribute or body value was nested deeper than 16 levels and cut to null' } });
  });
});

describe('reserved keys in the app definition', () => {
  const tmp = tempDir('slipway-low-');
  afterAll(() => tmp.cleanup());

  // `slipway validate` reads dist/: `npm run build` first.
  it.each([
    {
      what: 'a "__proto__" service in JSON',
      file: 'slipway.config.json',
      text: `{ "name": "shop", "services": { "__proto__": { "path": "evil", "start": "node evil.js" }, ${WEB} }, "environments": { ${LOCAL} } }`,
      line: `slipway.config.json: services.__proto__: "__proto__" is reserved: ${RESERVED}`,
    },
    {
      what: 'a "__proto__" environment in YAML',
      file: 'slipway.config.yaml',
      text: 'name: shop\nservices:\n  web: { path: ., start: node server.js }\nenvironments:\n  local: { ingressPort: 8080 }\n  __proto__: { ingressPort: 9090 }\n',
      line: `slipway.config.yaml: environments.__proto__: "__proto__" is reserved: ${RESERVED}`,
    },
    {
      what: "a computed ['__proto__'] service in a .ts module",
      file: 'slipway.config.ts',
      text: `import { defineApp } from 'slipway';\nexport default defineApp({ name: 'shop', services: { ['__proto__']: { path: 'evil', start: 'node evil.js' }, web: { path: '.', start: 'node server.js' } }, environments: { local: { ingressPort: 8080 } } } as never);\n`,
      line: `slipway.config.ts: services.__proto__: "__proto__" is reserved: ${RESERVED}`,
    },
    {
      what: 'JSON.parse\'d environments with "__proto__" in a .ts module',
      file: 'slipway.config.ts',
      text: `import { defineApp } from 'slipway';\nexport default defineApp({ name: 'shop', services: { web: { path: '.', start: 'node server.js' } }, environments: JSON.parse('{ ${LOCAL}, "__proto__": { "ingressPort": 9090 } }') });\n`,
      line: `slipway.config.ts: environments.__proto__: "__proto__" is reserved: ${RESERVED}`,
    },
    {
      what: 'a "constructor" service in a .ts module',
      file: 'slipway.config.ts',
      text: `import { defineApp } from 'slipway';\nexport default defineApp({ name: 'shop', services: { constructor: { path: 'c', start: 'node c.js' }, web: { path: '.', start: 'node server.js' } }, environments: { local: { ingressPort: 8080 } } } as never);\n`,
      line: `slipway.config.ts: services.constructor: "constructor" is reserved: ${RESERVED}`,
    },
    {
      what: 'services written under a literal __proto__: key in a .ts module',
      file: 'slipway.config.ts',
      text: `import { defineApp } from 'slipway';\nexport default defineApp({ name: 'shop', services: { __proto__: { web: { path: '.', start: 'node server.js' } } }, environments: { local: { ingressPort: 8080 } } } as never);\n`,
      line: 'slipway.config.ts: services: has its prototype set (by a "__proto__" key in an object literal?): write its entries as keys of the object itself',
    },
  ])('slipway validate refuses $what instead of calling it valid', async ({ file, text, line }) => {
    // GIVEN a real config file with a reserved key
    const dir = fs.mkdtempSync(path.join(tmp.path, 'app-'));
    fs.writeFileSync(path.join(dir, file), text);
    // WHEN it is validated by the CLI
    const r = await slipway(['validate'], { cwd: dir });
    // THEN it is invalid, exit 1, with the file, the path and why
    expect(r.stdout).not.toContain('valid');
    expect(r.stderr.trim().split('\n')).toEqual([line]);
    expect(r.code).toBe(1);
  });
});

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe('the data directory and its databases', () => {
  const tmp = tempDir('slipway-low-');
  afterAll(() => tmp.cleanup());
  const start = (dataDir: string) => startControlPlane({ dataDir, cwd: tmp.path, port: 0, otlpPort: null, xrayPort: null });

  it('an existing 0755 data directory with 0644 databases is tightened to 0700 and 0600 at start', async () => {
    // GIVEN a data directory as an earlier version left it: 0755, databases 0644
    const dataDir = path.join(tmp.path, 'old');
    const first = await start(dataDir);
    await first.close();
    fs.chmodSync(dataDir, 0o755);
    for (const db of ['slipway.db', 'telemetry.db']) fs.chmodSync(path.join(dataDir, db), 0o644);
    // WHEN the control plane starts on it
    const cp = await start(dataDir);
    try {
      // THEN the directory is 0700 and every database file (with its WAL and shared memory) is 0600
      expect(modeOf(dataDir)).toBe(0o700);
      const files = fs.readdirSync(dataDir).filter((f) => /\.db(-wal|-shm)?$/.test(f)).sort();
      expect(files).toEqual(['slipway.db', 'slipway.db-shm', 'slipway.db-wal', 'telemetry.db', 'telemetry.db-shm', 'telemetry.db-wal']);
      expect(files.map((f) => [f, modeOf(path.join(dataDir, f))])).toEqual(files.map((f) => [f, 0o600]));
    } finally {
      await cp.close();
    }
  });

  it('a data directory that is a symbolic link is refused, and nothing is written where it points', async () => {
    // GIVEN the data directory's name is a link to a directory someone else chose
    const target = path.join(tmp.path, 'planted');
    fs.mkdirSync(target, { mode: 0o777 });
    const link = path.join(tmp.path, 'linked');
    fs.symlinkSync(target, link);
    // WHEN the control plane starts on it THEN it refuses, naming the link and the fix
    await expect(start(link)).rejects.toMatchObject({ code: 'SLW_ERR_DATA_DIR_UNSAFE', message: expect.stringContaining(`data directory ${link} is a symbolic link (to ${target})`) });
    // AND no token, key or database was written through the link
    expect(fs.readdirSync(target)).toEqual([]);
  });

  it("a data directory owned by another user is refused, and left as it was", async () => {
    // GIVEN a directory of another user (we are root here: chown one; else / is root's)
    let theirs = '/';
    if (process.getuid?.() === 0) {
      theirs = path.join(tmp.path, 'theirs');
      fs.mkdirSync(theirs, { mode: 0o755 });
      fs.chownSync(theirs, 4242, 4242);
    }
    const before = fs.statSync(theirs);
    // WHEN the control plane starts on it THEN it refuses, naming the owner
    await expect(start(theirs)).rejects.toMatchObject({ code: 'SLW_ERR_DATA_DIR_UNSAFE', message: expect.stringContaining(`is owned by uid ${before.uid}, not by you`) });
    // AND its mode and contents are unchanged
    expect(fs.statSync(theirs).mode).toBe(before.mode);
    if (theirs !== '/') expect(fs.readdirSync(theirs)).toEqual([]);
  });
});

describe('token and key files', () => {
  const tmp = tempDir('slipway-low-');
  afterAll(() => tmp.cleanup());
  const app = path.join(tmp.path, 'slipway.config.json');
  fs.writeFileSync(app, JSON.stringify({ name: 'probe', services: { web: { path: '.', start: 'node server.js' } }, environments: { local: { ingressPort: 0 } } }));
  const start = (dataDir: string) => startControlPlane({ dataDir, configFile: app, port: 0, otlpPort: null, xrayPort: null, bootstrap: false });

  it.each([
    { file: 'token', rotation: 'delete it: a new token is made at the next start, and clients read it from the same file' },
    { file: 'key', rotation: 'treat the secrets it encrypts as exposed' },
  ])('an existing group/world-readable $file file is refused with its mode and `chmod 600`, and start works once fixed', async ({ file, rotation }) => {
    // GIVEN a data directory whose secret file was left 0644
    const dataDir = fs.mkdtempSync(path.join(tmp.path, 'data-'));
    const secret = path.join(dataDir, file);
    fs.writeFileSync(secret, 'f'.repeat(64));
    fs.chmodSync(secret, 0o644);
    // WHEN the control plane starts THEN it refuses, naming the file, its mode and the fix
    const refused = start(dataDir);
    await expect(refused).rejects.toMatchObject({ code: 'SLW_ERR_SECRET_FILE_UNSAFE', status: 403 });
    const message = ((await refused.catch((e: unknown) => e)) as Error).message;
    expect(message).toContain(`${secret} has mode 0644, so others could read it and may have: run \`chmod 600 ${secret}\``);
    expect(message).toContain(rotation);
    // AND nothing was tightened for the owner, and nothing was started: no server, no router
    expect(modeOf(secret)).toBe(0o644);
    expect(fs.existsSync(path.join(dataDir, 'server.json'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'router'))).toBe(false);
    // WHEN the owner applies the fix THEN it starts, with the same secret
    fs.chmodSync(secret, 0o600);
    const cp = await start(dataDir);
    try {
      if (file === 'token') expect(cp.token).toBe('f'.repeat(64));
    } finally {
      await cp.close();
    }
  }, 60_000);

  it.each(['token', 'key'])('a %s file that is a symbolic link to elsewhere is refused', async (file) => {
    // GIVEN the secret file's name is a link to a file outside the data directory
    const dataDir = fs.mkdtempSync(path.join(tmp.path, 'data-'));
    const elsewhere = path.join(tmp.path, `planted-${file}`);
    fs.writeFileSync(elsewhere, 'f'.repeat(64), { mode: 0o600 });
    fs.symlinkSync(elsewhere, path.join(dataDir, file));
    // WHEN the control plane starts THEN it refuses to read through the link
    await expect(start(dataDir)).rejects.toMatchObject({
      code: 'SLW_ERR_SECRET_FILE_UNSAFE',
      message: `${path.join(dataDir, file)} is a symbolic link (to ${elsewhere}): slipway reads secrets only from a regular file of its own; replace the link with the file itself`,
    });
    expect(fs.existsSync(path.join(dataDir, 'router'))).toBe(false);
  }, 60_000);
});
