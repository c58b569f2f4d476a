import { z } from 'zod';

/** Incident states, in lifecycle order: `Triggered → Acknowledged → Mitigated → Resolved → PostmortemDone`. */
export const INCIDENT_STATES = ['Triggered', 'Acknowledged', 'Mitigated', 'Resolved', 'PostmortemDone'] as const;

/** An incident state. */
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** Severities, most severe first. */
export const INCIDENT_SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;

/** An incident severity. */
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

const name = z.string().min(1).max(63);
const person = z.string().min(1).max(200);

/** Path parameters naming an incident. */
export const incidentParamsSchema = z.strictObject({
  id: z.coerce.number().int().min(1),
});

/** Query string of `GET /api/v1/incidents`. */
export const listIncidentsQuerySchema = z.strictObject({
  state: z.enum(INCIDENT_STATES).optional(),
  service: name.optional(),
  /** Only Triggered, Acknowledged and Mitigated incidents. */
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** @default 100 */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Body of `POST /api/v1/incidents` (an incident opened by hand). */
export const openIncidentBodySchema = z.strictObject({
  title: z.string().min(1).max(200),
  /** @default 'SEV3' */
  severity: z.enum(INCIDENT_SEVERITIES).optional(),
  service: name.optional(),
  environment: name.optional(),
  assignee: person.optional(),
  /** The deployment believed to have caused it. */
  deploymentId: z.number().int().min(1).optional(),
  /** Free text, recorded as the first note. */
  description: z.string().min(1).max(10_000).optional(),
});

/** Body of `POST /api/v1/incidents/:id/{ack,mitigate,resolve}` (all fields optional). */
export const incidentTransitionBodySchema = z
  .strictObject({
    /** Who does it; on `ack` it also becomes the assignee when none is set. */
    by: person.optional(),
    /** Sets the assignee. */
    assignee: person.optional(),
    /** Why, recorded with the event. */
    reason: z.string().min(1).max(2000).optional(),
  })
  .optional();

/** Body of `POST /api/v1/incidents/:id/assign`. */
export const assignIncidentBodySchema = z.strictObject({ assignee: person, by: person.optional() });

/** Body of `POST /api/v1/incidents/:id/notes`. */
export const incidentNoteBodySchema = z.strictObject({
  text: z.string().min(1).max(10_000),
  author: person.optional(),
});

/** Body of `POST /api/v1/incidents/:id/actions`: a mitigation action. */
export const incidentActionBodySchema = z.discriminatedUnion('kind', [
  /** Roll a deployment back through the deployment engine, and record it. */
  z.strictObject({ kind: z.literal('rollback'), deploymentId: z.coerce.number().int().min(1), by: person.optional() }),
  /** Record something done by hand (a restart, a config change, a flag flip). */
  z.strictObject({ kind: z.literal('manual'), description: z.string().min(1).max(2000), by: person.optional() }),
]);

/** Body of `PUT /api/v1/incidents/:id/postmortem`. */
export const postmortemBodySchema = z.strictObject({
  markdown: z.string().min(1).max(500_000),
  author: person.optional(),
});

/** Statuses of a postmortem action item: `Open → InProgress → Done` (and back, when work reopens). */
export const ACTION_ITEM_STATUSES = ['Open', 'InProgress', 'Done'] as const;

/** An action item's status. */
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/** A calendar date `YYYY-MM-DD` that exists (`2026-02-30` is refused). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'no such date');

/** Path parameters naming an action item of an incident. */
export const actionItemParamsSchema = z.strictObject({
  id: z.coerce.number().int().min(1),
  itemId: z.coerce.number().int().min(1),
});

/** Body of `POST /api/v1/incidents/:id/action-items`: a follow-up with an owner and a due date. */
export const addActionItemBodySchema = z.strictObject({
  /** What is to be done. */
  text: z.string().trim().min(1).max(2000),
  /** Who sees it done. */
  owner: person,
  /** When it is due, `YYYY-MM-DD`. */
  dueDate: isoDate,
  /** @default 'Open' */
  status: z.enum(ACTION_ITEM_STATUSES).optional(),
  /** Who records it. @default 'user' */
  by: person.optional(),
});

/** Body of `PATCH /api/v1/incidents/:id/action-items/:itemId`: the fields to change (at least one). */
export const updateActionItemBodySchema = z
  .strictObject({
    status: z.enum(ACTION_ITEM_STATUSES).optional(),
    owner: person.optional(),
    dueDate: isoDate.optional(),
    /** Who changes it. @default 'user' */
    by: person.optional(),
  })
  .refine((b) => b.status !== undefined || b.owner !== undefined || b.dueDate !== undefined, { message: 'give at least one of status, owner, dueDate' });

/** Parsed form of {@link addActionItemBodySchema}. */
export type AddActionItemBody = z.output<typeof addActionItemBodySchema>;
/** Parsed form of {@link updateActionItemBodySchema}. */
export type UpdateActionItemBody = z.output<typeof updateActionItemBodySchema>;

/** Parsed form of {@link openIncidentBodySchema}. */
export type OpenIncidentBody = z.output<typeof openIncidentBodySchema>;
/** Parsed form of {@link incidentActionBodySchema}. */
export type IncidentActionBody = z.output<typeof incidentActionBodySchema>;

/** An incident as the API returns it. */
export interface IncidentDto {
  readonly id: number;
  readonly title: string;
  readonly severity: IncidentSeverity;
  readonly state: IncidentState;
  /** How it was opened. */
  readonly source: 'alarm' | 'manual';
  readonly alarm: string | null;
  /** The alarm's last known state (an incident is not resolved when its alarm returns to OK). */
  readonly alarmState: string | null;
  readonly service: string | null;
  readonly environment: string | null;
  /** The deployment the alarm named, or the one inferred as the likely cause when it opened. */
  readonly deploymentId: number | null;
  readonly assignee: string | null;
  readonly triggeredAtMs: number;
  readonly acknowledgedAtMs: number | null;
  readonly mitigatedAtMs: number | null;
  readonly resolvedAtMs: number | null;
  readonly postmortemAtMs: number | null;
  /** When the postmortem is due: five business days after the resolution (`postmortemDueAtMs`); null while open. */
  readonly postmortemDueAtMs: number | null;
}

/** One entry of an incident's timeline, reconstructed from the event log. */
export interface TimelineEntryDto {
  readonly seq: number;
  readonly timeMs: number;
  readonly type: string;
  readonly subject: string;
  /** One human line. */
  readonly summary: string;
  readonly service?: string;
  readonly environment?: string;
  /** Set on the events of the change named as the likely cause. */
  readonly likelyCause?: true;
  /** Why it is a likely cause. */
  readonly likelyCauseReason?: string;
}

/** A note, from an `incident.note.added` event. */
export interface IncidentNoteDto {
  readonly seq: number;
  readonly timeMs: number;
  readonly text: string;
  readonly author: string;
}

/** A mitigation action, from an `incident.action.recorded` event. */
export interface IncidentActionDto {
  readonly seq: number;
  readonly timeMs: number;
  readonly kind: 'rollback' | 'manual';
  readonly deploymentId?: number;
  readonly description?: string;
  readonly ok: boolean;
  readonly message: string;
  readonly by: string;
}

/** A postmortem action item, folded from its `incident.action_item.*` events. */
export interface ActionItemDto {
  /** Its number within the incident, from 1. */
  readonly itemId: number;
  readonly text: string;
  readonly owner: string;
  /** `YYYY-MM-DD`. */
  readonly dueDate: string;
  readonly status: ActionItemStatus;
  readonly createdBy: string;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** `GET /api/v1/incidents/:id/action-items`. */
export interface ActionItemListDto {
  readonly actionItems: readonly ActionItemDto[];
}

/** The links of a causal chain, in causal order. */
export const CAUSAL_LINK_KINDS = ['commit', 'artifact', 'deployment', 'alarm', 'rollback', 'incident'] as const;

/** A kind of causal link. */
export type CausalLinkKind = (typeof CAUSAL_LINK_KINDS)[number];

/**
 * One link of an incident's causal chain — commit → artifact → deployment step → alarm → rollback →
 * incident — with the event that shows it; links the event log has no fact for are left out.
 */
export interface CausalLinkDto {
  readonly kind: CausalLinkKind;
  /** One human line, e.g. `commit 1a2b3c4d5e6f "add reviews" on main (pipeline run 4)`. */
  readonly summary: string;
  /** The event that shows the link (a timeline entry when it falls in the timeline's span). */
  readonly seq: number;
  readonly timeMs: number;
  /** The event's subject, e.g. `pipeline-run/4`, `deployment/7`. */
  readonly subject: string;
}

/** Kinds of change an incident's cause can be: a deployment, or a flag change (a flag rollout, or a change applied at once). Configuration changes are to come. */
export const CHANGE_KINDS = ['deployment', 'flag'] as const;

/** A kind of change. */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Rules that name a likely cause, strongest first (docs/incidents.md). */
export const CAUSE_RULES = ['rolled-back-by-alarm', 'named-by-alarm', 'named-by-hand', 'in-flight', 'latest-of-service', 'latest-in-environment'] as const;

/** Which rule named a likely cause; `latest-in-environment` is a guess by proximity, the others are facts. */
export type CauseRule = (typeof CAUSE_RULES)[number];

/** A change to what serves traffic, as the event log tells it. */
export interface ChangeDto {
  readonly kind: ChangeKind;
  /** Its event subject, e.g. `deployment/14`. */
  readonly ref: string;
  /** For `kind: 'deployment'`; null for a flag change. */
  readonly deploymentId: number | null;
  /** The deployed service; null for a flag change. */
  readonly service: string | null;
  /** For `kind: 'flag'`: the flag's key. @default absent for a deployment */
  readonly flagKey?: string;
  /** For a flag rollout: its id (`GET /api/v1/flag-rollouts/:id`). @default absent */
  readonly rolloutId?: number;
  readonly environment: string;
  readonly fromRevision: string | null;
  readonly toRevision: string | null;
  readonly startedAtMs: number;
  /** Null while under way. */
  readonly endedAtMs: number | null;
  /** One human line. */
  readonly summary: string;
}

/** The change the facts name as an incident's cause. */
export interface LikelyCauseDto extends ChangeDto {
  readonly rule: CauseRule;
  /** Which facts named it. */
  readonly reason: string;
}

/** Another change around the trigger: listed, not blamed. */
export interface AlsoChangedDto extends ChangeDto {
  /** In the environment of the cause (or the alarm). */
  readonly sameEnvironment: boolean;
  /** Its start relative to the trigger: positive before, negative after. */
  readonly beforeTriggerMs: number;
}

/** `GET /api/v1/incidents/:id`: the incident, its timeline, notes and actions. */
export interface IncidentDetailDto extends IncidentDto {
  readonly timeline: readonly TimelineEntryDto[];
  readonly notes: readonly IncidentNoteDto[];
  readonly actions: readonly IncidentActionDto[];
  /** Follow-ups with owner, due date and status, oldest first. */
  readonly actionItems: readonly ActionItemDto[];
  /** From the commit to this incident, the links the event log shows (empty without a likely cause). */
  readonly causalChain: readonly CausalLinkDto[];
  /** The change the facts name as the cause; null when the event log names none. */
  readonly likelyCause: LikelyCauseDto | null;
  /** The other changes around the trigger, same environment first, then closest in time. */
  readonly alsoChanged: readonly AlsoChangedDto[];
  /** Paging the on-call for it (docs/oncall.md); null when nobody was paged. */
  readonly escalation: EscalationDto | null;
}

/** An incident's escalation as the event log records it. */
export interface EscalationDto {
  readonly policy: string;
  /** Pages sent so far. */
  readonly pages: number;
  /** The level of the last page (1-based). */
  readonly level: number;
  /** Who the last page reached: users (through their contacts) and topics. */
  readonly users: readonly string[];
  readonly topics: readonly string[];
  readonly lastPagedAtMs: number;
  /** When the next level is paged unless someone acknowledges; null when none follows or it ended. */
  readonly nextEscalationAtMs: number | null;
  /** Why it ended (acknowledged, mitigated, resolved, exhausted, policy_removed); null while it runs. */
  readonly ended: string | null;
}

/** `GET /api/v1/incidents/:id/postmortem`. */
export interface PostmortemDto {
  readonly incidentId: number;
  readonly markdown: string;
  /** True when nothing was written yet and this is the generated draft. */
  readonly draft: boolean;
  readonly updatedAtMs: number | null;
}
