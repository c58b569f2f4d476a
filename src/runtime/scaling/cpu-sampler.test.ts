import { describe, expect, it } from 'vitest';
import type { ProcStat } from '../process/proc-stat.js';
import { CpuSampler } from './cpu-sampler.js';

const proc = (pid: number, utime: number, stime: number): ProcStat => ({ pid, state: 'S', pgrp: 7, utimeTicks: utime, stimeTicks: stime, startTicks: 1 });

describe('CpuSampler', () => {
  it('turns utime+stime deltas of the whole group over wall time into percent of one core', () => {
    let procs: ProcStat[] = [proc(7, 100, 50), proc(8, 10, 0)];
    const sampler = new CpuSampler(() => procs);
    // GIVEN a baseline WHEN 1.5 s of CPU is used over 2 s of wall time THEN 75%
    expect(sampler.sample(7, 10_000)).toBeUndefined();
    procs = [proc(7, 200, 100), proc(8, 10, 0)];
    expect(sampler.sample(7, 12_000)).toBe(75);
    // WHEN a child exits (its ticks vanish) THEN the use is never negative
    procs = [proc(7, 200, 100)];
    expect(sampler.sample(7, 13_000)).toBe(0);
    // WHEN the group is gone THEN there is no measurement, and the next one starts a new baseline
    procs = [];
    expect(sampler.sample(7, 14_000)).toBeUndefined();
    procs = [proc(7, 500, 0)];
    expect(sampler.sample(7, 15_000)).toBeUndefined();
  });
});
