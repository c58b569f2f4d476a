import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, isAlive } from '../../core/index.js';
import { staticSecretStore } from '../secrets/index.js';
import type { LogLineSource, RunBuildOptions } from './model.js';
import { runBuild } from './run-build.js';
import { prepareWorkspace } from './workspace.js';

let tmp: string;
let repo: string;
let sha: string;
let n = 0;

async function git(...args: string[]): Promise<string> {
  const r = await exec('git', args, { cwd: repo });
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-build-test-'));
  repo = path.join(tmp, 'repo');
  fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'src/app.js'), 'app\n');
  fs.writeFileSync(path.join(repo, 'src/lib.js'), 'lib\n');
  await git('init', '--quiet', '-b', 'main');
  await git('add', '.');
  await git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '--quiet', '-m', 'init');
  sha = await git('rev-parse', 'HEAD');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function build(buildspec: string, extra: Partial<RunBuildOptions> = {}) {
  n += 1;
  const ws = await prepareWorkspace({ repoDir: repo, revision: 'main', workspacesDir: path.join(tmp, 'workspaces'), buildId: `b-${n}` });
  fs.writeFileSync(path.join(ws.dir, 'buildspec.yml'), buildspec);
  const lines: { line: string; source: LogLineSource }[] = [];
  const result = await runBuild({
    buildId: `shop:b-${n}`,
    buildNumber: n,
    sourceDir: ws.dir,
    commitSha: ws.commitSha,
    sourceVersion: 'refs/heads/main',
    secrets: staticSecretStore({ 'shop/api': 'sup3r-s3cret-value', 'shop/json': '{"user":"admin","pass":"pa55-w0rd-xyz"}' }),
    onLogLine: (line, source) => lines.push({ line, source }),
    timeoutMs: 20_000,
    ...extra,
  });
  return { result, lines, out: lines.filter((l) => !l.line.startsWith('[Container]')).map((l) => l.line), dir: ws.dir };
}

