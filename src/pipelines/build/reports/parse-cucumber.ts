import { z } from 'zod';
import { formatPath } from '../../../shared/index.js';
import { ReportFormatError, type TestCaseResult, type TestReportCounts } from './report-model.js';

const result = z.looseObject({
  status: z.string(),
  /** Nanoseconds (cucumber-js 2+, cucumber-ruby, cucumber-jvm). */
  duration: z.number().nonnegative().optional(),
  error_message: z.string().optional(),
});
const step = z.looseObject({ name: z.string().optional(), keyword: z.string().optional(), result: result.optional() });
const hook = z.looseObject({ result: result.optional() });
const element = z.looseObject({
  name: z.string().optional(),
  type: z.string().optional(),
  steps: z.array(step).optional(),
  before: z.array(hook).optional(),
  after: z.array(hook).optional(),
});
const feature = z.looseObject({ name: z.string().optional(), uri: z.string().optional(), elements: z.array(element).optional() });
const cucumberJson = z.array(feature);

type Element = z.output<typeof element>;

const ERRORS = new Set(['undefined', 'pending', 'ambiguous']);

function caseOf(scenario: Element, background: Element | undefined, featureName: string | undefined): TestCaseResult {
  const results = [background?.steps, scenario.before, scenario.steps, scenario.after]
    .flatMap((list) => (list ?? []) as readonly { name?: string; keyword?: string; result?: z.output<typeof result> }[])
    .map((s) => ({ label: `${s.keyword ?? ''}${s.name ?? ''}`.trim(), r: s.result }))
    .filter((s) => s.r !== undefined);
  const failed = results.find((s) => s.r?.status === 'failed');
  const broken = results.find((s) => ERRORS.has(s.r?.status ?? ''));
  const allSkipped = results.length > 0 && results.every((s) => s.r?.status === 'skipped');
  const status = failed ? 'Failed' : broken ? 'Error' : allSkipped || results.some((s) => s.r?.status === 'skipped') ? 'Skipped' : 'Succeeded';
  const message = failed ? (failed.r?.error_message?.split('\n')[0] ?? `step failed: ${failed.label}`) : broken ? `step ${broken.r?.status ?? ''}: ${broken.label}` : undefined;
  const ns = results.reduce((sum, s) => sum + (s.r?.duration ?? 0), 0);
  return { name: scenario.name ?? '', className: featureName, status, durationMs: Math.round(ns / 1e6), message };
}

/**
 * Reads a Cucumber JSON report (`--format json` of cucumber-js, cucumber-ruby and cucumber-jvm):
 * features with `elements`; each scenario is one test, its status from its steps and hooks
 * (any `failed` → Failed; `undefined`, `pending` or `ambiguous` → Error; otherwise a `skipped`
 * step → Skipped). A `background` element is not a test: its steps count for the scenario after
 * it. Durations are nanoseconds. Throws {@link ReportFormatError} for text that is not JSON or not
 * shaped like a Cucumber report, naming the path of the first wrong value.
 */
export function parseCucumberJson(json: string): TestReportCounts {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new ReportFormatError(`not JSON: ${(err as Error).message}`);
  }
  const parsed = cucumberJson.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue === undefined ? '' : formatPath(issue.path);
    throw new ReportFormatError(`not a Cucumber JSON report: ${at === '' ? 'expected a list of features' : `${at}: ${issue?.message ?? ''}`}`);
  }
  const cases: TestCaseResult[] = [];
  for (const f of parsed.data) {
    let background: Element | undefined;
    for (const el of f.elements ?? []) {
      if (el.type === 'background') {
        background = el;
        continue;
      }
      cases.push(caseOf(el, background, f.name));
      background = undefined;
    }
  }
  const count = (s: TestCaseResult['status']) => cases.filter((c) => c.status === s).length;
  return { tests: cases.length, passed: count('Succeeded'), failures: count('Failed'), errors: count('Error'), skipped: count('Skipped'), durationMs: cases.reduce((s, c) => s + c.durationMs, 0), cases };
}
