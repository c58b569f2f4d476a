import { ReportFormatError, type TestCaseResult, type TestReportCounts } from './report-model.js';
import { attr, child, children, parseXml, text, type XmlElement } from './xml.js';

const LISTS = new Set(['testsuite', 'testcase', 'failure', 'error', 'skipped']);

function seconds(el: XmlElement, element: string): number {
  const v = attr(el, 'time');
  if (v === undefined || v.trim() === '') return 0;
  // Some reporters write thousands separators ("1,234.5"); the number is still meant.
  const n = Number(v.replace(/,/g, ''));
  if (!Number.isFinite(n) || n < 0) throw new ReportFormatError(`<${element} time="${v}">: expected seconds`);
  return Math.round(n * 1000);
}

function caseOf(tc: XmlElement): TestCaseResult {
  const failure = child(tc, 'failure');
  const error = child(tc, 'error');
  const skipped = child(tc, 'skipped');
  const hit = failure ?? error ?? skipped;
  const status = failure ? 'Failed' : error ? 'Error' : skipped ? 'Skipped' : 'Succeeded';
  // jest-junit and others put the message in the element's text, surefire in `message`.
  const message = hit === undefined ? undefined : (attr(hit, 'message') ?? text(hit)?.split('\n')[0]);
  return { name: attr(tc, 'name') ?? '', className: attr(tc, 'classname'), status, durationMs: seconds(tc, 'testcase'), message };
}

/**
 * Reads a JUnit XML report with a real XML parser: `<testsuites>` or `<testsuite>` (suites
 * may nest) with `<testcase>` children holding `<failure>`, `<error>` or `<skipped>`.
 * Counts and durations come from the test cases; a suite without cases contributes its own
 * `tests`/`failures`/`errors`/`skipped` attributes. A message is the child's `message`
 * attribute, else the first line of its text. Throws {@link ReportFormatError} for text that
 * is not XML or has no suite or test case.
 */
export function parseJunitXml(xml: string): TestReportCounts {
  const doc = parseXml(xml, LISTS);
  const roots = [...children(doc, 'testsuites').flatMap((s) => children(s, 'testsuite')), ...children(doc, 'testsuite')];
  const bare = children(doc, 'testcase');
  if (roots.length === 0 && bare.length === 0 && doc.testsuites === undefined) throw new ReportFormatError('no <testsuites>, <testsuite> or <testcase> element');
  const cases: TestCaseResult[] = bare.map(caseOf);
  const extra = { tests: 0, failures: 0, errors: 0, skipped: 0, durationMs: 0 };
  const visit = (suite: XmlElement): void => {
    const own = children(suite, 'testcase');
    const nested = children(suite, 'testsuite');
    cases.push(...own.map(caseOf));
    nested.forEach(visit);
    if (own.length === 0 && nested.length === 0) {
      const n = (name: string) => Number(attr(suite, name) ?? 0) || 0;
      extra.tests += n('tests');
      extra.failures += n('failures');
      extra.errors += n('errors');
      extra.skipped += n('skipped') || n('disabled');
      extra.durationMs += seconds(suite, 'testsuite');
    }
  };
  roots.forEach(visit);
  const count = (s: TestCaseResult['status']) => cases.filter((c) => c.status === s).length;
  const failures = count('Failed') + extra.failures;
  const errors = count('Error') + extra.errors;
  const skipped = count('Skipped') + extra.skipped;
  const tests = cases.length + extra.tests;
  return { tests, passed: tests - failures - errors - skipped, failures, errors, skipped, durationMs: cases.reduce((s, c) => s + c.durationMs, 0) + extra.durationMs, cases };
}
