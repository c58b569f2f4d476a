import { isAlive } from '../../core/index.js';
import { hasProcFs, readProcessGroup, readProcStat } from './proc-stat.js';

/**
 * Whether the process recorded for a task is still that task: alive, not a
 * zombie, and (where /proc exists) started at the recorded time, so a pid the
 * kernel has since given to another program is not mistaken for the task.
 */
export function isTaskProcessAlive(pid: number, startTicks: number | null): boolean {
  if (!hasProcFs()) return isAlive(pid);
  const stat = readProcStat(pid);
  if (!stat || stat.state === 'Z') return false;
  return startTicks === null || stat.startTicks === startTicks;
}

/** Whether any process of the group is still alive (zombies aside where /proc tells them apart). */
export function isProcessGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!hasProcFs()) return true;
  const leader = readProcStat(pgid);
  if (leader && leader.pgrp === pgid && leader.state !== 'Z') return true;
  // kill(-pgid, 0) also succeeds for zombies nobody has reaped yet.
  return readProcessGroup(pgid).length > 0;
}
