import { CLOCK_TICKS_PER_SECOND, readProcessGroup, type ProcStat } from '../process/proc-stat.js';

interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** Reads the processes of a group; injectable for tests. */
export type GroupReader = (pgid: number) => readonly ProcStat[];

/**
 * Measures the CPU use of process groups from `/proc/<pid>/stat`: the
 * growth of user+system time of the group's processes over wall time, in
 * percent of one core. The first sample of a group only sets the baseline.
 */
export class CpuSampler {
  readonly #previous = new Map<number, Sample>();
  readonly #read: GroupReader;

  constructor(read: GroupReader = readProcessGroup) {
    this.#read = read;
  }

  /** CPU percent of one core since the previous sample of this group; undefined on the first sample or when the group is gone. */
  sample(pgid: number, wallMs: number): number | undefined {
    const procs = this.#read(pgid);
    if (procs.length === 0) {
      this.#previous.delete(pgid);
      return undefined;
    }
    const ticks = procs.reduce((sum, p) => sum + p.utimeTicks + p.stimeTicks, 0);
    const now: Sample = { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND, wallMs };
    const prev = this.#previous.get(pgid);
    this.#previous.set(pgid, now);
    if (!prev || now.wallMs <= prev.wallMs) return undefined;
    // A process that left the group takes its time with it; never report negative use.
    return Math.max(0, ((now.cpuMs - prev.cpuMs) / (now.wallMs - prev.wallMs)) * 100);
  }

  /** Forgets groups not in `keep` (tasks that ended). */
  retain(keep: ReadonlySet<number>): void {
    for (const pgid of this.#previous.keys()) if (!keep.has(pgid)) this.#previous.delete(pgid);
  }
}
