import type { EventPayloads, EventTypeWith } from '../../shared/index.js';

/** The catalogued `pipeline.*` events about a run (subject `pipeline-run/<id>`). */
export type RunEventType = EventTypeWith<{ readonly runId: number }>;

/** A run event's payload without the `runId` the engine adds. */
export type RunEventData<T extends RunEventType> = Omit<EventPayloads[T], 'runId'>;

/** The catalogued events about one action of a run. */
export type ActionEventType = EventTypeWith<{ readonly runId: number; readonly stage: string; readonly action: string }>;

/** An action event's payload without the run, stage and action the engine adds. */
export type ActionEventData<T extends ActionEventType> = Omit<EventPayloads[T], 'runId' | 'stage' | 'action'>;
