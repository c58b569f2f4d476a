import type { Clock, EventLog, Logger, SlipwayEvent } from '../../core/index.js';
import { INCIDENT_ESCALATED, INCIDENT_ESCALATION_ENDED, INCIDENT_PAGED, payloadOf, type EventPayloads, type ResolvedEscalationPolicy, type ResolvedOncall } from '../../shared/index.js';
import { incidentSubject, type Incident } from '../model.js';
import { readEvents } from '../read-events.js';
import type { IncidentService } from '../service.js';
import type { IncidentStore } from '../store/incident-store.js';
import { nextEscalation, stepOf, type EscalationStep, type PageRecord } from './escalation-plan.js';
import { whoIsOnCall } from './who-is-on-call.js';

/** The default period of the escalator's loop. */
export const DEFAULT_ESCALATION_INTERVAL_MS = 1000;

/** What the escalator is built from. */
export interface EscalatorOptions {
  readonly store: IncidentStore;
  readonly service: IncidentService;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The on-call model, read at every tick (an apply may change it). */
  readonly oncall: () => ResolvedOncall | undefined;
  /** How often pending escalations are looked at. @default 1000 */
  readonly intervalMs?: number;
}

type PageType = typeof INCIDENT_PAGED | typeof INCIDENT_ESCALATED;
type PagePayload = EventPayloads[PageType];

/** What the log says of an incident's escalation so far. */
interface EscalationState {
  readonly policy: string | undefined;
  readonly pages: readonly PageRecord[];
  readonly ended: boolean;
}

type EndReason = EventPayloads[typeof INCIDENT_ESCALATION_ENDED]['reason'];

/** What an incident's escalation needs now. */
type Action =
  | { readonly kind: 'none' }
  | { readonly kind: 'end'; readonly policy: string; readonly reason: EndReason; readonly pages: number }
  | { readonly kind: 'page'; readonly oncall: ResolvedOncall; readonly policy: ResolvedEscalationPolicy; readonly step: EscalationStep; readonly nowMs: number };

const NONE: Action = { kind: 'none' };

const WAKE_TYPES = new Set(['incident.opened', 'incident.acknowledged', 'incident.mitigated', 'incident.resolved']);
const END_REASON = { Acknowledged: 'acknowledged', Mitigated: 'mitigated', Resolved: 'resolved', PostmortemDone: 'resolved' } as const;

/** An incident's escalation as the event log records it (pure). */
export function escalationState(own: readonly SlipwayEvent[]): EscalationState {
  let policy: string | undefined;
  const pages: PageRecord[] = [];
  let ended = false;
  for (const e of own) {
    if (e.type === INCIDENT_ESCALATION_ENDED) ended = true;
    if (e.type !== INCIDENT_PAGED && e.type !== INCIDENT_ESCALATED) continue;
    const p = payloadOf(e, e.type);
    if (p === undefined) continue;
    policy ??= p.policy;
    pages.push({ step: p.step, timeMs: e.timeMs, reached: p.users.length > 0 || p.topics.length > 0 });
  }
  return { policy, pages, ended };
}

/**
 * Pages the on-call for open incidents and escalates while nobody acknowledges. It keeps no state
 * of its own: each tick derives every escalation from the incident's events (`incident.paged`,
 * `incident.escalated`, `incident.escalation.ended`), so a restarted control plane carries on
 * where the last one stopped, and a page is appended once per step, inside the write
 * transaction that re-reads it. Pages reach people through the notifier, which routes
 * `incident.paged`/`incident.escalated` to the users' contacts and the topics they name.
 */
export class Escalator {
  readonly #o: EscalatorOptions;
  #timer: NodeJS.Timeout | undefined;
  #off: (() => void) | undefined;
  #scheduled: Promise<void> | undefined;

  constructor(options: EscalatorOptions) {
    this.#o = options;
  }

  /** Ticks now, then every `intervalMs` and whenever an incident opens or changes state. Idempotent. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#off = this.#o.events.subscribe((e) => {
      if (WAKE_TYPES.has(e.type)) void this.#schedule();
    });
    this.#timer = setInterval(() => this.tick(), this.#o.intervalMs ?? DEFAULT_ESCALATION_INTERVAL_MS);
    this.#timer.unref();
    this.tick();
  }

  /** Stops the loop. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#off?.();
    this.#off = undefined;
  }

  /** Resolves once a tick scheduled by an event has run, then runs one more (tests, shutdown). */
  async flush(): Promise<void> {
    await this.#scheduled;
    this.tick();
  }

