import { readLogFile } from '../logs/read-log-file.js';
import type { TaskLogLine } from '../model.js';
import type { TaskRecord } from '../store/task-store.js';
import type { SupervisorContext } from './context.js';

const MAX_READ_BYTES = 1 << 20;

/**
 * Reads what a task wrote to its log files since the stored offsets, stores
 * the lines and the new offsets in one transaction, then hands each line to
 * `onLogLine`. With `final` (the task has exited) an unfinished last line is
 * flushed too. Returns the number of lines read.
 */
export function tailTaskLogs(ctx: SupervisorContext, task: TaskRecord, final: boolean): number {
  const lines: TaskLogLine[] = [];
  const offsets: { stdoutOffset?: number; stderrOffset?: number } = {};
  for (const stream of ['stdout', 'stderr'] as const) {
    const file = stream === 'stdout' ? task.stdoutPath : task.stderrPath;
    let offset = stream === 'stdout' ? task.stdoutOffset : task.stderrOffset;
    // Drain what is there now, a megabyte at a time, so a chatty task cannot fall behind for good.
    for (let round = 0; round < 16; round++) {
      const read = readLogFile(file, offset, { maxLineBytes: ctx.maxLineBytes, maxReadBytes: MAX_READ_BYTES, final });
      const timeMs = ctx.clock.now();
      for (const line of read.lines) {
        lines.push({ taskId: task.id, environment: task.environment, service: task.service, revision: task.revision, stream, line, timeMs });
      }
      const moved = read.nextOffset !== offset;
      offset = read.nextOffset;
      if (!moved || read.lines.length === 0) break;
    }
    if (offset !== (stream === 'stdout' ? task.stdoutOffset : task.stderrOffset)) offsets[`${stream}Offset`] = offset;
  }
  if (lines.length === 0 && Object.keys(offsets).length === 0) return 0;
  ctx.db.transaction(() => {
    if (lines.length > 0) ctx.logLines.append(lines, ctx.maxLogLinesPerTask);
    ctx.tasks.update(task.id, offsets, ctx.clock.now());
  })();
  if (ctx.onLogLine) {
    for (const line of lines) {
      try {
        ctx.onLogLine(line);
      } catch (err) {
        ctx.report('onLogLine', err, task.id);
        break;
      }
    }
  }
  return lines.length;
}
