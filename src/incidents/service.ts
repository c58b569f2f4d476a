import type { Clock, EventLog, Logger, SlipwayEvent } from '../core/index.js';
import { ConflictError, NotFoundError, UnavailableError, postmortemDueAtMs, type ActionItemDto, type AddActionItemBody, type CausalLinkDto, type UpdateActionItemBody, type EventPayloads, type EventTypeWith, type IncidentBaseField, type IncidentActionDto, type IncidentDetailDto, type IncidentDto, type OpenIncidentBody, type PostmortemDto, type ResolvedApp } from '../shared/index.js';
import { analyseCause, type CauseAnalysis } from './cause/analyse-cause.js';
import { causalChain } from './cause/causal-chain.js';
import { alsoChangedDto, likelyCauseDto } from './cause/to-dto.js';
import { measureImpact, type MetricSource } from './impact.js';
import { escalationDto } from './oncall/escalation-dto.js';
import { actionItemsOf, actionsOf, notesOf } from './incident-events.js';
import { incidentSubject, isOpen, type Incident, type IncidentSeverity } from './model.js';
import { renderPostmortem } from './postmortem.js';
import { readEvents } from './read-events.js';
import type { IncidentFilter, IncidentStore } from './store/incident-store.js';
import { reconstructTimeline, type TimelineEntry, type TimelineOptions } from './timeline.js';
import { decideTransition, type IncidentTransition } from './transitions.js';

/** Carries out a rollback for an incident; the deployment engine implements it (the composition root wires it). */
export interface Mitigator {
  /** Rolls deployment `deploymentId` back. An `ok: false` answer is recorded, not thrown. */
  rollback(deploymentId: number): Promise<{ readonly ok: boolean; readonly message: string }>;
}

/** What the incident service is built from. */
export interface IncidentServiceOptions {
  readonly store: IncidentStore;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly mitigator: Mitigator | undefined;
  readonly metrics: MetricSource | undefined;
  readonly timeline: TimelineOptions;
  /** The app model: what alarms measure and which environments roll back on them (likely causes, Five Whys). */
  readonly app?: ResolvedApp;
}

/** Who does something and why (all optional). */
export interface Actor {
  readonly by?: string;
  readonly assignee?: string;
  readonly reason?: string;
}

/** A mitigation action request. */
export type ActionRequest = { readonly kind: 'rollback'; readonly deploymentId: number; readonly by?: string } | { readonly kind: 'manual'; readonly description: string; readonly by?: string };

/** The catalogued `incident.*` events (each carries the incident's own fields). */
export type IncidentEventType = EventTypeWith<{ readonly incidentId: number; readonly severity: string }>;

/** What a writer adds to an incident event: its own fields (it may also override the incident's). */
export type IncidentEventExtra<T extends IncidentEventType> = Omit<EventPayloads[T], IncidentBaseField> & Partial<Pick<EventPayloads[T], IncidentBaseField>>;

const STATE_EVENT = {
  acknowledge: 'incident.acknowledged',
  mitigate: 'incident.mitigated',
  resolve: 'incident.resolved',
  completePostmortem: 'incident.postmortem.written',
} as const satisfies Record<IncidentTransition, IncidentEventType>;

/** The use-cases of incidents: what the routes, the CLI and the alarm consumer call. */
export class IncidentService {
  constructor(private readonly o: IncidentServiceOptions) {}

  /** Incidents, newest first. */
  list(filter: IncidentFilter = {}): IncidentDto[] {
    return this.o.store.list(filter).map(toDto);
  }

  /** An incident with its timeline (from the event log), notes and actions. @throws NotFoundError */
  detail(id: number): IncidentDetailDto {
    const incident = this.o.store.get(id);
    const own = readEvents(this.o.events, { subject: incidentSubject(id) });
    const analysis = this.cause(incident);
    const { verdict } = analysis;
    return {
      ...toDto(incident),
      timeline: this.timeline(incident, own, verdict.cause ?? null),
      notes: notesOf(own),
      actions: actionsOf(own),
      actionItems: actionItemsOf(own),
      causalChain: this.causalChain(incident, analysis, own),
      likelyCause: verdict.cause === undefined ? null : likelyCauseDto(verdict.cause),
      alsoChanged: verdict.alsoChanged.map(alsoChangedDto),
      escalation: escalationDto(own),
    };
  }

