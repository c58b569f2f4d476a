import fs from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on every Linux ABI). */
export const CLOCK_TICKS_PER_SECOND = 100;

/** The fields of `/proc/<pid>/stat` the supervisor uses. */
export interface ProcStat {
  readonly pid: number;
  /** One letter: R, S, D, Z (zombie), T, ... */
  readonly state: string;
  /** Process group id. */
  readonly pgrp: number;
  /** CPU time in user and kernel mode, in clock ticks. */
  readonly utimeTicks: number;
  readonly stimeTicks: number;
  /** Start time in clock ticks after boot; with the pid it names one process for good. */
  readonly startTicks: number;
}

/** Parses the text of `/proc/<pid>/stat`; undefined when it is malformed. */
export function parseProcStat(text: string): ProcStat | undefined {
  // The command name (field 2) is in parentheses and may itself contain spaces and parentheses.
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const f = text.slice(close + 2).trim().split(/\s+/);
  // f[0] is field 3 (state), so field n is f[n - 3].
  const num = (n: number) => Number(f[n - 3]);
  const stat = { pid, state: f[0] ?? '', pgrp: num(5), utimeTicks: num(14), stimeTicks: num(15), startTicks: num(22) };
  if (![stat.pid, stat.pgrp, stat.utimeTicks, stat.stimeTicks, stat.startTicks].every(Number.isFinite)) return undefined;
  return stat;
}

/** Reads `/proc/<pid>/stat`; undefined when the process does not exist (or there is no /proc). */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether this system has a Linux-style /proc. */
export function hasProcFs(): boolean {
  return fs.existsSync('/proc/self/stat');
}

/** The stat of every live process of a process group. */
export function readProcessGroup(pgid: number): ProcStat[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcStat[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z') out.push(stat);
  }
  return out;
}
