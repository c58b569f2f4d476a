import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allocatePort, exec } from '../../src/core/index.js';
import { FREE_PORTS, slipway, startSlipway } from '../support/cli.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/init');

/** A copy of a fixture repository, committed on main as a user's repository would be. */
async function repository(fixture: string, into: string): Promise<string> {
  const repo = path.join(into, fixture);
  fs.cpSync(path.join(FIXTURES, fixture), repo, { recursive: true });
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'the app as it was before slipway');
  return repo;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await exec('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', ...args], { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

describe('slipway init in existing repositories (real CLI, real processes)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));
  const workspace = () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    return tmp.path;
  };

  // GIVEN a compose repository with two built services and an image-only database
  it('adopts a compose app: two services, the database reported as not run locally, and a config that validates', async () => {
    const repo = await repository('compose-app', workspace());
    const init = await slipway(['init', '--yes'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('found 2 services');
    expect(init.stdout).toMatch(/mongo \(image mongo:7\): an image-only service .* point api\.MONGO_URL at it/);
    expect(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8')).toBe('.slipway/\n');
    const validate = await slipway(['validate', '--json'], { cwd: repo });
    expect(validate.code, validate.stderr).toBe(0);
    const app = JSON.parse(validate.stdout) as { services: Record<string, { dependsOn: string[]; env: Record<string, string>; ingressPathPrefix?: string }> };
    expect(Object.keys(app.services)).toEqual(['web', 'api']);
    expect(app.services.web).toMatchObject({ dependsOn: ['api'], env: { API_URL: '${services.api.url}' }, ingressPathPrefix: '/' });
    expect(app.services.api!.ingressPathPrefix).toBeUndefined();
    // WHEN init runs again THEN it refuses to overwrite, and changes nothing
    const before = fs.readFileSync(path.join(repo, 'slipway.config.ts'), 'utf8');
    const again = await slipway(['init', '--yes'], { cwd: repo });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('slipway.config.ts and buildspec.yml already exist');
    expect(fs.readFileSync(path.join(repo, 'slipway.config.ts'), 'utf8')).toBe(before);
  });

  it('writes nothing in a directory with nothing to run', async () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'README.md'), '# notes\n');
    const init = await slipway(['init', '--yes'], { cwd: dir });
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(/^slipway: found nothing to run in .*: expected a package\.json with a "start" script/);
    expect(fs.readdirSync(dir)).toEqual(['README.md']);
  });

  // GIVEN a Procfile + package.json app that reads PORT, WHEN init, commit and up, THEN the first pipeline run is green to production
  it('adopts a Procfile app; `slipway up` runs it and the first pipeline run succeeds through production', async () => {
    const repo = await repository('procfile-app', workspace());
    const init = await slipway(['init', '--yes'], { cwd: repo });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('found 1 service');
    expect(init.stdout).toContain('Procfile worker');
    // The written config is used as is, but for its ingress ports: this machine runs other tests on 8080/8081.
    const [staging, production] = [await allocatePort(), await allocatePort()];
    const configFile = path.join(repo, 'slipway.config.ts');
    fs.writeFileSync(configFile, fs.readFileSync(configFile, 'utf8').replace('ingressPort: 8081', `ingressPort: ${staging}`).replace('ingressPort: 8080', `ingressPort: ${production}`));
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-q', '-m', 'Adopt slipway');

    const up = startSlipway(['up', ...FREE_PORTS], { cwd: repo, env: { SLIPWAY_TOKEN: '' } });
    cleanups.push(() => void (up.child.exitCode === null && up.child.kill('SIGKILL')));
    await waitFor('slipway up', () => (up.output.stdout.includes('Press Ctrl-C') ? true : up.child.exitCode !== null ? Promise.reject(new Error(up.output.stderr)) : undefined), 60_000);
    const runs = async () => JSON.parse((await slipway(['pipeline', 'list', '--json'], { cwd: repo })).stdout) as { id: number; status: string }[];
    const run = await waitFor('the first pipeline run to end', async () => {
      const first = (await runs()).find((r) => r.id === 1);
      return first && ['Succeeded', 'Failed', 'Stopped'].includes(first.status) ? first : undefined;
    }, 120_000);
    const shown = await slipway(['pipeline', 'show', '1'], { cwd: repo });
    expect(run.status, shown.stdout).toBe('Succeeded');
    expect(shown.stdout).toContain('Production');
    // The unchanged first run can end before the task slipway up started has passed its health checks.
    const answer = await waitFor('the service through the production ingress', async () => {
      const res = await fetch(`http://127.0.0.1:${production}/`).catch(() => undefined);
      return res?.ok ? res.text() : undefined;
    }, 30_000);
    expect(answer).toBe('hello from hello-web\n');
    up.child.kill('SIGTERM');
    expect((await up.exited).code).toBe(0);
  }, 240_000);
});
