/** One test case of a report. */
export interface TestCaseResult {
  readonly name: string;
  readonly className: string | undefined;
  readonly status: 'Succeeded' | 'Failed' | 'Error' | 'Skipped';
  readonly durationMs: number;
  /** The failure or error message, if any. */
  readonly message: string | undefined;
}

/** Counts of one JUnit XML file (or several, summed). */
export interface TestReportCounts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  readonly durationMs: number;
  readonly cases: readonly TestCaseResult[];
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (m, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1] as string] = decode(m[3] ?? m[4] ?? '');
  return out;
}

function seconds(v: string | undefined): number {
  const n = Number(v);
  return v === undefined || !Number.isFinite(n) ? 0 : Math.round(n * 1000);
}

/**
 * Reads a JUnit XML report (`<testsuites>`/`<testsuite>` with `<testcase>`
 * children holding `<failure>`, `<error>` or `<skipped>`). Counts come from the
 * test cases; a suite without cases contributes its own attributes. Not a
 * general XML parser: comments and CDATA are stripped, DTDs are not read.
 */
export function parseJunitXml(xml: string): TestReportCounts {
  const text = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '');
  if (!/<testsuites?[\s>]/.test(text) && !/<testcase[\s>/]/.test(text)) throw new Error('not a JUnit XML report: no <testsuite> or <testcase>');
  const cases: TestCaseResult[] = [];
  const caseRe = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of text.matchAll(caseRe)) {
    const a = attrs(m[1] ?? '');
    const body = m[3] ?? '';
    const child = /<(failure|error|skipped)\b([^>]*?)\/?>/.exec(body);
    const kind = child?.[1];
    const status = kind === 'failure' ? 'Failed' : kind === 'error' ? 'Error' : kind === 'skipped' ? 'Skipped' : 'Succeeded';
    cases.push({ name: a.name ?? '', className: a.classname, status, durationMs: seconds(a.time), message: child ? attrs(child[2] ?? '').message : undefined });
  }
  let extra = { tests: 0, failures: 0, errors: 0, skipped: 0, durationMs: 0 };
  if (cases.length === 0) {
    for (const m of text.matchAll(/<testsuite\b([^>]*)>/g)) {
      const a = attrs(m[1] ?? '');
      extra = {
        tests: extra.tests + Number(a.tests ?? 0),
        failures: extra.failures + Number(a.failures ?? 0),
        errors: extra.errors + Number(a.errors ?? 0),
        skipped: extra.skipped + Number(a.skipped ?? a.disabled ?? 0),
        durationMs: extra.durationMs + seconds(a.time),
      };
    }
  }
  const count = (s: TestCaseResult['status']) => cases.filter((c) => c.status === s).length;
  return {
    tests: cases.length + extra.tests,
    failures: count('Failed') + extra.failures,
    errors: count('Error') + extra.errors,
    skipped: count('Skipped') + extra.skipped,
    durationMs: cases.reduce((s, c) => s + c.durationMs, 0) + extra.durationMs,
    cases,
  };
}
