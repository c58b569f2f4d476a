import type { Clock, EventLog, SlipwayEvent } from '../../core/index.js';

/** A deployment the tracker believes is in progress. */
export interface DeploymentInProgress {
  /** The deployment's id, as its events carry it. */
  readonly deploymentId: string | number;
  readonly service: string;
  readonly environment: string;
  /** When `deployment.started` was appended. */
  readonly startedAtMs: number;
}

/** Event types that end a deployment. */
const ENDED = new Set(['deployment.succeeded', 'deployment.rolled_back', 'deployment.failed', 'deployment.stopped']);
/** How far back the log is replayed at start to find deployments still in progress. */
const REPLAY_MS = 7 * 24 * 3_600_000;

function idOf(data: Readonly<Record<string, unknown>>): string | number | undefined {
  const id = data.deploymentId ?? data.id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/**
 * Knows which deployments are in progress from the event log (`deployment.started` until
 * `deployment.succeeded|rolled_back|failed|stopped`), so an alarm's state change can be attributed
 * to a deployment of its service without the alarms context importing the deployments context.
 */
export class DeploymentTracker {
  readonly #events: EventLog;
  readonly #clock: Clock;
  readonly #active = new Map<string, DeploymentInProgress>();
  #off: (() => void) | undefined;

  constructor(events: EventLog, clock: Clock) {
    this.#events = events;
    this.#clock = clock;
  }

  /** Replays recent deployment events, then follows new ones. Idempotent. */
  start(): void {
    if (this.#off !== undefined) return;
    let afterSeq = 0;
    const sinceMs = this.#clock.now() - REPLAY_MS;
    for (;;) {
      const page = this.#events.list({ type: 'deployment', afterSeq, sinceMs, limit: 10_000 });
      page.forEach((e) => this.observe(e));
      if (page.length < 10_000) break;
      afterSeq = page[page.length - 1]!.seq;
    }
    this.#off = this.#events.subscribe((e) => this.observe(e));
  }

  /** Stops following the log. */
  close(): void {
    this.#off?.();
    this.#off = undefined;
  }

  /** Takes one event into account (events of other types are ignored). */
  observe(e: Pick<SlipwayEvent, 'type' | 'data' | 'timeMs'>): void {
    if (e.type !== 'deployment.started' && !ENDED.has(e.type)) return;
    const id = idOf(e.data);
    if (id === undefined) return;
    const key = String(id);
    if (ENDED.has(e.type)) {
      this.#active.delete(key);
      return;
    }
    const { service, environment } = e.data;
    if (typeof service !== 'string' || typeof environment !== 'string') return;
    this.#active.set(key, { deploymentId: id, service, environment, startedAtMs: e.timeMs });
  }

  /**
   * The most recently started deployment in progress of `service` (in `environment` when given).
   * Undefined when the alarm watches no service or none is deploying.
   */
  find(service: string | undefined, environment: string | undefined): DeploymentInProgress | undefined {
    if (service === undefined) return undefined;
    let found: DeploymentInProgress | undefined;
    for (const d of this.#active.values()) {
      if (d.service !== service || (environment !== undefined && d.environment !== environment)) continue;
      if (found === undefined || d.startedAtMs >= found.startedAtMs) found = d;
    }
    return found;
  }
}
