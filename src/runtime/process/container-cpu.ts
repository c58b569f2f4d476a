import { exec } from '../../core/index.js';
import type { ContainerSpec } from '../model.js';
import { readCgroupCpuMs } from './cgroup-cpu.js';
import { containerName } from './container-task.js';

/** Finds the host pid of a task container's init process; injectable for tests. */
export type ContainerPidLookup = (spec: ContainerSpec, taskId: string) => Promise<number | undefined>;

/** Asks the engine (`inspect --format {{.State.Pid}}`) for the host pid of a task's container; undefined when it is not running. */
export async function inspectContainerPid(spec: ContainerSpec, taskId: string): Promise<number | undefined> {
  const r = await exec(spec.engine.command, [...spec.engine.globalArgs, 'inspect', '--format', '{{.State.Pid}}', containerName(taskId)], { timeoutMs: 15_000 });
  const pid = Number(r.stdout.trim());
  return r.code === 0 && Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * The CPU time a container task has used, read from its container's cgroup. The task's own
 * process is the engine's attached client, which uses next to no CPU whatever the container
 * does, so CPU target tracking reads this for container tasks instead. The container's pid is
 * asked of the engine once per task and kept while its cgroup can be read.
 */
export class ContainerCpuReader {
  readonly #pids = new Map<string, number>();
  readonly #lookup: ContainerPidLookup;
  readonly #root: string;

  constructor(lookup: ContainerPidLookup = inspectContainerPid, cgroupRoot = '/sys/fs/cgroup') {
    this.#lookup = lookup;
    this.#root = cgroupRoot;
  }

  /** CPU time used so far by the task's container in ms; undefined when it is not running or its cgroup cannot be read. */
  async cpuMs(spec: ContainerSpec, taskId: string): Promise<number | undefined> {
    const known = this.#pids.get(taskId);
    if (known !== undefined) {
      const ms = readCgroupCpuMs(known, this.#root);
      if (ms !== undefined) return ms;
      this.#pids.delete(taskId);
    }
    const pid = await this.#lookup(spec, taskId);
    if (pid === undefined) return undefined;
    const ms = readCgroupCpuMs(pid, this.#root);
    if (ms !== undefined) this.#pids.set(taskId, pid);
    return ms;
  }

  /** Forgets tasks not in `keep`. */
  retain(keep: ReadonlySet<string>): void {
    for (const id of this.#pids.keys()) if (!keep.has(id)) this.#pids.delete(id);
  }
}
