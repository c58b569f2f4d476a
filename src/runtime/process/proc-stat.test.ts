import { describe, expect, it } from 'vitest';
import { parseProcStat, readProcStat, readProcessGroup } from './proc-stat.js';

describe('parseProcStat', () => {
  it.each([
    // GIVEN a stat line WHEN parsed THEN the fields by position after the command name
    ['1234 (node) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 30 0 0 20 0 11 0 98765 0 0', { pid: 1234, state: 'S', pgrp: 1234, utimeTicks: 250, stimeTicks: 30, startTicks: 98765 }],
    ['42 (a (weird) name) Z 1 40 40 0 -1 0 0 0 0 0 7 8 0 0 20 0 1 0 555 0 0', { pid: 42, state: 'Z', pgrp: 40, utimeTicks: 7, stimeTicks: 8, startTicks: 555 }],
  ])('%s', (line, expected) => {
    expect(parseProcStat(line)).toEqual(expected);
  });

  it('refuses malformed text', () => {
    expect(parseProcStat('garbage')).toBeUndefined();
    expect(parseProcStat('12 (x) S 1')).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('reads this process and its group from /proc', () => {
    const me = readProcStat(process.pid);
    expect(me?.pid).toBe(process.pid);
    expect(me?.state).not.toBe('Z');
    expect(readProcessGroup(me!.pgrp).map((p) => p.pgrp)).toContain(me!.pgrp);
    expect(readProcStat(2 ** 22 + 1)).toBeUndefined();
  });
});
