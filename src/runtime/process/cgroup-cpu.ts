import fs from 'node:fs';

/** Where a process's cgroups are, from `/proc/<pid>/cgroup`. */
export interface ProcCgroups {
  /** cgroup v1: controller (`cpuacct`, `memory`, …) → path in that hierarchy. */
  readonly v1: ReadonlyMap<string, string>;
  /** cgroup v2 (the `0::` line): path in the unified hierarchy, when there is one. */
  readonly v2: string | undefined;
}

/** Parses the text of `/proc/<pid>/cgroup` (`id:controllers:path` per line). */
export function parseProcCgroup(text: string): ProcCgroups {
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const p = line.slice(second + 1).trim();
    if (controllers === '') v2 = p;
    else for (const c of controllers.split(',')) v1.set(c, p);
  }
  return { v1, v2 };
}

/**
 * The files that hold a cgroup's CPU time, in the order they are tried: cgroup v1's
 * `cpuacct.usage` (nanoseconds; in its own hierarchy or joined with `cpu`), then cgroup v2's
 * `cpu.stat` (`usage_usec`, on a pure v2 host at the root mount, on a hybrid one under `unified`).
 */
export function cgroupCpuFiles(groups: ProcCgroups, root = '/sys/fs/cgroup'): { file: string; kind: 'cpuacct.usage' | 'cpu.stat' }[] {
  const out: { file: string; kind: 'cpuacct.usage' | 'cpu.stat' }[] = [];
  const acct = groups.v1.get('cpuacct');
  if (acct !== undefined) {
    for (const dir of ['cpuacct', 'cpu,cpuacct', 'cpuacct,cpu']) out.push({ file: `${root}/${dir}${acct}/cpuacct.usage`, kind: 'cpuacct.usage' });
  }
  if (groups.v2 !== undefined && groups.v2 !== '/') {
    out.push({ file: `${root}${groups.v2}/cpu.stat`, kind: 'cpu.stat' });
    out.push({ file: `${root}/unified${groups.v2}/cpu.stat`, kind: 'cpu.stat' });
  }
  return out;
}

/** CPU time in ms from one of {@link cgroupCpuFiles}' files; undefined when it says nothing readable. */
export function parseCgroupCpuMs(kind: 'cpuacct.usage' | 'cpu.stat', text: string): number | undefined {
  if (kind === 'cpuacct.usage') {
    const ns = Number(text.trim());
    return Number.isFinite(ns) && text.trim() !== '' ? ns / 1e6 : undefined;
  }
  const m = /^usage_usec (\d+)$/m.exec(text);
  return m ? Number(m[1]) / 1000 : undefined;
}

/**
 * The CPU time used so far by the cgroup that process `pid` is in (a container's, for its init
 * process), in ms; undefined when the process is gone or its cgroup's accounting cannot be read.
 */
export function readCgroupCpuMs(pid: number, root = '/sys/fs/cgroup'): number | undefined {
  let groups: ProcCgroups;
  try {
    groups = parseProcCgroup(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
  } catch {
    return undefined;
  }
  for (const { file, kind } of cgroupCpuFiles(groups, root)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const ms = parseCgroupCpuMs(kind, text);
    if (ms !== undefined) return ms;
  }
  return undefined;
}
