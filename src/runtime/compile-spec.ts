import { InputError, type Issue } from '../shared/index.js';
import type { CompiledScaling, CompiledTaskSetSpec, ScalingSpec, TaskSetSpec } from './model.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Validates a task set spec and fills in its defaults. Throws an `InputError`
 * (`SLW_ERR_RUNTIME_SPEC_INVALID`) listing every problem with its path.
 */
export function compileTaskSetSpec(spec: TaskSetSpec): CompiledTaskSetSpec {
  const issues: Issue[] = [];
  const name = (path: string, v: unknown) => {
    if (typeof v !== 'string' || !NAME.test(v)) issues.push({ path, message: `must match ${NAME} (got ${JSON.stringify(v)})` });
  };
  const int = (path: string, v: unknown, min: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) issues.push({ path, message: `must be an integer >= ${min} (got ${JSON.stringify(v)})` });
  };
  name('environment', spec.environment);
  name('service', spec.service);
  name('revision', spec.revision);
  if (typeof spec.command !== 'string' || spec.command.trim() === '') issues.push({ path: 'command', message: 'must be a non-empty shell command' });
  if (typeof spec.cwd !== 'string' || spec.cwd === '') issues.push({ path: 'cwd', message: 'must be a directory path' });
  int('desiredCount', spec.desiredCount, 0);
  const portEnv = spec.portEnv ?? 'PORT';
  if (!ENV_NAME.test(portEnv)) issues.push({ path: 'portEnv', message: `must be a variable name (got ${JSON.stringify(portEnv)})` });
  for (const [k, v] of Object.entries(spec.env ?? {})) {
    if (!ENV_NAME.test(k)) issues.push({ path: `env.${k}`, message: 'is not a valid variable name' });
    if (typeof v !== 'string') issues.push({ path: `env.${k}`, message: 'must be a string' });
  }
  const h = spec.health ?? ({} as TaskSetSpec['health']);
  if (typeof h.path !== 'string' || !h.path.startsWith('/')) issues.push({ path: 'health.path', message: `must start with "/" (got ${JSON.stringify(h.path)})` });
  const health = {
    path: h.path,
    intervalMs: h.intervalMs ?? 2000,
    timeoutMs: h.timeoutMs ?? 1000,
    healthyThreshold: h.healthyThreshold ?? 1,
    unhealthyThreshold: h.unhealthyThreshold ?? 3,
    gracePeriodMs: h.gracePeriodMs ?? 10_000,
  };
  int('health.intervalMs', health.intervalMs, 10);
  int('health.timeoutMs', health.timeoutMs, 1);
  int('health.healthyThreshold', health.healthyThreshold, 1);
  int('health.unhealthyThreshold', health.unhealthyThreshold, 1);
  int('health.gracePeriodMs', health.gracePeriodMs, 0);
  const drainMs = spec.drainMs ?? 5000;
  const stopTimeoutMs = spec.stopTimeoutMs ?? 10_000;
  int('drainMs', drainMs, 0);
  int('stopTimeoutMs', stopTimeoutMs, 0);
  const scaling = spec.scaling === undefined ? undefined : compileScaling(spec.scaling, issues);
  if (issues.length > 0) {
    throw new InputError('SLW_ERR_RUNTIME_SPEC_INVALID', `task set spec is invalid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
  }
  return Object.freeze({
    environment: spec.environment,
    service: spec.service,
    revision: spec.revision,
    command: spec.command,
    cwd: spec.cwd,
    env: Object.freeze({ ...(spec.env ?? {}) }),
    desiredCount: spec.desiredCount,
    portEnv,
    health: Object.freeze(health),
    drainMs,
    stopTimeoutMs,
    ...(scaling ? { scaling } : {}),
  });
}

function compileScaling(s: ScalingSpec, issues: Issue[]): CompiledScaling {
  const out: CompiledScaling = Object.freeze({
    minCount: s.minCount,
    maxCount: s.maxCount,
    scaleOutCooldownMs: s.scaleOutCooldownMs ?? 60_000,
    scaleInCooldownMs: s.scaleInCooldownMs ?? 300_000,
    ...(s.targetCpuPercent !== undefined ? { targetCpuPercent: s.targetCpuPercent } : {}),
    ...(s.targetRequestsPerTask !== undefined ? { targetRequestsPerTask: s.targetRequestsPerTask } : {}),
  });
  const isInt = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;
  if (!isInt(out.minCount, 0)) issues.push({ path: 'scaling.minCount', message: 'must be an integer >= 0' });
  if (!isInt(out.maxCount, 1) || out.maxCount < out.minCount) issues.push({ path: 'scaling.maxCount', message: 'must be an integer >= 1 and >= minCount' });
  if (!isInt(out.scaleOutCooldownMs, 0)) issues.push({ path: 'scaling.scaleOutCooldownMs', message: 'must be an integer >= 0' });
  if (!isInt(out.scaleInCooldownMs, 0)) issues.push({ path: 'scaling.scaleInCooldownMs', message: 'must be an integer >= 0' });
  const positive = (v: number | undefined) => v === undefined || (Number.isFinite(v) && v > 0);
  if (!positive(out.targetCpuPercent)) issues.push({ path: 'scaling.targetCpuPercent', message: 'must be a number > 0' });
  if (!positive(out.targetRequestsPerTask)) issues.push({ path: 'scaling.targetRequestsPerTask', message: 'must be a number > 0' });
  if (out.targetCpuPercent === undefined && out.targetRequestsPerTask === undefined) {
    issues.push({ path: 'scaling', message: 'needs targetCpuPercent or targetRequestsPerTask' });
  }
  return out;
}
