import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCoverageReport, readTestReport } from './read-report.js';
import type { CoverageReportFormat, TestReportFormat } from './report-model.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../test/fixtures/buildspecs');
const fixture = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
const c = (covered: number, total: number, percent: number | null) => ({ covered, total, percent });

describe('test reports, as their tools write them', () => {
  it('reads jest-junit exactly, with ">" in names and messages', () => {
    // GIVEN jest-junit output whose names hold a raw ">" and an escaped "&gt;" (the regex reader merged these cases)
    const r = readTestReport('JUNITXML', fixture('node-jest/reports/junit.xml'));
    // THEN every case is its own, with exact counts, durations and messages
    expect({ ...r, cases: undefined }).toEqual({ tests: 6, passed: 3, failures: 2, errors: 0, skipped: 1, durationMs: 186, cases: undefined });
    expect(r.cases.map((x) => [x.name, x.status, x.durationMs, x.message])).toEqual([
      ['Calculator adds two numbers', 'Succeeded', 3, undefined],
      ['Calculator compares a > b', 'Failed', 11, 'Error: expect(received).toBe(expected) // Object.is equality'],
      ['Calculator compares b > a', 'Succeeded', 2, undefined],
      ['Calculator divides by zero', 'Skipped', 0, undefined],
      ['api GET /health', 'Succeeded', 120, undefined],
      ['api rejects a cart with 2 > 1 coupons', 'Failed', 50, 'expected 2 > 1'],
    ]);
  });

  it('reads Maven Surefire reports with CDATA, errors and skipped cases', () => {
    // GIVEN two Surefire files WHEN read THEN counts and messages are exact
    const owner = readTestReport('JUNITXML', fixture('java-maven/target/surefire-reports/TEST-org.example.petclinic.owner.OwnerControllerTests.xml'));
    const vet = readTestReport('JUNITXML', fixture('java-maven/target/surefire-reports/TEST-org.example.petclinic.vet.VetTests.xml'));
    expect({ ...owner, cases: undefined }).toEqual({ tests: 3, passed: 2, failures: 0, errors: 1, skipped: 0, durationMs: 532, cases: undefined });
    expect(owner.cases[2]).toEqual({ name: 'testShowOwner', className: 'org.example.petclinic.owner.OwnerControllerTests', status: 'Error', durationMs: 181, message: 'Connection to localhost:5432 refused. Check that the hostname and port are correct' });
    expect({ ...vet, cases: undefined }).toEqual({ tests: 2, passed: 0, failures: 1, errors: 0, skipped: 1, durationMs: 40, cases: undefined });
    expect(vet.cases.map((x) => x.message)).toEqual(['expected: <2> but was: <1>', '@Disabled until #412 is fixed']);
  });

  it('falls back to suite attributes when a suite lists no cases', () => {
    // GIVEN suites without cases WHEN parsed THEN their attributes are summed
    expect(readTestReport('JUNITXML', '<testsuites><testsuite tests="5" failures="1" errors="0" skipped="2" time="1.5"/><testsuite tests="1" failures="0" errors="1" time="0.5"></testsuite></testsuites>')).toEqual({
      tests: 6, passed: 2, failures: 1, errors: 1, skipped: 2, durationMs: 2000, cases: [],
    });
  });

  it('reads Cucumber JSON: backgrounds are not tests, hooks and steps decide the status', () => {
    // GIVEN cucumber-ruby's JSON with backgrounds, a failed, an undefined, a passed and a skipped scenario
    const r = readTestReport('CUCUMBERJSON', fixture('ruby-rails/tmp/cucumber.json'));
    // THEN four tests with exact statuses, messages and durations (nanoseconds summed, then rounded to ms)
    expect({ ...r, cases: undefined }).toEqual({ tests: 4, passed: 1, failures: 1, errors: 1, skipped: 1, durationMs: 33, cases: undefined });
    expect(r.cases).toEqual([
      { name: 'with an email', className: 'Sign up', status: 'Failed', durationMs: 25, message: 'expected 2 > 1 (RSpec::Expectations::ExpectationNotMetError)' },
      { name: 'with a phone', className: 'Sign up', status: 'Error', durationMs: 1, message: 'step undefined: When I sign up by phone' },
      { name: 'with a referral', className: 'Sign up', status: 'Succeeded', durationMs: 7, message: undefined },
      { name: 'finds nothing', className: 'Search', status: 'Skipped', durationMs: 0, message: undefined },
    ]);
  });
});

