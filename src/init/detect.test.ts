import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { detectServices, serviceName } from './detect.js';
import { parseCompose, parseDockerfile, parseProcfile } from './manifests.js';
import { renderBuildspec } from './render.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/init');

describe('detecting the services of a repository', () => {
  // GIVEN a Procfile + package.json app that reads PORT, WHEN detected, THEN one web service; the worker is left out with a reason
  it('finds the Procfile web process, its PORT read and its health route', () => {
    const d = detectServices(path.join(FIXTURES, 'procfile-app'));
    expect(d.services).toHaveLength(1);
    expect(d.services[0]).toMatchObject({ name: 'hello-web', path: '.', start: 'node server.js', source: 'Procfile', readsPort: true, healthPath: '/healthz', dependsOn: [], build: { install: 'npm install --no-audit --no-fund', test: 'npm test' } });
    expect(d.services[0]!.fixedPort).toBeUndefined();
    expect(d.services[0]!.guessed).toEqual([]);
    expect(d.skipped).toEqual([expect.stringContaining('Procfile worker')]);
    expect(d.external).toEqual([]);
  });

  // GIVEN a compose file with two built services and an image-only database, WHEN detected, THEN two services, one external
  it('reads a compose file: built services with their commands, env as service URLs, depends_on, healthcheck; the database as external', () => {
    const d = detectServices(path.join(FIXTURES, 'compose-app'));
    expect(d.services.map((s) => s.name)).toEqual(['web', 'api']);
    const [web, api] = d.services;
    expect(web).toMatchObject({ path: 'web', start: 'node index.js', source: 'compose', readsPort: true, healthPath: '/healthz', dependsOn: ['api'], env: { API_URL: '${services.api.url}' }, build: {} });
    // PORT from compose is dropped: slipway hands every task its own
    expect(Object.keys(web!.env)).not.toContain('PORT');
    // the package.json start script wins over the Dockerfile's `npm start`; npm's placeholder test is no test
    expect(api).toMatchObject({ path: 'api', start: 'node src/main.js', readsPort: true, healthPath: '/health', dependsOn: [], env: { NODE_ENV: 'production', MONGO_URL: 'mongodb://mongo:27017/app' }, build: { install: 'npm install --no-audit --no-fund' } });
    expect(api!.build.test).toBeUndefined();
    expect(d.external).toEqual([{ name: 'mongo', image: 'mongo:7', referencedBy: ['api.MONGO_URL'] }]);
  });

  it('finds workspaces with a start script and leaves libraries out', () => {
    const tmp = tempDir();
    try {
      const w = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(tmp.path, rel)), { recursive: true });
        fs.writeFileSync(path.join(tmp.path, rel), text);
      };
      w('package.json', JSON.stringify({ name: 'mono', workspaces: ['packages/*'] }));
      w('package-lock.json', '{}');
      w('packages/shop-api/package.json', JSON.stringify({ name: '@mono/shop-api', scripts: { start: 'tsx src/index.ts', test: 'vitest run' } }));
      w('packages/shop-api/src/index.ts', "app.get('/ready', h); app.listen(8080);");
      w('packages/utils/package.json', JSON.stringify({ name: '@mono/utils' }));
      const d = detectServices(tmp.path);
      expect(d.workspaces).toBe(true);
      expect(d.rootLockfile).toBe(true);
      expect(d.services).toHaveLength(1);
      // not node: run through npm so node_modules/.bin is on PATH; a fixed port is reported, not hidden
      expect(d.services[0]).toMatchObject({ name: 'shop-api', path: 'packages/shop-api', start: 'npm start', readsPort: false, fixedPort: 8080, healthPath: '/ready', build: { test: 'npm test' } });
      expect(d.services[0]!.build.install).toBeUndefined();
      expect(d.skipped).toEqual([expect.stringContaining('packages/utils')]);
      expect(renderBuildspec(d)).toContain("- 'npm ci --no-audit --no-fund'");
      expect(renderBuildspec(d)).toContain("- '(cd packages/shop-api && npm test)'");
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a directory with nothing to run, naming what it looked for and what it saw', () => {
    const tmp = tempDir();
    try {
      expect(() => detectServices(tmp.path)).toThrow(/found nothing to run .*package\.json with a "start" script/);
      fs.writeFileSync(path.join(tmp.path, 'compose.yaml'), 'services:\n  db:\n    image: postgres:16\n');
      expect(() => detectServices(tmp.path)).toThrow(/only images slipway cannot build or run as processes: db/);
      fs.writeFileSync(path.join(tmp.path, 'compose.yaml'), 'services: [1, 2\n');
      expect(() => detectServices(tmp.path)).toThrow(/compose\.yaml: not valid YAML/);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('manifest readers', () => {
  it.each([
    ['web: node server.js\n# comment\nworker:   bundle exec sidekiq  \n', [{ type: 'web', command: 'node server.js' }, { type: 'worker', command: 'bundle exec sidekiq' }]],
    ['', []],
  ])('Procfile %j', (text, expected) => {
    expect(parseProcfile(text)).toEqual(expected);
  });

  it('reads the last stage of a multi-stage Dockerfile', () => {
    const f = parseDockerfile('FROM node:20 AS build\nCMD ["npm", "run", "build"]\nEXPOSE 1\nFROM node:20-slim\nENV PORT=8080 \\\n  X=1 Y="two words"\nEXPOSE 8080/tcp 9090\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node", "dist/main.js", "--name", "a b"]\n');
    expect(f).toEqual({ command: "docker-entrypoint.sh node dist/main.js --name 'a b'", exposed: [8080, 9090], env: { PORT: '8080', X: '1', Y: 'two words' } });
  });

  it('reads compose ports in their short and long forms', () => {
    const [s] = parseCompose('compose.yaml', 'services:\n  a:\n    build: .\n    ports: ["127.0.0.1:8080:3000/tcp", "9000", {target: 7000, published: 7001}]\n    expose: ["5000"]\n');
    expect(s!.ports).toEqual([3000, 9000, 7000, 5000]);
  });

  it.each([['@acme/Web_API', 'web-api'], ['9lives', 's-9lives'], ['---', 'app']])('service name of %j is %j', (raw, name) => {
    expect(serviceName(raw)).toBe(name);
  });
});
