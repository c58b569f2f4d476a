import { sumCoverage, type CoverageReportSummaryDto, type PipelineActionDto, type PipelineRunDto, type PipelineRunSummaryDto, type PipelineStageDto, type TestReportSummaryDto } from '../../shared/index.js';
import type { ActionRecord, RunRecord, StageRecord } from './model.js';

const duration = (start: number | undefined, end: number | undefined, nowMs: number) => (start === undefined ? undefined : (end ?? nowMs) - start);

function testCounts(actions: readonly ActionRecord[]): PipelineRunDto['tests'] {
  const t = { total: 0, failures: 0, errors: 0, skipped: 0 };
  for (const a of actions) {
    for (const r of (a.output.reports as TestReportSummaryDto[] | undefined) ?? []) {
      t.total += r.tests;
      t.failures += r.failures;
      t.errors += r.errors;
      t.skipped += r.skipped;
    }
  }
  return t;
}

/** Lines and branches summed over the coverage reports of the run's build actions (their latest attempts). */
function coverageTotals(actions: readonly ActionRecord[]): PipelineRunDto['coverage'] {
  return sumCoverage(actions.flatMap((a) => (a.output.coverage as CoverageReportSummaryDto[] | undefined) ?? []));
}

function actionDto(a: ActionRecord, nowMs: number): PipelineActionDto {
  return {
    id: a.id,
    name: a.name,
    type: a.type,
    runOrder: a.runOrder,
    status: a.status,
    attempt: a.attempt,
    startedAtMs: a.startedAtMs,
    endedAtMs: a.endedAtMs,
    durationMs: duration(a.startedAtMs, a.endedAtMs, nowMs),
    reason: a.reason,
    configuration: a.configuration,
    output: a.decision && a.output.approval === undefined ? { ...a.output, approval: a.decision.result, by: a.decision.by } : a.output,
  };
}

/** A run with its stages and actions, as the API returns it. */
export function toRunDto(run: RunRecord, stages: readonly StageRecord[], actions: readonly ActionRecord[], nowMs: number): PipelineRunDto {
  const stageDtos: PipelineStageDto[] = stages.map((s) => ({
    name: s.name,
    status: s.status,
    attempt: s.attempt,
    startedAtMs: s.startedAtMs,
    endedAtMs: s.endedAtMs,
    durationMs: duration(s.startedAtMs, s.endedAtMs, nowMs),
    reason: s.reason,
    actions: actions.filter((a) => a.stageIndex === s.index).map((a) => actionDto(a, nowMs)),
  }));
  return { ...summaryFields(run, actions, nowMs), stages: stageDtos };
}

/** A run for lists: stage names and states only. */
export function toRunSummaryDto(run: RunRecord, stages: readonly StageRecord[], actions: readonly ActionRecord[], nowMs: number): PipelineRunSummaryDto {
  return { ...summaryFields(run, actions, nowMs), stages: stages.map((s) => ({ name: s.name, status: s.status })) };
}

function summaryFields(run: RunRecord, actions: readonly ActionRecord[], nowMs: number): Omit<PipelineRunDto, 'stages'> {
  const coverage = coverageTotals(actions);
  return {
    id: run.id,
    status: run.status,
    trigger: run.trigger,
    ref: run.ref,
    branch: run.branch,
    commitSha: run.commitSha,
    commitMessage: run.commitMessage,
    createdAtMs: run.createdAtMs,
    startedAtMs: run.startedAtMs,
    endedAtMs: run.endedAtMs,
    durationMs: duration(run.startedAtMs, run.endedAtMs, nowMs),
    reason: run.reason,
    artifact: run.artifact,
    images: { ...run.images },
    tests: testCounts(actions),
    ...(coverage === undefined ? {} : { coverage }),
  };
}
