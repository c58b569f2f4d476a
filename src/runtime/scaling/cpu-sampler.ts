import { CLOCK_TICKS_PER_SECOND, readProcessGroup, type ProcStat } from '../process/proc-stat.js';

interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** Reads the processes of a group; injectable for tests. */
export type GroupReader = (pgid: number) => readonly ProcStat[];

/**
 * Measures CPU use as the growth of a CPU-time counter over wall time, in percent of one core:
 * of process groups from `/proc/<pid>/stat` (user+system time of the group's processes), or of
 * any other counter given to {@link CpuSampler.sampleCounter} (a container's cgroup). The first
 * sample of a group or counter only sets the baseline.
 */
export class CpuSampler {
  readonly #previous = new Map<number | string, Sample>();
  readonly #read: GroupReader;

  constructor(read: GroupReader = readProcessGroup) {
    this.#read = read;
  }

  /** CPU percent of one core since the previous sample of this group; undefined on the first sample or when the group is gone. */
  sample(pgid: number, wallMs: number): number | undefined {
    const procs = this.#read(pgid);
    if (procs.length === 0) return this.#measure(pgid, undefined, wallMs);
    const ticks = procs.reduce((sum, p) => sum + p.utimeTicks + p.stimeTicks, 0);
    return this.#measure(pgid, (ticks * 1000) / CLOCK_TICKS_PER_SECOND, wallMs);
  }

  /**
   * CPU percent of one core since the previous sample of the counter named `key`, given its
   * reading now (`cpuMs`, CPU time used so far; undefined when it could not be read, which drops
   * the baseline); undefined on the first sample.
   */
  sampleCounter(key: string, cpuMs: number | undefined, wallMs: number): number | undefined {
    return this.#measure(key, cpuMs, wallMs);
  }

  #measure(key: number | string, cpuMs: number | undefined, wallMs: number): number | undefined {
    if (cpuMs === undefined) {
      this.#previous.delete(key);
      return undefined;
    }
    const now: Sample = { cpuMs, wallMs };
    const prev = this.#previous.get(key);
    this.#previous.set(key, now);
    if (!prev || now.wallMs <= prev.wallMs) return undefined;
    // A process that left the group takes its time with it; never report negative use.
    return Math.max(0, ((now.cpuMs - prev.cpuMs) / (now.wallMs - prev.wallMs)) * 100);
  }

  /** Forgets groups and counters not in `keep` (tasks that ended). */
  retain(keep: ReadonlySet<number | string>): void {
    for (const key of this.#previous.keys()) if (!keep.has(key)) this.#previous.delete(key);
  }
}