  /** The timeline of an incident, reconstructed from the event log; the named cause's events are marked. */
  timeline(incident: Incident, own: readonly SlipwayEvent[] = readEvents(this.o.events, { subject: incidentSubject(incident.id) }), cause: { readonly change: { readonly ref: string }; readonly reason: string } | null = this.cause(incident).verdict.cause ?? null): TimelineEntry[] {
    const endMs = incident.resolvedAtMs ?? this.o.clock.now();
    const around = readEvents(this.o.events, { sinceMs: incident.triggeredAtMs - this.o.timeline.lookbackMs, untilMs: endMs + 1 });
    const seen = new Set(around.map((e) => e.seq));
    return reconstructTimeline([...around, ...own.filter((e) => !seen.has(e.seq))], incident, this.o.timeline, cause === null ? null : { ref: cause.change.ref, reason: cause.reason });
  }

  /** What the event log says caused an incident: the likely cause, the other changes, the causal chain, the impact window. */
  cause(incident: Incident): CauseAnalysis {
    return analyseCause(incident, { events: this.o.events, app: this.o.app, metrics: this.o.metrics, windowMs: this.o.timeline.likelyCauseWindowMs, nowMs: this.o.clock.now() });
  }

  /** The links from the commit to the incident that the event log shows (see `cause/causal-chain.ts`). */
  causalChain(incident: Incident, analysis: CauseAnalysis, own: readonly SlipwayEvent[]): CausalLinkDto[] {
    const change = analysis.verdict.cause?.change;
    const artifacts = change === undefined || analysis.chain.pipeline === undefined ? [] : readEvents(this.o.events, { type: 'artifact.stored', sinceMs: analysis.chain.pipeline.startedAtMs, untilMs: change.startedAtMs + 1 });
    return causalChain({
      cause: analysis.verdict.cause,
      pipeline: analysis.chain.pipeline,
      runs: analysis.evidence.runs,
      artifacts,
      causeEvents: change === undefined ? [] : readEvents(this.o.events, { subject: change.ref }),
      trigger: analysis.evidence.trigger,
      opened: own.find((e) => e.type === 'incident.opened'),
      triggeredAtMs: incident.triggeredAtMs,
    });
  }

  /** Opens an incident by hand. */
  open(body: OpenIncidentBody, by = 'user'): IncidentDto {
    const now = this.o.clock.now();
    return this.o.store.transaction(() => {
      const incident = this.o.store.insert({
        title: body.title,
        severity: body.severity ?? 'SEV3',
        state: 'Triggered',
        source: 'manual',
        dedupKey: null,
        alarm: null,
        alarmState: null,
        service: body.service ?? null,
        environment: body.environment ?? null,
        deploymentId: body.deploymentId ?? null,
        assignee: body.assignee ?? null,
        triggerSeq: null,
        triggeredAtMs: now,
        updatedAtMs: now,
      });
      this.emit(incident, 'incident.opened', { by, reason: 'opened by hand' });
      if (body.description !== undefined) this.emit(incident, 'incident.note.added', { text: body.description, author: by });
      return toDto(incident);
    });
  }

  /** Opens an incident from an alarm transition (the consumer calls it inside its transaction). */
  openFromAlarm(fields: { title: string; severity: IncidentSeverity; dedupKey: string; alarm: string; service: string | null; environment: string | null; deploymentId: number | null }, trigger: SlipwayEvent): Incident {
    const incident = this.o.store.insert({
      ...fields,
      state: 'Triggered',
      source: 'alarm',
      alarmState: 'ALARM',
      assignee: null,
      triggerSeq: trigger.seq,
      triggeredAtMs: trigger.timeMs,
      updatedAtMs: this.o.clock.now(),
    });
    this.emit(incident, 'incident.opened', { by: 'slipway', reason: typeof trigger.data.reason === 'string' ? trigger.data.reason : `alarm ${fields.alarm} in ALARM`, triggerSeq: trigger.seq });
    return incident;
  }

