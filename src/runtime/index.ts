// The supervisor: runs task sets as local process groups, health-checks, heals, scales and re-adopts them.
export {
  ACTIVE_TASK_STATES,
  RUNNING_TASK_STATES,
  LIVE_TASK_STATES,
  TERMINAL_TASK_STATES,
  taskSubject,
  serviceSubject,
  type TaskState,
  type TaskSetSpec,
  type ContainerSpec,
  type ContainerEngineSpec,
  type UnappliedLimits,
  type HealthCheckSpec,
  type ScalingSpec,
  type Task,
  type TaskLogLine,
  type TaskSetKey,
  type TaskFilter,
} from './model.js';
export { parseTaskSetSpec, taskSetSpecSchema } from './task-set-spec.js';
export type { TaskIdentity } from './process/task-env.js';
export { containerName, containerLabels, CONTAINER_LABELS } from './process/container-task.js';
export type { StartEnv } from './supervisor/context.js';
export type { TaskSecrets, SecretRedaction } from './supervisor/task-secrets.js';
export { runtimeMigrations } from './store/migrations.js';
export { type LogTailQuery } from './store/log-line-store.js';
export { DEFAULT_BACKOFF, backoffDelayMs, type BackoffPolicy } from './backoff.js';
export {
  createSupervisor,
  Supervisor,
  type SupervisorOptions,
  type TaskSetStatus,
  type CloseOptions,
  type AdoptionSummary,
} from './supervisor/supervisor.js';
export { decideScaling, type ScalingInput, type ScalingDecision } from './scaling/decide-scaling.js';
export { CpuSampler, type GroupReader } from './scaling/cpu-sampler.js';
export { ContainerCpuReader, inspectContainerPid, type ContainerPidLookup } from './process/container-cpu.js';
export { readCgroupCpuMs, parseProcCgroup, cgroupCpuFiles, parseCgroupCpuMs, type ProcCgroups } from './process/cgroup-cpu.js';
export {
  createAutoscaler,
  Autoscaler,
  type AutoscalerOptions,
  type ScalableTaskSets,
  type RequestCountSource,
  type TimeWindow,
} from './scaling/autoscaler.js';
export {
  startInDependencyOrder,
  dependencyTimeoutMs,
  type StartUnit,
  type StartInDependencyOrderOptions,
  type StartOrderResult,
} from './start-order.js';
export { parseProcStat, readProcStat, readProcessGroup, CLOCK_TICKS_PER_SECOND, type ProcStat } from './process/proc-stat.js';
