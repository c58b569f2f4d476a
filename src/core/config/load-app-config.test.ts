import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/temp-dir.js';
import { appDefinitionSchema, InputError, NotFoundError, type SlipwayError } from '../../shared/index.js';
import { CONFIG_FILE_NAMES, loadAppConfig } from './index.js';
import { readConfigFile } from './read-config-file.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/configs/', import.meta.url));
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** A temporary directory (outside the repository) holding the given files. */
function dirWith(files: Record<string, string>): string {
  const dir = tempDir('slipway-config-');
  cleanups.push(dir.cleanup);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir.path, name), text);
  return dir.path;
}

async function failure(promise: Promise<unknown>): Promise<SlipwayError> {
  try {
    await promise;
  } catch (error) {
    return error as SlipwayError;
  }
  throw new Error('expected the promise to reject');
}

const TS_CONFIG = `import { defineApp, canary } from 'slipway';
export default defineApp({
  name: 'outside',
  services: { web: { path: 'web', start: 'node server.js' } },
  environments: { production: { ingressPort: 0, strategy: canary({ steps: [50, 100], interval: '1m' }) } },
});
`;

describe('loadAppConfig', () => {
  it('loads a TypeScript config that imports defineApp from slipway', async () => {
    // GIVEN the completed design example WHEN loaded THEN it resolves
    const { file, app } = await loadAppConfig({ cwd: FIXTURES, file: 'shop.ts' });
    expect(file).toBe(path.join(FIXTURES, 'shop.ts'));
    expect(app.name).toBe('shop');
    expect(Object.keys(app.services)).toEqual(['gateway', 'catalog']);
    expect(app.environments.production!.strategy).toEqual({ kind: 'Canary', steps: [5, 25, 50, 100], intervalMs: 30_000, analysis: undefined, codeDeployName: undefined });
    expect(app.pipeline!.stages.map((s) => s.name)).toEqual(['Build', 'Test', 'Staging', 'Approve', 'Production']);
  });

  it('loads a TypeScript config in a directory outside the repository', async () => {
    // GIVEN a config in a temp dir that imports 'slipway' (no node_modules around it)
    const cwd = dirWith({ 'slipway.config.ts': TS_CONFIG });
    // WHEN it is found and loaded THEN 'slipway' resolved to this package
    const { file, app } = await loadAppConfig({ cwd });
    expect(file).toBe(path.join(cwd, 'slipway.config.ts'));
    expect(app.environments.production!.strategy).toMatchObject({ kind: 'Canary', steps: [50, 100], intervalMs: 60_000 });
  });

  it.each(['minimal.json', 'minimal.yaml'])('loads %s', async (name) => {
    const { app } = await loadAppConfig({ cwd: FIXTURES, file: name });
    expect(app.name).toBe('hello');
    expect(app.services.web!.ingressPathPrefix).toBe('/');
  });

  it('resolves the YAML strategy like the helper would', async () => {
    const { app } = await loadAppConfig({ cwd: FIXTURES, file: 'minimal.yaml' });
    expect(app.environments.local!.strategy).toEqual({ kind: 'Linear', stepPercent: 25, steps: [25, 50, 75, 100], intervalMs: 60_000, analysis: undefined, codeDeployName: undefined });
  });

  it('loads CommonJS module.exports from a .js config', async () => {
    const json = fs.readFileSync(path.join(FIXTURES, 'minimal.json'), 'utf8');
    const cwd = dirWith({ 'slipway.config.js': `module.exports = ${json};` });
    const { app } = await loadAppConfig({ cwd });
    expect(app.name).toBe('hello');
  });

  it('prefers the first of CONFIG_FILE_NAMES', async () => {
    // GIVEN a YAML and a JSON config side by side WHEN searching THEN the JSON one wins
    expect(CONFIG_FILE_NAMES.indexOf('slipway.config.json')).toBeLessThan(CONFIG_FILE_NAMES.indexOf('slipway.config.yaml'));
    const json = fs.readFileSync(path.join(FIXTURES, 'minimal.json'), 'utf8').replace('"hello"', '"from-json"');
    const cwd = dirWith({ 'slipway.config.yaml': 'name: from-yaml', 'slipway.config.json': json });
    const { file, app } = await loadAppConfig({ cwd });
    expect(path.basename(file)).toBe('slipway.config.json');
    expect(app.name).toBe('from-json');
  });

  it('reports a missing config with what it looked for', async () => {
    const cwd = dirWith({});
    const error = await failure(loadAppConfig({ cwd }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('SLW_ERR_CONFIG_NOT_FOUND');
    expect(error.message).toBe(`no slipway.config.{ts,mts,js,mjs,json,yaml,yml} found in ${cwd}`);
  });

  it('reports a missing named config file', async () => {
    const cwd = dirWith({});
    const error = await failure(loadAppConfig({ cwd, file: 'app.yaml' }));
    expect(error).toMatchObject({ code: 'SLW_ERR_CONFIG_NOT_FOUND', message: `config file app.yaml not found in ${cwd}` });
  });

  it('reports a syntax error in a TypeScript config', async () => {
    const cwd = dirWith({ 'slipway.config.ts': "export default {\n  name: 'broken',,\n};\n" });
    const error = await failure(loadAppConfig({ cwd }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('SLW_ERR_CONFIG_LOAD');
    expect(error.message).toBe('slipway.config.ts: ParseError: Unexpected token (line 2, column 17)');
  });

  it('reports an error thrown while the config runs', async () => {
    const cwd = dirWith({ 'slipway.config.ts': "throw new Error('database URL is not set');\n" });
    const error = await failure(loadAppConfig({ cwd }));
    expect(error).toMatchObject({ code: 'SLW_ERR_CONFIG_LOAD', message: 'slipway.config.ts: database URL is not set' });
  });

  it.each([
    ['slipway.config.json', '{ "name": "x", }', /^slipway\.config\.json: .*JSON/],
    ['slipway.config.yaml', 'name: [unclosed', /^slipway\.config\.yaml: /],
  ])('reports a parse error in %s', async (name, text, pattern) => {
    const error = await failure(loadAppConfig({ cwd: dirWith({ [name]: text }) }));
    expect(error.code).toBe('SLW_ERR_CONFIG_LOAD');
    expect(error.message).toMatch(pattern);
  });

  it('refuses a runbook file that is not next to the config, and takes one that is', async () => {
    const config = (runbook: string) => `module.exports = { name: 'rb', services: { web: { path: 'web', start: 'node server.js' } }, environments: { production: { ingressPort: 0 } },
      alarms: { errors: { metric: 'Errors', threshold: 1, runbook: '${runbook}' }, slow: { metric: 'Latency', threshold: 1, runbook: 'https://wiki.example.com/slow' } } };`;
    const dir = dirWith({ 'slipway.config.js': config('runbooks/errors.md') });
    const error = await failure(loadAppConfig({ cwd: dir }));
    expect(error.code).toBe('SLW_ERR_CONFIG_INVALID');
    expect(error.issues).toEqual([{ path: 'alarms.errors.runbook', message: 'no file "runbooks/errors.md" next to the config file' }]);
    expect(error.message).toBe('slipway.config.js: alarms.errors.runbook: no file "runbooks/errors.md" next to the config file');
    fs.mkdirSync(path.join(dir, 'runbooks'));
    fs.writeFileSync(path.join(dir, 'runbooks', 'errors.md'), '# Errors\n');
    expect((await loadAppConfig({ cwd: dir })).app.alarms.errors!.runbook).toBe('runbooks/errors.md');
  });

  it('reports every problem of an invalid config, one line each', async () => {
    const error = await failure(loadAppConfig({ cwd: FIXTURES, file: 'invalid.ts' }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.code).toBe('SLW_ERR_CONFIG_INVALID');
    expect(error.issues).toEqual([
      { path: 'environments.production.ingressPort', message: 'port 8080 is already used by environments.staging.ingressPort' },
      { path: 'environments.production.rollbackOn[0]', message: 'no alarm named "gateway-5xx"' },
    ]);
    expect(error.message).toBe(
      'invalid.ts: environments.production.ingressPort: port 8080 is already used by environments.staging.ingressPort\n' +
        'invalid.ts: environments.production.rollbackOn[0]: no alarm named "gateway-5xx"',
    );
  });
});

describe('the design document example', () => {
  it('passes the schema verbatim', async () => {
    // GIVEN the example of the design document, imported from 'slipway' as a user would
    const definition = await readConfigFile(path.join(FIXTURES, 'design-example.ts'), 'design-example.ts');
    // WHEN it is checked against the schema THEN it passes
    const result = appDefinitionSchema.safeParse(definition);
    expect(result.error?.issues).toBeUndefined();
    expect(result.success).toBe(true);
  });

  it('names a service and an alarm the sketch leaves out, and nothing else is wrong', async () => {
    const error = await failure(loadAppConfig({ cwd: FIXTURES, file: 'design-example.ts' }));
    expect(error.code).toBe('SLW_ERR_CONFIG_INVALID');
    expect(error.message).toBe(
      'design-example.ts: services.gateway.env.CATALOG_URL: no service named "catalog"\n' +
        'design-example.ts: environments.production.rollbackOn[1]: no alarm named "gateway-p99"',
    );
  });
});