  /** Looks at every open incident once: pages what is due, ends what was acknowledged. Never throws. */
  tick(): void {
    const oncall = this.#o.oncall();
    let open: Incident[];
    try {
      open = this.#o.store.list({ open: true, limit: 1000 });
    } catch (err) {
      this.#o.logger.error('oncall: could not list open incidents', { err });
      return;
    }
    for (const incident of open) {
      try {
        // Decide outside a transaction (most ticks change nothing); decide again inside it before writing.
        if (this.#decide(incident, oncall).kind === 'none') continue;
        this.#o.store.transaction(() => this.#advance(incident.id, oncall));
      } catch (err) {
        // One incident that cannot be escalated must not stop the others.
        this.#o.logger.error('oncall: could not escalate an incident', { incident: incident.id, err });
      }
    }
  }

  #schedule(): Promise<void> {
    this.#scheduled ??= Promise.resolve().then(() => {
      this.#scheduled = undefined;
      this.tick();
    });
    return this.#scheduled;
  }

  /** What is due for an incident now, as the event log and the model say. */
  #decide(incident: Incident, oncall: ResolvedOncall | undefined): Action {
    const state = escalationState(readEvents(this.#o.events, { subject: incidentSubject(incident.id) }));
    if (state.ended) return NONE;
    const end = (policy: string, reason: EndReason): Action => ({ kind: 'end', policy, reason, pages: state.pages.length });
    if (incident.state !== 'Triggered') return state.policy === undefined ? NONE : end(state.policy, END_REASON[incident.state]);
    const policyName = state.policy ?? oncall?.policyBySeverity[incident.severity];
    if (policyName === undefined) return NONE;
    const policy = oncall?.escalationPolicies[policyName];
    if (oncall === undefined || policy === undefined) return state.policy === undefined ? NONE : end(policyName, 'policy_removed');
    const nowMs = this.#o.clock.now();
    const decision = nextEscalation(policy, incident.triggeredAtMs, state.pages, nowMs);
    if (decision.kind === 'exhausted') return end(policyName, 'exhausted');
    return decision.kind === 'page' ? { kind: 'page', oncall, policy, step: decision.step, nowMs } : NONE;
  }

  /** Carries out what is due for one incident (inside its transaction). */
  #advance(id: number, oncall: ResolvedOncall | undefined): void {
    // A level that reached nobody escalates at once, so one look may page several steps (at most all of them).
    for (let guard = 0; guard <= 1000; guard++) {
      const incident = this.#o.store.get(id);
      const action = this.#decide(incident, oncall);
      if (action.kind === 'none') return;
      if (action.kind === 'end') {
        this.#o.service.emit(incident, INCIDENT_ESCALATION_ENDED, { policy: action.policy, reason: action.reason, pages: action.pages });
        return;
      }
      if (this.#page(incident, action.oncall, action.policy, action.step, action.nowMs)) return;
    }
  }

  /** Pages one step; returns whether it reached anyone. */
  #page(incident: Incident, oncall: ResolvedOncall, policy: ResolvedEscalationPolicy, step: EscalationStep, nowMs: number): boolean {
    const level = policy.levels[step.level - 1]!;
    const users = new Set<string>();
    const topics = new Set<string>();
    const reach = (user: string): void => {
      users.add(user);
      for (const t of oncall.users[user]?.topics ?? []) topics.add(t);
    };
    const targets: PagePayload['targets'][number][] = level.targets.map((t) => {
      if (t.kind === 'topic') {
        topics.add(t.topic);
        return { kind: 'topic', topic: t.topic };
      }
      if (t.kind === 'user') {
        reach(t.user);
        return { kind: 'user', user: t.user };
      }
      const schedule = oncall.schedules[t.schedule];
      const user = schedule === undefined ? undefined : whoIsOnCall(schedule, nowMs).user;
      if (user !== undefined) reach(user);
      return { kind: 'schedule', schedule: t.schedule, user: user ?? null };
    });
    const reached = users.size > 0 || topics.size > 0;
    const next = stepOf(policy, step.step + 1);
    const data = {
      policy: policy.name,
      level: step.level,
      loop: step.loop,
      step: step.step,
      targets,
      users: [...users],
      topics: [...topics],
      escalateAtMs: next === undefined ? null : reached ? nowMs + step.escalateAfterMs : nowMs,
    };
    this.#o.service.emit(incident, step.step === 0 ? INCIDENT_PAGED : INCIDENT_ESCALATED, data);
    return reached;
  }
}