describe('code coverage, as their tools write it', () => {
  it('reads istanbul cobertura: lines and branches per file and in total', () => {
    const r = readCoverageReport('COBERTURAXML', fixture('node-jest/coverage/cobertura-coverage.xml'));
    expect(r).toEqual({
      lines: c(8, 10, 80),
      branches: c(3, 4, 75),
      files: [
        { path: 'src/calc.js', lines: c(3, 4, 75), branches: c(1, 2, 50) },
        { path: 'src/server.js', lines: c(5, 6, 83.33), branches: c(2, 2, 100) },
      ],
    });
  });

  it('reads c8 lcov: DA and BRDA lines, "-" as not taken', () => {
    const r = readCoverageReport('LCOVINFO', fixture('node-jest/coverage/lcov.info'));
    expect(r).toEqual({
      lines: c(6, 8, 75),
      branches: c(1, 3, 33.33),
      files: [
        { path: '/codebuild/output/src123/src/src/calc.js', lines: c(3, 5, 60), branches: c(1, 3, 33.33) },
        { path: 'src/util/format.js', lines: c(3, 3, 100), branches: c(0, 0, null) },
      ],
    });
  });

  it('reads istanbul clover: stmt and cond lines, conditionals from the metrics', () => {
    const r = readCoverageReport('CLOVERXML', fixture('node-jest/coverage/clover.xml'));
    expect(r).toEqual({
      lines: c(7, 9, 77.78),
      branches: c(2, 4, 50),
      files: [
        { path: '/codebuild/output/src9/src/src/cart.js', lines: c(5, 6, 83.33), branches: c(2, 4, 50) },
        { path: '/codebuild/output/src9/src/src/util/money.js', lines: c(2, 3, 66.67), branches: c(0, 0, null) },
      ],
    });
  });

  it('reads JaCoCo XML: the LINE and BRANCH counters of each source file', () => {
    const r = readCoverageReport('JACOCOXML', fixture('java-maven/target/site/jacoco/jacoco.xml'));
    expect(r).toEqual({
      lines: c(53, 60, 88.33),
      branches: c(9, 14, 64.29),
      files: [
        { path: 'org/example/petclinic/owner/Owner.java', lines: c(18, 20, 90), branches: c(3, 4, 75) },
        { path: 'org/example/petclinic/owner/OwnerController.java', lines: c(25, 30, 83.33), branches: c(6, 10, 60) },
        { path: 'org/example/petclinic/vet/Vet.java', lines: c(10, 10, 100), branches: c(0, 0, null) },
      ],
    });
  });

  it('reads SimpleCov .resultset.json, merging RSpec and Minitest by adding hits', () => {
    const r = readCoverageReport('SIMPLECOV', fixture('ruby-rails/coverage/.resultset.json'));
    expect(r).toEqual({
      lines: c(8, 9, 88.89),
      branches: c(2, 2, 100),
      files: [
        { path: '/codebuild/output/src1/src/app/models/user.rb', lines: c(5, 5, 100), branches: c(2, 2, 100) },
        { path: '/codebuild/output/src1/src/lib/slug.rb', lines: c(3, 4, 75), branches: c(0, 0, null) },
      ],
    });
  });

  it("reads the simplecov-json gem's coverage.json and simplecov_json_formatter's", () => {
    expect(readCoverageReport('SIMPLECOV', fixture('ruby-rails/coverage/coverage.json')).lines).toEqual(c(3, 4, 75));
    const formatter = JSON.stringify({ meta: { simplecov_version: '0.22.0' }, coverage: { '/src/a.rb': { lines: [1, 0, null], branches: [{ type: 'then', start_line: 1, end_line: 1, coverage: 1 }, { type: 'else', start_line: 1, end_line: 1, coverage: 0 }] } }, groups: {} });
    expect(readCoverageReport('SIMPLECOV', formatter)).toEqual({ lines: c(1, 2, 50), branches: c(1, 2, 50), files: [{ path: '/src/a.rb', lines: c(1, 2, 50), branches: c(1, 2, 50) }] });
  });
});

describe('a file that is not what its format says', () => {
  // GIVEN a file of one format read as another WHEN read THEN the error says what is wrong
  const cases: { format: TestReportFormat | CoverageReportFormat; file: string; message: string }[] = [
    { format: 'COBERTURAXML', file: 'node-jest/coverage/lcov.info', message: 'not well-formed XML: line 1: char \'T\' is not expected.' },
    { format: 'COBERTURAXML', file: 'node-jest/coverage/clover.xml', message: '<coverage> has a <project>, as Clover reports do, and no <packages>; is the file-format CLOVERXML?' },
    { format: 'CLOVERXML', file: 'node-jest/coverage/cobertura-coverage.xml', message: '<coverage> has <packages>, as Cobertura reports do, and no <project>; is the file-format COBERTURAXML?' },
    { format: 'JACOCOXML', file: 'node-jest/coverage/clover.xml', message: 'no <report> root element' },
    { format: 'LCOVINFO', file: 'node-jest/coverage/clover.xml', message: 'line 1: not an LCOV line: "<?xml version=\\"1.0\\" encoding=\\"UTF-8\\"?>"' },
    { format: 'SIMPLECOV', file: 'ruby-rails/tmp/cucumber.json', message: 'not a SimpleCov report (.resultset.json or coverage.json)' },
    { format: 'SIMPLECOV', file: 'node-jest/coverage/lcov.info', message: 'not JSON: Unexpected token' },
    { format: 'JUNITXML', file: 'java-maven/target/site/jacoco/jacoco.xml', message: 'no <testsuites>, <testsuite> or <testcase> element' },
    { format: 'CUCUMBERJSON', file: 'ruby-rails/coverage/.resultset.json', message: 'not a Cucumber JSON report: expected a list of features' },
  ];
  it.each(cases)('$file as $format', ({ format, file, message }) => {
    const read = () => (format === 'JUNITXML' || format === 'CUCUMBERJSON' ? readTestReport(format, fixture(file)) : readCoverageReport(format, fixture(file)));
    expect(read).toThrow(message);
  });
});
