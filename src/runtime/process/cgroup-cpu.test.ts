import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cgroupCpuFiles, parseCgroupCpuMs, parseProcCgroup, readCgroupCpuMs } from './cgroup-cpu.js';

const V1 = `9:name=systemd:/libpod_parent/libpod-5eea
4:memory:/libpod_parent/libpod-5eea
2:cpuacct:/libpod_parent/libpod-5eea
1:cpu:/libpod_parent/libpod-5eea
0::/libpod_parent/libpod-5eea
`;

describe('parseProcCgroup and cgroupCpuFiles', () => {
  it.each([
    // GIVEN /proc/<pid>/cgroup of a hybrid host (v1 controllers in their own mounts, a v2 line) THEN cpuacct.usage first, v2 after
    ['hybrid, cpuacct on its own', V1, ['/r/cpuacct/libpod_parent/libpod-5eea/cpuacct.usage', '/r/cpu,cpuacct/libpod_parent/libpod-5eea/cpuacct.usage', '/r/cpuacct,cpu/libpod_parent/libpod-5eea/cpuacct.usage', '/r/libpod_parent/libpod-5eea/cpu.stat', '/r/unified/libpod_parent/libpod-5eea/cpu.stat']],
    // GIVEN a pure cgroup v2 host THEN only cpu.stat
    ['pure v2', '0::/machine.slice/libpod-abc.scope/container\n', ['/r/machine.slice/libpod-abc.scope/container/cpu.stat', '/r/unified/machine.slice/libpod-abc.scope/container/cpu.stat']],
    // GIVEN a process in the root cgroup THEN nothing to read (the root has no cpu.stat of its own)
    ['root cgroup', '0::/\n', []],
  ])('%s', (_name, text, files) => {
    expect(cgroupCpuFiles(parseProcCgroup(text), '/r').map((f) => f.file)).toEqual(files);
  });

  it('keeps each controller of a joined v1 line', () => {
    const g = parseProcCgroup('3:cpu,cpuacct:/docker/abc\n');
    expect(g.v1.get('cpu')).toBe('/docker/abc');
    expect(g.v1.get('cpuacct')).toBe('/docker/abc');
    expect(g.v2).toBeUndefined();
  });
});

describe('parseCgroupCpuMs', () => {
  it.each([
    ['cpuacct.usage', '2500000000\n', 2500],
    ['cpu.stat', 'usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n', 1500],
    ['cpu.stat', 'nr_periods 0\n', undefined],
    ['cpuacct.usage', '\n', undefined],
  ] as const)('%s %j → %s ms', (kind, text, ms) => {
    expect(parseCgroupCpuMs(kind, text)).toBe(ms);
  });
});

describe('readCgroupCpuMs', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reads the counter of the cgroup the process is in, under the given root', () => {
    // GIVEN a cgroup tree mirroring this process's own cgroup, with a v1 counter
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cgroup-'));
    dirs.push(root);
    const groups = parseProcCgroup(fs.readFileSync('/proc/self/cgroup', 'utf8'));
    const file = cgroupCpuFiles({ v1: new Map([['cpuacct', groups.v1.get('cpuacct') ?? groups.v2 ?? '/x']]), v2: undefined }, root)[0]!.file;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '7000000\n');
    // WHEN read THEN ns become ms; a pid that does not exist reads nothing
    if (groups.v1.has('cpuacct')) expect(readCgroupCpuMs(process.pid, root)).toBe(7);
    expect(readCgroupCpuMs(2 ** 22 + 1, root)).toBeUndefined();
  });
});
