import type { SlipwayEvent } from '../core/index.js';
import type { IncidentActionDto, IncidentNoteDto } from '../shared/index.js';
import { str } from './event-fields.js';

/** The notes among an incident's events. */
export function notesOf(events: readonly SlipwayEvent[]): IncidentNoteDto[] {
  return events
    .filter((e) => e.type === 'incident.note.added')
    .map((e) => ({ seq: e.seq, timeMs: e.timeMs, text: str(e, 'text') ?? '', author: str(e, 'author') ?? 'slipway' }));
}

/** The mitigation actions among an incident's events. */
export function actionsOf(events: readonly SlipwayEvent[]): IncidentActionDto[] {
  return events
    .filter((e) => e.type === 'incident.action.recorded')
    .map((e) => {
      const deploymentId = e.data.deploymentId;
      const description = str(e, 'description');
      return {
        seq: e.seq,
        timeMs: e.timeMs,
        kind: e.data.kind === 'rollback' ? 'rollback' : 'manual',
        ...(e.data.kind === 'rollback' && typeof deploymentId === 'number' ? { deploymentId } : {}),
        ...(description === undefined ? {} : { description }),
        ok: e.data.ok === true,
        message: str(e, 'message') ?? '',
        by: str(e, 'by') ?? 'unknown',
      };
    });
}