  /** Moves an incident along its lifecycle. @throws ConflictError `SLW_ERR_INCIDENT_INVALID_STATE` with the reason */
  transition(id: number, transition: Exclude<IncidentTransition, 'completePostmortem'>, actor: Actor = {}): IncidentDto {
    return this.o.store.transaction(() => {
      const incident = this.o.store.get(id);
      const decision = decideTransition(id, incident.state, transition);
      if (!decision.ok) throw new ConflictError('SLW_ERR_INCIDENT_INVALID_STATE', decision.message);
      const now = this.o.clock.now();
      const assignee = actor.assignee ?? (transition === 'acknowledge' ? (incident.assignee ?? actor.by ?? null) : incident.assignee);
      const next = this.o.store.update({
        ...incident,
        state: decision.to,
        assignee,
        ...(transition === 'acknowledge' ? { acknowledgedAtMs: now } : {}),
        ...(transition === 'mitigate' ? { mitigatedAtMs: now } : {}),
        ...(transition === 'resolve' ? { resolvedAtMs: now } : {}),
        updatedAtMs: now,
      });
      this.emit(next, STATE_EVENT[transition], { by: actor.by ?? 'user', ...(actor.reason === undefined ? {} : { reason: actor.reason }) });
      return toDto(next);
    });
  }

  /** Sets who owns an incident. */
  assign(id: number, assignee: string, by = 'user'): IncidentDto {
    return this.o.store.transaction(() => {
      const next = this.o.store.update({ ...this.o.store.get(id), assignee, updatedAtMs: this.o.clock.now() });
      this.emit(next, 'incident.assigned', { by });
      return toDto(next);
    });
  }

  /** Adds a note to an incident's timeline. */
  addNote(id: number, text: string, author = 'user'): IncidentDto {
    const incident = this.o.store.get(id);
    this.emit(incident, 'incident.note.added', { text, author });
    return toDto(incident);
  }

  /** An incident's action items, oldest first. @throws NotFoundError */
  actionItems(id: number): ActionItemDto[] {
    this.o.store.get(id);
    return actionItemsOf(readEvents(this.o.events, { subject: incidentSubject(id) }));
  }

  /** Adds a follow-up with owner, due date and status (in any state: most are written with the postmortem). */
  addActionItem(id: number, body: AddActionItemBody): ActionItemDto {
    return this.o.store.transaction(() => {
      const incident = this.o.store.get(id);
      // Numbered inside the write transaction, so two writers never take the same number.
      const itemId = this.actionItems(id).length + 1;
      const event = this.emit(incident, 'incident.action_item.added', { itemId, text: body.text, owner: body.owner, dueDate: body.dueDate, status: body.status ?? 'Open', by: body.by ?? 'user' });
      return actionItemsOf([event])[0]!;
    });
  }

  /**
   * Changes an action item's status, owner or due date; giving what it already says records nothing.
   * @throws NotFoundError `SLW_ERR_INCIDENT_ACTION_ITEM_NOT_FOUND`
   */
  updateActionItem(id: number, itemId: number, body: UpdateActionItemBody): ActionItemDto {
    return this.o.store.transaction(() => {
      const incident = this.o.store.get(id);
      const item = this.actionItems(id).find((i) => i.itemId === itemId);
      if (item === undefined) throw new NotFoundError('SLW_ERR_INCIDENT_ACTION_ITEM_NOT_FOUND', `incident ${id} has no action item ${itemId}`);
      const next = { status: body.status ?? item.status, owner: body.owner ?? item.owner, dueDate: body.dueDate ?? item.dueDate };
      const changed = (['status', 'owner', 'dueDate'] as const).filter((k) => next[k] !== item[k]);
      if (changed.length === 0) return item;
      const event = this.emit(incident, 'incident.action_item.updated', { itemId, ...next, changed, by: body.by ?? 'user' });
      return { ...item, ...next, updatedAtMs: event.timeMs };
    });
  }