describe('runBuild', () => {
  it('checks out the exact revision and sets CodeBuild variables', async () => {
    const { result, out, dir } = await build(`version: 0.2
phases:
  build:
    commands:
      - echo "$CODEBUILD_BUILD_ID|$CODEBUILD_BUILD_NUMBER|$CODEBUILD_RESOLVED_SOURCE_VERSION|$CODEBUILD_SOURCE_VERSION|$CODEBUILD_INITIATOR|$CODEBUILD_BUILD_SUCCEEDING"
      - test "$CODEBUILD_SRC_DIR" = "$(pwd -P)" && echo src-ok
      - test "$CODEBUILD_START_TIME" -gt 1600000000000 && echo start-ok
      - git rev-parse HEAD
`);
    expect(result.status).toBe('Succeeded');
    expect(out).toEqual([`shop:b-1|1|${sha}|refs/heads/main|slipway|1`, 'src-ok', 'start-ok', sha]);
    expect(fs.realpathSync(dir)).toBe(fs.realpathSync(path.join(tmp, 'workspaces/b-1')));
  });

  it('runs phases in order, keeps cd within a phase and variables (exported or not) across phases', async () => {
    const { result, out } = await build(`version: 0.2
env:
  variables:
    GREETING: hello
  exported-variables: [VERSION, MISSING]
phases:
  install:
    runtime-versions:
      nodejs: 20
    commands:
      - export VERSION=1.2.3
      - cd src
      - echo "install in $(basename $(pwd))"
      - TAG=t1
  pre_build:
    commands:
      - echo "pre_build in $(basename $(pwd)) $VERSION $GREETING $TAG"
  build:
    commands:
      - export VERSION="$VERSION-b$CODEBUILD_BUILD_NUMBER"
  post_build:
    commands:
      - echo "post_build $VERSION"
`);
    expect(result.status).toBe('Succeeded');
    expect(result.phases.map((p) => [p.name, p.status, p.exitCode])).toEqual([
      ['install', 'Succeeded', 0],
      ['pre_build', 'Succeeded', 0],
      ['build', 'Succeeded', 0],
      ['post_build', 'Succeeded', 0],
    ]);
    // A variable set without export carries too: CodeBuild runs every phase in one shell.
    expect(out).toEqual(['install in src', 'pre_build in b-2 1.2.3 hello t1', 'post_build 1.2.3-b2']);
    expect(result.exportedVariables).toEqual({ VERSION: '1.2.3-b2' });
  });

  it('ABORT in build: runs its finally and post_build (SUCCEEDING=0), then fails', async () => {
    const { result, out } = await build(`version: 0.2
phases:
  pre_build:
    commands: [echo pre]
  build:
    commands:
      - echo one
      - exit 3
      - echo never
    finally:
      - echo "finally $CODEBUILD_BUILD_SUCCEEDING"
  post_build:
    commands:
      - echo "post $CODEBUILD_BUILD_SUCCEEDING"
`);
    expect(result.status).toBe('Failed');
    expect(out).toEqual(['pre', 'one', 'finally 1', 'post 0']);
    expect(result.phases.map((p) => [p.name, p.status, p.exitCode])).toEqual([
      ['pre_build', 'Succeeded', 0],
      ['build', 'Failed', 3],
      ['post_build', 'Succeeded', 0],
    ]);
    expect(result.failureReason).toBe('COMMAND_EXECUTION_ERROR: Error while executing command: exit 3. Reason: exit status 3');
  });

  it('ABORT in install skips every later phase; CONTINUE goes on', async () => {
    const abort = await build(`version: 0.2
phases:
  install:
    commands: ["false"]
    finally: [echo cleanup]
  build:
    commands: [echo build]
  post_build:
    commands: [echo post]
`);
    expect(abort.out).toEqual(['cleanup']);
    expect(abort.result.phases.map((p) => p.name)).toEqual(['install']);
    const cont = await build(`version: 0.2
phases:
  install:
    on-failure: CONTINUE
    commands: ["false", echo not-run]
  build:
    commands: [echo "build $CODEBUILD_BUILD_SUCCEEDING"]
`);
    expect(cont.out).toEqual(['build 0']);
    expect(cont.result.status).toBe('Failed');
    expect(cont.result.phases.map((p) => p.status)).toEqual(['Failed', 'Succeeded']);
  });

  it('a failing finally fails the phase', async () => {
    const { result } = await build(`version: 0.2
phases:
  build:
    commands: [echo ok]
    finally: ["exit 4"]
`);
    expect(result.status).toBe('Failed');
    expect(result.phases[0]?.exitCode).toBe(4);
  });

  it('collects artifacts with base-directory, discard-paths and exclude-paths, and parses JUnit reports', async () => {
    const { result } = await build(`version: 0.2
phases:
  build:
    commands:
      - mkdir -p dist/js/deep reports
      - echo a > dist/js/a.js && echo b > dist/js/deep/b.js && echo m > dist/js/a.js.map
      - printf '%s' '<testsuites><testsuite name="unit"><testcase classname="c" name="t1" time="0.5"/><testcase name="t2" time="0.25"><failure message="boom">x</failure></testcase><testcase name="t3"><skipped/></testcase><testcase name="t4"><error message="e"/></testcase></testsuite></testsuites>' > reports/junit.xml
artifacts:
  files: ['**/*']
  base-directory: dist
  discard-paths: yes
  exclude-paths: ['**/*.map']
  name: web
reports:
  unit:
    files: ['**/*.xml']
    base-directory: reports
`);
    expect(result.status).toBe('Succeeded');
    expect(result.artifactName).toBe('web');
    expect(result.artifactFiles.map((f) => [f.path, path.relative(path.join(tmp, 'workspaces/b-7'), f.sourcePath)])).toEqual([
      ['a.js', 'dist/js/a.js'],
      ['b.js', 'dist/js/deep/b.js'],
    ]);
    const report = result.reports[0];
    expect({ ...report, cases: undefined }).toEqual({ name: 'unit', type: 'TEST', fileFormat: 'JUNITXML', status: 'Failed', files: ['junit.xml'], tests: 4, passed: 1, failures: 1, errors: 1, skipped: 1, durationMs: 750, cases: undefined });
    expect(report?.cases.map((c) => [c.name, c.status, c.message])).toEqual([
      ['t1', 'Succeeded', undefined],
      ['t2', 'Failed', 'boom'],
      ['t3', 'Skipped', undefined],
      ['t4', 'Error', 'e'],
    ]);
  });

  it('fails when artifact files match nothing', async () => {
    const { result } = await build('version: 0.2\nphases:\n  build:\n    commands: [echo hi]\nartifacts:\n  files: ["out/**/*"]\n');
    expect(result.status).toBe('Failed');
    expect(result.failureReason).toBe('CLIENT_ERROR: no matching artifact paths found for out/**/* in .');
  });

  it('restores cache paths on the next build', async () => {
    const cacheDir = path.join(tmp, 'cache');
    const spec = `version: 0.2
phases:
  build:
    commands:
      - if [ -f deps/lib.txt ]; then echo "cached $(cat deps/lib.txt)"; else mkdir -p deps && echo v1 > deps/lib.txt && echo fresh; fi
cache:
  paths: ['deps/**/*']
`;
    expect((await build(spec, { cacheDir })).out).toEqual(['fresh']);
    expect((await build(spec, { cacheDir })).out).toEqual(['cached v1']);
  });

  it('masks secrets in every line, also when split across output chunks', async () => {
    const { result, lines } = await build(`version: 0.2
env:
  secrets-manager:
    API_KEY: shop/api
    DB_PASS: shop/json:pass
phases:
  build:
    commands:
      - echo "key=$API_KEY pass=$DB_PASS"
      - printf '%s' "$API_KEY" | head -c 5; sleep 0.05; printf '%s\\n' "$API_KEY" | tail -c +6
      - echo "$API_KEY" >&2
`);
    expect(result.status).toBe('Succeeded');
    const text = lines.map((l) => l.line).join('\n');
    expect(text).not.toContain('sup3r');
    expect(text).not.toContain('pa55-w0rd-xyz');
    expect(lines.filter((l) => !l.line.startsWith('[Container]')).map((l) => [l.line, l.source.stream])).toEqual([
      ['key=*** pass=***', 'stdout'],
      ['***', 'stdout'],
      ['***', 'stderr'],
    ]);
  });

  it('never returns a secret: exported variables holding one are references, reports are masked', async () => {
    // GIVEN a build that exports a secret, a JSON field of one inside a URL, a base64 form and a plain value, and writes the secret into a test report
    const { result } = await build(`version: 0.2
env:
  secrets-manager:
    API_KEY: shop/api
    DB_PASS: shop/json:pass
  exported-variables: [API_KEY, DB_URL, KEY_B64, PLAIN]
phases:
  build:
    commands:
      - export DB_URL="postgres://admin:$DB_PASS@db/shop" KEY_B64="$(printf '%s' "$API_KEY" | base64)" PLAIN=v1
      - printf '<testsuite><testcase name="login %s" classname="k"><failure message="got %s"/></testcase></testsuite>' "$API_KEY" "$DB_PASS" > junit.xml
reports:
  unit:
    files: [junit.xml]
`);
    // THEN each variable is kept without its secret, and the report's case is masked
    expect(result.exportedVariables).toEqual({
      API_KEY: { parts: [{ secretRef: 'shop/api', encoding: 'plain' }] },
      DB_URL: { parts: ['postgres://admin:', { secretRef: 'shop/json', key: 'pass', encoding: 'plain' }, '@db/shop'] },
      KEY_B64: { parts: [{ secretRef: 'shop/api', encoding: 'base64' }] },
      PLAIN: 'v1',
    });
    expect(JSON.stringify(result)).not.toContain('sup3r');
    expect(JSON.stringify(result)).not.toContain('pa55-w0rd-xyz');
    expect(result.reports[0]?.cases).toEqual([{ name: 'login ***', className: 'k', status: 'Failed', durationMs: 0, message: 'got ***' }]);
  });

  it('fails before any command when a secret is missing or the buildspec is invalid', async () => {
    const missing = await build('version: 0.2\nenv:\n  parameter-store:\n    X: nope\nphases:\n  build:\n    commands: [touch ran]\n');
    expect(missing.result.failureReason).toBe('SECRET_ERROR: env.parameter-store.X: no secret named "nope"');
    expect(fs.existsSync(path.join(missing.dir, 'ran'))).toBe(false);
    const bad = await build('version: 0.2\nphases:\n  biuld:\n    commands: [touch ran]\n');
    expect(bad.result.status).toBe('Failed');
    expect(bad.result.phases).toEqual([]);
    expect(bad.result.failureReason).toBe('YAML_FILE_ERROR: buildspec.yml: line 3: phases.biuld: unknown phase (expected install, pre_build, build, post_build)');
  });

  it('a timeout kills the build and its children', async () => {
    const { result, dir } = await build(
      `version: 0.2
phases:
  build:
    commands:
      - sleep 30 & echo $! > child.pid; wait
`,
      { timeoutMs: 500, killGraceMs: 200 },
    );
    expect(result.status).toBe('TimedOut');
    expect(result.phases.map((p) => [p.name, p.status])).toEqual([['build', 'TimedOut']]);
    const pid = Number(fs.readFileSync(path.join(dir, 'child.pid'), 'utf8'));
    expect(pid).toBeGreaterThan(0);
    // A killed child may linger as a zombie until its new parent reaps it; it no longer runs.
    const state = isAlive(pid) ? (fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] ?? "?") : "gone";
    expect(["gone", "Z"]).toContain(state);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const { result } = await build('version: 0.2\nphases:\n  build:\n    commands: ["sleep 30"]\n', {
      signal: controller.signal,
      onPhase: (p) => {
        if (p.status === 'InProgress') setTimeout(() => controller.abort(), 50);
      },
    });
    expect(result.status).toBe('Stopped');
    expect(result.failureReason).toBe('BUILD_STOPPED: the build was stopped');
  });
});
