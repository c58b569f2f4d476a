import type { SlipwayEvent } from '../../core/index.js';

const ms = (v: unknown) => (typeof v === 'number' ? (v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`) : '');
const short = (v: unknown) => (typeof v === 'string' ? v.slice(0, 12) : String(v ?? '-'));
const weights = (w: unknown) =>
  w && typeof w === 'object' ? Object.entries(w as Record<string, number>).map(([rev, pct]) => `${short(rev)} ${pct}%`).join(' / ') : '';

/**
 * One line of the demo's progress for an event, or undefined for the events
 * not worth a line. Pure, so the wording is tested without a running system.
 */
export function progressLine(e: SlipwayEvent): string | undefined {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case 'pipeline.run.started':
      return `▶ pipeline run #${String(d.runId)} for commit ${short(d.commitSha)}: ${(d.stages as string[] | undefined)?.join(' → ') ?? ''}`;
    case 'pipeline.stage.started':
      return `  ▸ ${String(d.stage)}`;
    case 'pipeline.stage.succeeded':
      return `  ✓ ${String(d.stage)} (${ms(d.durationMs)})`;
    case 'pipeline.stage.failed':
      return `  ✗ ${String(d.stage)}: ${String(d.reason ?? 'failed')}`;
    case 'pipeline.stage.skipped':
      return `  · ${String(d.stage)} skipped: ${String(d.reason ?? '')}`;
    case 'pipeline.action.failed':
      return `    ✗ ${String(d.action)}: ${String(d.reason ?? 'failed')}`;
    case 'pipeline.run.succeeded':
      return `✓ pipeline run #${String(d.runId)} succeeded in ${ms(d.durationMs)}`;
    case 'pipeline.run.failed':
      return `✗ pipeline run #${String(d.runId)} failed: ${String(d.reason ?? '')}`;
    case 'deployment.started':
      return `    ⇢ ${String(d.service)} → ${String(d.environment)}: ${d.fromRevision ? `${short(d.fromRevision)} → ` : ''}${short(d.toRevision)}`;
    case 'deployment.traffic.shifted':
      return d.fromRevision ? `      ${String(d.service)} in ${String(d.environment)}: ${weights(d.weights)}` : undefined;
    case 'deployment.succeeded':
      return `    ✓ ${String(d.service)} live in ${String(d.environment)} at ${short(d.toRevision)}`;
    case 'deployment.rolled_back':
      return `    ↩ ${String(d.service)} in ${String(d.environment)} rolled back to ${short(d.fromRevision)}${typeof d.rollbackMs === 'number' ? ` (traffic restored in ${ms(d.rollbackMs)})` : ''}: ${String(d.reason ?? '')}`;
    case 'alarm.state.changed':
      return `  ! alarm ${String(d.alarm)}: ${String(d.oldState)} → ${String(d.newState)}`;
    case 'incident.opened':
      return `  ! incident #${String(d.incidentId ?? d.id ?? '')} opened (${String(d.severity ?? '')}): ${String(d.title ?? d.alarm ?? '')}`;
    default:
      return undefined;
  }
}
