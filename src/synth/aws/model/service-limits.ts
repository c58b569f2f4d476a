import type { ResolvedHealthCheck, ResolvedService } from '../../../shared/index.js';

/** A health check in whole seconds within the limits of an AWS service. */
export interface HealthCheckSeconds {
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly differences: readonly string[];
}

interface Limits {
  readonly interval: readonly [number, number];
  readonly timeout: readonly [number, number];
  readonly threshold: readonly [number, number];
  readonly what: string;
}

/** ALB target group health checks: interval 5–300 s, timeout 2–120 s (below the interval), thresholds 2–10. */
export const ALB_HEALTH_LIMITS: Limits = { interval: [5, 300], timeout: [2, 120], threshold: [2, 10], what: 'ALB health checks' };
/** App Runner health checks: interval and timeout 1–20 s, thresholds 1–20. */
export const APP_RUNNER_HEALTH_LIMITS: Limits = { interval: [1, 20], timeout: [1, 20], threshold: [1, 20], what: 'App Runner health checks' };

/** Fits a model health check into an AWS service's limits, naming every value that changed. */
export function fitHealthCheck(health: ResolvedHealthCheck, limits: Limits): HealthCheckSeconds {
  const differences: string[] = [];
  const fit = (value: number, [lo, hi]: readonly [number, number], field: string, unit: string): number => {
    const fitted = Math.min(hi, Math.max(lo, value));
    if (fitted !== value) differences.push(`${limits.what} allow ${field} ${lo}–${hi}${unit}: ${value}${unit} becomes ${fitted}${unit}`);
    return fitted;
  };
  const intervalSeconds = fit(Math.ceil(health.intervalMs / 1000), limits.interval, 'interval', 's');
  let timeoutSeconds = fit(Math.ceil(health.timeoutMs / 1000), limits.timeout, 'timeout', 's');
  if (limits === ALB_HEALTH_LIMITS && timeoutSeconds >= intervalSeconds) timeoutSeconds = Math.max(limits.timeout[0], intervalSeconds - 1);
  return {
    intervalSeconds,
    timeoutSeconds,
    healthyThreshold: fit(health.healthyThreshold, limits.threshold, 'healthyThreshold', ''),
    unhealthyThreshold: fit(health.unhealthyThreshold, limits.threshold, 'unhealthyThreshold', ''),
    differences,
  };
}

/** App Runner's instance sizes: vCPU and the memory sizes (GB) each allows. */
const APP_RUNNER_SIZES: readonly { readonly cpuUnits: number; readonly cpu: string; readonly memoryGb: readonly number[] }[] = [
  { cpuUnits: 256, cpu: '0.25 vCPU', memoryGb: [0.5, 1] },
  { cpuUnits: 512, cpu: '0.5 vCPU', memoryGb: [1] },
  { cpuUnits: 1024, cpu: '1 vCPU', memoryGb: [2, 3, 4] },
  { cpuUnits: 2048, cpu: '2 vCPU', memoryGb: [4, 6] },
  { cpuUnits: 4096, cpu: '4 vCPU', memoryGb: [8, 10, 12] },
];

/** An App Runner instance configuration. */
export interface AppRunnerSize {
  /** e.g. `1 vCPU`. */
  readonly cpu: string;
  /** e.g. `2 GB`. */
  readonly memory: string;
  readonly differences: readonly string[];
}

/** The smallest App Runner size with at least the service's CPU and memory (the largest when none is). */
export function appRunnerSize(service: Pick<ResolvedService, 'cpuUnits' | 'memoryMiB'>): AppRunnerSize {
  const wantGb = service.memoryMiB / 1024;
  for (const size of APP_RUNNER_SIZES) {
    if (size.cpuUnits < service.cpuUnits) continue;
    const memoryGb = size.memoryGb.find((gb) => gb >= wantGb);
    if (memoryGb === undefined) continue;
    const exact = size.cpuUnits === service.cpuUnits && memoryGb === wantGb;
    return { cpu: size.cpu, memory: `${memoryGb} GB`, differences: exact ? [] : [`App Runner sizes are fixed: cpu ${service.cpuUnits} / memory ${service.memoryMiB} MiB becomes ${size.cpu} / ${memoryGb} GB`] };
  }
  return {
    cpu: '4 vCPU',
    memory: '12 GB',
    differences: [`App Runner instances have at most 4 vCPU / 12 GB: cpu ${service.cpuUnits} / memory ${service.memoryMiB} MiB becomes 4 vCPU / 12 GB`],
  };
}
