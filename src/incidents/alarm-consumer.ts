import type { EventLog, Logger, SlipwayEvent } from '../core/index.js';
import { ALARM_STATE_CHANGED, payloadOf, type ResolvedApp } from '../shared/index.js';
import { causeAtOpening } from './cause/cause-at-opening.js';
import type { IncidentService } from './service.js';
import type { SeverityRule } from './severity.js';
import type { IncidentStore } from './store/incident-store.js';
import type { TimelineOptions } from './timeline.js';

/** The name under which the consumer's position in the log is stored. */
export const ALARM_CURSOR = 'alarm-consumer';

/** What the consumer is built from. */
export interface AlarmConsumerOptions {
  readonly events: EventLog;
  readonly store: IncidentStore;
  readonly service: IncidentService;
  readonly severity: SeverityRule;
  readonly app: ResolvedApp | undefined;
  readonly timeline: TimelineOptions;
  readonly logger: Logger;
}

/**
 * Turns `alarm.state.changed` events into incidents. It reads the log from the last sequence number it
 * processed (stored with each event's effects, in one transaction), so events appended while the control
 * plane was down are processed at start, each once. Live events only wake it up: processing happens on a
 * microtask, never inside the appender's call, so other subscribers see the log in order.
 */
export class AlarmConsumer {
  #unsubscribe: (() => void) | undefined;
  #scheduled: Promise<void> | undefined;

  constructor(private readonly o: AlarmConsumerOptions) {}

  /** Catches up with the log, then follows it. */
  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.o.events.subscribe((e) => {
      if (e.type === ALARM_STATE_CHANGED) void this.#schedule();
    });
    this.drain();
  }

  /** Stops following the log. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Resolves once every alarm event appended so far has been processed. */
  async flush(): Promise<void> {
    await this.#scheduled;
    this.drain();
  }

  /** Processes every alarm event after the stored cursor, in order (synchronous). */
  drain(): void {
    for (;;) {
      const after = this.o.store.cursor(ALARM_CURSOR);
      const page = this.o.events.list({ type: ALARM_STATE_CHANGED, afterSeq: after, limit: 500 });
      for (const e of page) {
        try {
          this.o.store.transaction(() => {
            this.#handle(e);
            this.o.store.setCursor(ALARM_CURSOR, e.seq);
          });
        } catch (err) {
          // A bad event must not block the ones after it: skip it, say so.
          this.o.logger.error('incidents: could not process an alarm event; skipped', { seq: e.seq, err });
          this.o.store.setCursor(ALARM_CURSOR, e.seq);
        }
      }
      if (page.length < 500) return;
    }
  }

  #schedule(): Promise<void> {
    this.#scheduled ??= Promise.resolve().then(() => {
      this.#scheduled = undefined;
      this.drain();
    });
    return this.#scheduled;
  }

  #handle(e: SlipwayEvent): void {
    const p = payloadOf(e, ALARM_STATE_CHANGED);
    if (p === undefined) throw new Error(`event ${e.seq} is not an alarm state change the event catalog can read`);
    const { alarm, newState } = p;
    const def = this.o.app?.alarms[alarm];
    const scope = def !== undefined && def.kind !== 'Composite' ? def : undefined;
    const service = p.service || scope?.service || null;
    const environment = p.environment || scope?.environment || null;
    const dedupKey = `${alarm}|${environment ?? ''}|${service ?? ''}`;
    const open = this.o.store.findOpenByKey(dedupKey);
    const reason = p.reason || undefined;
    const at = new Date(e.timeMs).toISOString();
    if (newState === 'ALARM') {
      if (open !== undefined) {
        this.o.store.update({ ...open, alarmState: 'ALARM', updatedAtMs: e.timeMs });
        this.o.service.emit(open, 'incident.note.added', { text: `alarm ${alarm} went to ALARM again at ${at}${reason ? `: ${reason}` : ''}`, author: 'slipway', alarmSeq: e.seq });
        return;
      }
      const named = p.deploymentId;
      const deploymentId = typeof named === 'number' ? named : typeof named === 'string' && /^\d+$/.test(named) ? Number(named) : (causeAtOpening(this.o.events, this.o.app, e, { alarm, service, environment }, this.o.timeline.likelyCauseWindowMs) ?? null);
      const severity = this.o.severity({ alarm, service: service ?? undefined, environment: environment ?? undefined });
      const title = `${alarm} in ALARM${service === null ? '' : ` on ${service}${environment === null ? '' : ` (${environment})`}`}`;
      this.o.service.openFromAlarm({ title, severity, dedupKey, alarm, service, environment, deploymentId }, e);
      return;
    }
    if (open === undefined) return;
    this.o.store.update({ ...open, alarmState: newState, updatedAtMs: e.timeMs });
    this.o.service.emit(open, 'incident.note.added', {
      text: `alarm ${alarm} returned to ${newState} at ${at}${reason ? ` (${reason})` : ''}; the incident stays ${open.state} until someone resolves it`,
      author: 'slipway',
      alarmSeq: e.seq,
    });
  }
}
