import type { SlipwayEvent } from '../../core/index.js';
import { payloadOf, type EventPayloads, type EventType } from '../../shared/index.js';

const ms = (v: unknown) => (typeof v === 'number' ? (v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`) : '');
const short = (v: unknown) => (typeof v === 'string' ? v.slice(0, 12) : String(v ?? '-'));
const weights = (w: unknown) =>
  w && typeof w === 'object' ? Object.entries(w as Record<string, number>).map(([rev, pct]) => `${short(rev)} ${pct}%`).join(' / ') : '';

/**
 * One line of the demo's progress for an event, or undefined for the events
 * not worth a line (or whose payload the event catalog cannot read). Pure, so
 * the wording is tested without a running system.
 */
export function progressLine(e: SlipwayEvent): string | undefined {
  switch (e.type) {
    case 'pipeline.run.started':
      return read(e, 'pipeline.run.started', (d) => `▶ pipeline run #${d.runId} for commit ${short(d.commitSha)}: ${d.stages.join(' → ')}`);
    case 'pipeline.stage.started':
      return read(e, 'pipeline.stage.started', (d) => `  ▸ ${d.stage}`);
    case 'pipeline.stage.succeeded':
      return read(e, 'pipeline.stage.succeeded', (d) => `  ✓ ${d.stage} (${ms(d.durationMs)})`);
    case 'pipeline.stage.failed':
      return read(e, 'pipeline.stage.failed', (d) => `  ✗ ${d.stage}: ${d.reason}`);
    case 'pipeline.stage.skipped':
      return read(e, 'pipeline.stage.skipped', (d) => `  · ${d.stage} skipped: ${d.reason}`);
    case 'pipeline.action.failed':
      return read(e, 'pipeline.action.failed', (d) => `    ✗ ${d.action}: ${d.reason}`);
    case 'pipeline.run.succeeded':
      return read(e, 'pipeline.run.succeeded', (d) => `✓ pipeline run #${d.runId} succeeded in ${ms(d.durationMs)}`);
    case 'pipeline.run.failed':
      return read(e, 'pipeline.run.failed', (d) => `✗ pipeline run #${d.runId} failed: ${d.reason ?? ''}`);
    case 'deployment.started':
      return read(e, 'deployment.started', (d) => `    ⇢ ${d.service} → ${d.environment}: ${d.fromRevision ? `${short(d.fromRevision)} → ` : ''}${short(d.toRevision)}`);
    case 'deployment.traffic.shifted':
      return read(e, 'deployment.traffic.shifted', (d) => (d.fromRevision ? `      ${d.service} in ${d.environment}: ${weights(d.weights)}` : undefined));
    case 'deployment.succeeded':
      return read(e, 'deployment.succeeded', (d) => `    ✓ ${d.service} live in ${d.environment} at ${short(d.toRevision)}`);
    case 'deployment.rolled_back':
      return read(
        e,
        'deployment.rolled_back',
        (d) => `    ↩ ${d.service} in ${d.environment} rolled back to ${short(d.fromRevision)}${typeof d.rollbackMs === 'number' ? ` (traffic restored in ${ms(d.rollbackMs)})` : ''}: ${d.reason ?? ''}`,
      );
    case 'alarm.state.changed':
      return read(e, 'alarm.state.changed', (d) => `  ! alarm ${d.alarm}: ${d.oldState ?? '?'} → ${d.newState}`);
    case 'flag.rollout.started':
      return read(e, 'flag.rollout.started', (d) => `⚑ flag ${d.key} in ${d.environment}: rollout ${d.rolloutId} (${d.plan.map((s) => `${s.percent}%`).join(' → ')}), reverted by ${d.watchedAlarms.join(', ') || 'no alarm'}`);
    case 'flag.rollout.step':
      return read(e, 'flag.rollout.step', (d) => `  ⚑ ${d.key} in ${d.environment}: ${d.previousPercent}% → ${d.percent}%`);
    case 'flag.rollout.rolled_back':
      return read(e, 'flag.rollout.rolled_back', (d) => `  ↩ flag ${d.key} in ${d.environment} reverted at ${d.reachedPercent}% by ${d.trigger}${d.alarms?.length ? ` ${d.alarms.join(', ')}` : ''} in ${ms(d.revertMs)}`);
    case 'flag.rollout.succeeded':
      return read(e, 'flag.rollout.succeeded', (d) => `  ✓ flag ${d.key} in ${d.environment}: everyone gets the new definition (version ${d.version}, after ${ms(d.durationMs)})`);
    case 'incident.opened':
      return read(e, 'incident.opened', (d) => `  ! incident #${d.incidentId} opened (${d.severity}): ${d.title}`);
    default:
      return undefined;
  }
}

/** The line `line` makes of `e`'s typed payload; undefined when the catalog cannot read it. */
function read<T extends EventType>(e: SlipwayEvent, type: T, line: (d: EventPayloads[T]) => string | undefined): string | undefined {
  const d = payloadOf(e, type);
  return d === undefined ? undefined : line(d);
}
