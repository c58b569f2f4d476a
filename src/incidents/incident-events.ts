import type { SlipwayEvent } from '../core/index.js';
import { ACTION_ITEM_STATUSES, type ActionItemDto, type IncidentActionDto, type IncidentNoteDto } from '../shared/index.js';
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

/** The action items among an incident's events: each `incident.action_item.added` with its later updates folded in, by number. */
export function actionItemsOf(events: readonly SlipwayEvent[]): ActionItemDto[] {
  const items = new Map<number, ActionItemDto>();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const itemId = e.data.itemId;
    if (typeof itemId !== 'number') continue;
    const status = ACTION_ITEM_STATUSES.find((s) => s === e.data.status);
    if (e.type === 'incident.action_item.added') {
      items.set(itemId, { itemId, text: str(e, 'text') ?? '', owner: str(e, 'owner') ?? '', dueDate: str(e, 'dueDate') ?? '', status: status ?? 'Open', createdBy: str(e, 'by') ?? 'unknown', createdAtMs: e.timeMs, updatedAtMs: e.timeMs });
    } else if (e.type === 'incident.action_item.updated') {
      const item = items.get(itemId);
      if (item === undefined) continue;
      items.set(itemId, { ...item, status: status ?? item.status, owner: str(e, 'owner') ?? item.owner, dueDate: str(e, 'dueDate') ?? item.dueDate, updatedAtMs: e.timeMs });
    }
  }
  return [...items.values()].sort((a, b) => a.itemId - b.itemId);
}
