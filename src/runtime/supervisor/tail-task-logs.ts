import { readLogFile } from '../logs/read-log-file.js';
import { scrubLogFile } from '../logs/scrub-log-file.js';
import type { TaskLogLine } from '../model.js';
import type { TaskRecord } from '../store/task-store.js';
import type { SupervisorContext } from './context.js';
import type { SecretRedaction } from './task-secrets.js';

const MAX_READ_BYTES = 1 << 20;

/**
 * Reads what a task wrote to its log files since the stored offsets, stores
 * the lines and the new offsets in one transaction, then hands each line to
 * `onLogLine`. With `final` (the task has exited) an unfinished last line is
 * flushed too. Returns the number of lines read.
 */
export function tailTaskLogs(ctx: SupervisorContext, task: TaskRecord, final: boolean): number {
  const redaction = redactionOf(ctx, task);
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
        lines.push({ taskId: task.id, environment: task.environment, service: task.service, revision: task.revision, stream, line: redaction ? redaction.mask(line) : line, timeMs });
      }
      // The raw file is the task's own output: what it printed of its secrets is blanked there too, once read.
      if (redaction) scrubLogFile(file, read.nextOffset >= offset ? offset : 0, read.nextOffset, redaction.literals);
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

/**
 * The masker of a task's secrets, when its set pins any: built once per set and pinned versions
 * (and remembered by task id).
 * A secret that can no longer be read masks nothing (the task could not have been started with it).
 */
function redactionOf(ctx: SupervisorContext, task: TaskRecord): SecretRedaction | undefined {
  // Remembered by task too: a stopping task's set may be gone by its last read.
  const known = ctx.redactions.get(task.id);
  if (known) return known;
  const pins = ctx.sets.tryFind(task)?.spec.secrets;
  if (!ctx.secrets || pins === undefined || Object.keys(pins).length === 0) return undefined;
  const key = `${task.environment}/${task.service}/${task.revision} ${JSON.stringify(pins)}`;
  let redaction = ctx.redactions.get(key);
  if (redaction === undefined) {
    const values: string[] = [];
    for (const [name, version] of Object.entries(pins)) {
      try {
        values.push(...Object.values(ctx.secrets.resolve({ [name]: version })));
      } catch (err) {
        ctx.report('mask-logs', err, task.id);
      }
    }
    redaction = ctx.secrets.redaction(values);
    ctx.redactions.set(key, redaction);
  }
  ctx.redactions.set(task.id, redaction);
  return redaction;
}