  /**
   * Records a mitigation action; a rollback is carried out through the injected {@link Mitigator} first and
   * recorded with its outcome (a failed rollback is recorded, not thrown). Only open incidents take actions.
   * @throws ConflictError when the incident is closed; UnavailableError when a rollback has no mitigator
   */
  async recordAction(id: number, request: ActionRequest): Promise<IncidentActionDto> {
    const incident = this.o.store.get(id);
    if (!isOpen(incident.state)) throw new ConflictError('SLW_ERR_INCIDENT_INVALID_STATE', `cannot record an action on incident ${id}: it is ${incident.state}; actions are for open incidents`);
    const by = request.by ?? 'user';
    let outcome: { ok: boolean; message: string };
    if (request.kind === 'rollback') {
      if (this.o.mitigator === undefined) throw new UnavailableError('SLW_ERR_INCIDENT_MITIGATOR_UNAVAILABLE', `cannot roll back deployment ${request.deploymentId}: no deployment engine is connected`, { retryable: false });
      try {
        outcome = await this.o.mitigator.rollback(request.deploymentId);
      } catch (err) {
        outcome = { ok: false, message: (err as Error).message };
      }
    } else {
      outcome = { ok: true, message: request.description };
    }
    const data = { kind: request.kind, ...(request.kind === 'rollback' ? { deploymentId: request.deploymentId } : { description: request.description }), ok: outcome.ok, message: outcome.message, by };
    const event = this.emit(incident, 'incident.action.recorded', data);
    return actionsOf([event])[0]!;
  }

  /** The stored postmortem, or a generated draft when none was written. */
  postmortem(id: number): PostmortemDto {
    const incident = this.o.store.get(id);
    const stored = this.o.store.postmortem(id);
    if (stored !== undefined) return { incidentId: id, markdown: stored.markdown, draft: false, updatedAtMs: stored.updatedAtMs };
    return { incidentId: id, markdown: this.draftPostmortem(incident), draft: true, updatedAtMs: null };
  }

  /** A generated postmortem draft. */
  draftPostmortem(incident: Incident): string {
    const own = readEvents(this.o.events, { subject: incidentSubject(incident.id) });
    const analysis = this.cause(incident);
    const impact = measureImpact(incident, this.o.metrics, this.o.clock.now(), analysis.impact);
    return renderPostmortem({ incident, timeline: this.timeline(incident, own, analysis.verdict.cause ?? null), impact, actions: actionsOf(own), actionItems: actionItemsOf(own), notes: notesOf(own), chain: analysis.chain, alsoChanged: analysis.verdict.alsoChanged });
  }

  /** Stores a postmortem; a Resolved incident becomes PostmortemDone. */
  writePostmortem(id: number, markdown: string, author = 'user'): PostmortemDto {
    return this.o.store.transaction(() => {
      const incident = this.o.store.get(id);
      const now = this.o.clock.now();
      this.o.store.savePostmortem(id, markdown, now);
      const next = incident.state === 'Resolved' ? this.o.store.update({ ...incident, state: 'PostmortemDone', postmortemAtMs: now, updatedAtMs: now }) : incident;
      this.emit(next, 'incident.postmortem.written', { author, markdown });
      return { incidentId: id, markdown, draft: false, updatedAtMs: now };
    });
  }

  /** Appends an event about an incident, with the fields every incident event carries. */
  emit<T extends IncidentEventType>(incident: Incident, type: T, extra: IncidentEventExtra<T>): SlipwayEvent {
    return this.o.events.append({
      type,
      subject: incidentSubject(incident.id),
      data: {
        incidentId: incident.id,
        title: incident.title,
        severity: incident.severity,
        state: incident.state,
        source: incident.source,
        alarm: incident.alarm,
        service: incident.service,
        environment: incident.environment,
        deploymentId: incident.deploymentId,
        assignee: incident.assignee,
        triggeredAtMs: incident.triggeredAtMs,
        resolvedAtMs: incident.resolvedAtMs,
        ...extra,
      } as EventPayloads[T],
    });
  }
}

/** The API form of an incident. */
export function toDto(i: Incident): IncidentDto {
  return {
    id: i.id,
    title: i.title,
    severity: i.severity,
    state: i.state,
    source: i.source,
    alarm: i.alarm,
    alarmState: i.alarmState,
    service: i.service,
    environment: i.environment,
    deploymentId: i.deploymentId,
    assignee: i.assignee,
    triggeredAtMs: i.triggeredAtMs,
    acknowledgedAtMs: i.acknowledgedAtMs,
    mitigatedAtMs: i.mitigatedAtMs,
    resolvedAtMs: i.resolvedAtMs,
    postmortemAtMs: i.postmortemAtMs,
    postmortemDueAtMs: i.resolvedAtMs === null ? null : postmortemDueAtMs(i.resolvedAtMs),
  };
}
