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

describe('CpuSampler.sampleCounter', () => {
  it('turns the growth of a cumulative counter into percent of one core, and an unreadable reading into a new baseline', () => {
    const sampler = new CpuSampler(() => []);
    // GIVEN a baseline of 1000 ms of CPU WHEN 500 ms more are used over 1 s THEN 50%
    expect(sampler.sampleCounter('web-1', 1000, 10_000)).toBeUndefined();
    expect(sampler.sampleCounter('web-1', 1500, 11_000)).toBe(50);
    // WHEN the counter cannot be read THEN nothing, and the next reading only sets a baseline
    expect(sampler.sampleCounter('web-1', undefined, 12_000)).toBeUndefined();
    expect(sampler.sampleCounter('web-1', 9000, 13_000)).toBeUndefined();
    expect(sampler.sampleCounter('web-1', 10_000, 14_000)).toBe(100);
    // WHEN the task is no longer kept THEN its baseline is forgotten
    sampler.retain(new Set());
    expect(sampler.sampleCounter('web-1', 11_000, 15_000)).toBeUndefined();
  });
});
