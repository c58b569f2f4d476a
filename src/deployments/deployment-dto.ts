import { ACTIVE_DEPLOYMENT_STATES, describeDeploymentStep, type DeploymentDetailDto, type DeploymentDto, type DeploymentStepDto } from '../shared/index.js';
import type { Deployment } from './model.js';
import type { DeploymentDetail } from './service.js';

function stepsOf(d: Deployment): DeploymentStepDto[] {
  const active = ACTIVE_DEPLOYMENT_STATES.includes(d.state);
  return d.plan.map((step, index) => {
    const ran = d.stepHistory.find((h) => h.index === index);
    const status: DeploymentStepDto['status'] =
      ran?.completedAtMs !== undefined && ran.completedAtMs !== null ? 'Succeeded' : ran ? (active ? (d.state === 'Paused' ? 'Paused' : 'InProgress') : 'Stopped') : active ? 'Pending' : 'Skipped';
    return {
      index,
      type: step.type,
      description: describeDeploymentStep(step),
      weightPercent: step.type === 'traffic' ? step.newPercent : null,
      status,
      startedAtMs: ran?.startedAtMs ?? null,
      completedAtMs: ran?.completedAtMs ?? null,
    };
  });
}

/**
 * A deployment as the API returns it. Field by field: the tasks' environment variables, source
 * directories and the reconciler's bookkeeping (baselines, run counters) stay inside.
 */
export function toDeploymentDto(d: Deployment): DeploymentDto {
  return {
    id: d.id,
    kind: d.kind,
    service: d.service,
    environment: d.environment,
    fromRevision: d.fromRevision,
    toRevision: d.toRevision,
    image: d.image ?? null,
    secrets: { ...(d.secrets ?? {}) },
    fromSecrets: { ...(d.fromSecrets ?? {}) },
    strategy: d.strategy,
    desiredCount: d.desiredCount,
    state: d.state,
    stepIndex: d.stepIndex,
    plan: d.plan,
    stepHistory: d.stepHistory.map((h) => ({ index: h.index, type: h.type, startedAtMs: h.startedAtMs, completedAtMs: h.completedAtMs })),
    steps: stepsOf(d),
    weights: d.weights,
    pausedReason: d.pausedReason,
    pausedBy: d.pausedBy,
    message: d.message,
    rollback: d.rollback === null ? null : { reason: d.rollback.reason, trigger: d.rollback.trigger, requestedAtMs: d.rollback.requestedAtMs, finalState: d.rollback.finalState, rollbackMs: d.rollback.rollbackMs },
    analysisRuns: d.analysisRuns.map((r) => ({
      stepIndex: r.stepIndex,
      verdict: r.verdict,
      reasons: r.reasons,
      measurements: r.measurements === null ? null : { windowMs: r.measurements.windowMs, canary: r.measurements.canary, stable: r.measurements.stable ?? null },
      atMs: r.atMs,
    })),
    shadowRuns: (d.shadowRuns ?? []).map((r) => ({ stepIndex: r.stepIndex, verdict: r.verdict, reasons: r.reasons, differingPercent: r.differingPercent, report: r.report, atMs: r.atMs })),
    hooks: d.hooks.map((h) => ({ hook: h.hook, result: h.result, durationMs: h.durationMs, exitCode: h.exitCode, httpStatus: h.httpStatus, message: h.message, atMs: h.atMs })),
    approval: d.approval ? { status: d.approval.status, requestedAtMs: d.approval.requestedAtMs, decidedAtMs: d.approval.decidedAtMs, by: d.approval.by, comment: d.approval.comment } : null,
    rollbackOf: d.rollbackOf,
    createdAtMs: d.createdAtMs,
    updatedAtMs: d.updatedAtMs,
    finishedAtMs: d.finishedAtMs,
  };
}

/** `GET /api/v1/deployments/:id`: the deployment and the output kept with it. */
export function toDeploymentDetailDto(d: DeploymentDetail): DeploymentDetailDto {
  return { ...toDeploymentDto(d), logs: d.logs.map((l) => ({ seq: l.seq, timeMs: l.timeMs, source: l.source, text: l.text })) };
}
