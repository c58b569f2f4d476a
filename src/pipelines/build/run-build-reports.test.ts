import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { staticSecretStore } from '../secrets/index.js';
import type { HostRuntimes } from './model.js';
import { runBuild } from './run-build.js';
import { checkRuntimeVersions } from './runtime-versions.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/buildspecs');
let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs a fixture project's buildspec (optionally replaced) in a copy of it. */
async function buildFixture(project: string, options: { buildspec?: string; files?: Record<string, string>; hostRuntimes?: HostRuntimes } = {}) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-buildspec-'));
  fs.cpSync(path.join(FIXTURES, project), dir, { recursive: true });
  if (options.buildspec) fs.writeFileSync(path.join(dir, 'buildspec.yml'), options.buildspec);
  for (const [f, text] of Object.entries(options.files ?? {})) fs.writeFileSync(path.join(dir, f), text);
  const log: string[] = [];
  const result = await runBuild({
    buildId: 'fixture:1',
    buildNumber: 1,
    sourceDir: dir,
    commitSha: '0'.repeat(40),
    secrets: staticSecretStore({}),
    hostRuntimes: options.hostRuntimes ?? { nodejs: '20.11.1', java: '17.0.2', ruby: '3.2.2' },
    onLogLine: (line) => log.push(line),
    timeoutMs: 20_000,
  });
  return { result, log };
}

describe('runBuild with buildspecs shaped like public projects', () => {
  it('a Maven project: Surefire files by glob, JaCoCo coverage, java: corretto17 on a Java 17 host', async () => {
    const { result, log } = await buildFixture('java-maven');
    expect(result.status).toBe('Succeeded');
    expect(result.artifactFiles.map((f) => f.path)).toEqual(['petclinic.jar']);
    expect({ ...result.reports[0], cases: undefined }).toEqual({
      name: 'surefire', type: 'TEST', fileFormat: 'JUNITXML', status: 'Failed',
      files: ['target/surefire-reports/TEST-org.example.petclinic.owner.OwnerControllerTests.xml', 'target/surefire-reports/TEST-org.example.petclinic.vet.VetTests.xml'],
      tests: 5, passed: 2, failures: 1, errors: 1, skipped: 1, durationMs: 572, cases: undefined,
    });
    expect(result.coverage.map((c) => [c.name, c.fileFormat, c.lines, c.branches, c.coveredFiles.length])).toEqual([
      ['jacoco', 'JACOCOXML', { covered: 53, total: 60, percent: 88.33 }, { covered: 9, total: 14, percent: 64.29 }, 3],
    ]);
    // corretto17 is Java 17: no warning
    expect(result.warnings).toEqual([]);
    expect(log.filter((l) => l.includes('Warning'))).toEqual([]);
  });

  it('a Rails project: Cucumber JSON and SimpleCov, and a warning for ruby 3.2 on a host without Ruby', async () => {
    const { result, log } = await buildFixture('ruby-rails', { hostRuntimes: { nodejs: '20.11.1' } });
    expect(result.status).toBe('Succeeded');
    expect(result.reports.map((r) => [r.name, r.fileFormat, r.tests, r.passed, r.failures, r.errors, r.skipped, r.durationMs])).toEqual([['cucumber', 'CUCUMBERJSON', 4, 1, 1, 1, 1, 33]]);
    expect(result.coverage.map((c) => [c.name, c.fileFormat, c.lines, c.branches])).toEqual([['simplecov', 'SIMPLECOV', { covered: 8, total: 9, percent: 88.89 }, { covered: 2, total: 2, percent: 100 }]]);
    expect(result.warnings).toEqual(['runtime-versions: ruby 3.2 was asked for, but the host has no ruby']);
    expect(log).toContain('[Container] Warning: runtime-versions: ruby 3.2 was asked for, but the host has no ruby');
  });

  it('fails with the file and format when a coverage file is not what its format says, and keeps the rest', async () => {
    // GIVEN a Node buildspec whose cobertura report is pointed at the lcov file
    const { result } = await buildFixture('node-jest', {
      buildspec: `version: 0.2
phases:
  build:
    commands: [echo tests]
reports:
  unit:
    files: [reports/junit.xml]
  cobertura:
    files: [coverage/lcov.info]
    file-format: COBERTURAXML
  lcov:
    files: [coverage/lcov.info]
    file-format: LCOV
`,
    });
    // THEN the build failed naming group, file and format; the JUnit and LCOV reports were still read
    expect(result.status).toBe('Failed');
    expect(result.failureReason).toBe('REPORT_FILE_ERROR: report group "cobertura": coverage/lcov.info is not a COBERTURAXML file: not well-formed XML: line 1: char \'T\' is not expected.');
    expect(result.reports[0]?.tests).toBe(6);
    expect(result.coverage.map((c) => [c.name, c.status, c.lines.percent])).toEqual([['cobertura', 'Error', null], ['lcov', 'Succeeded', 75]]);
  });

  it('treats report globs that match nothing as an Error report, not a failed build, as CodeBuild does', async () => {
    const { result } = await buildFixture('node-jest', { buildspec: 'version: 0.2\nphases:\n  build:\n    commands: [echo hi]\nreports:\n  e2e:\n    files: [e2e/*.xml]\n' });
    expect(result.status).toBe('Succeeded');
    expect(result.reports[0]).toMatchObject({ name: 'e2e', status: 'Error', error: 'no report files match e2e/*.xml' });
  });
});

describe('checkRuntimeVersions', () => {
  // GIVEN runtime-versions and a host WHEN checked THEN only what the host does not satisfy warns
  const host: HostRuntimes = { nodejs: '20.11.1', python: '3.11.4', java: '1.8.0', golang: undefined };
  const cases: [Record<string, string>, string[]][] = [
    [{ nodejs: '20' }, []],
    [{ nodejs: 'latest' }, []],
    [{ nodejs: '20.x' }, []],
    [{ nodejs: '18' }, ['runtime-versions: nodejs 18 was asked for, but the host has nodejs 20.11.1, which is used']],
    [{ python: '3.11' }, []],
    [{ python: '3.12' }, ['runtime-versions: python 3.12 was asked for, but the host has python 3.11.4, which is used']],
    [{ java: 'corretto8' }, []],
    [{ golang: '1.21' }, ['runtime-versions: golang 1.21 was asked for, but the host has no golang']],
    [{ cobol: '85' }, ['runtime-versions: unknown runtime "cobol" (slipway knows nodejs, python, java, ruby, golang, php, dotnet); the host\'s tools are used']],
  ];
  it.each(cases)('%j', (requested, warnings) => {
    expect(checkRuntimeVersions(requested, host)).toEqual(warnings);
  });
});
