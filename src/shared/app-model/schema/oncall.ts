import { z } from 'zod';
import { INCIDENT_SEVERITIES } from '../../api/incidents.js';
import { quoteList } from '../names.js';
import { isTimeZone, parseDate, parseTimeOfDay } from '../oncall/zoned-time.js';
import { count, dispatch, durationSchema, isRecord, keyedRecord, namedRecord, strict } from './primitives.js';
import { subscriptionSchema } from './notification.js';

const PERSON = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const TOPIC = /^[A-Za-z0-9_-]{1,256}$/;

/** The rotation types: how long one turn of a layer lasts (times `length`). */
export const ROTATION_TYPES = ['hourly', 'daily', 'weekly'] as const;

const timeZoneSchema = z.string().check((ctx) => {
  if (!isTimeZone(ctx.value)) ctx.issues.push({ code: 'custom', message: `unknown time zone ${JSON.stringify(ctx.value)}: use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"`, input: ctx.value });
});
const handoffSchema = z.string().check((ctx) => {
  if (parseTimeOfDay(ctx.value) === undefined) ctx.issues.push({ code: 'custom', message: `expected a hand-off time HH:MM on a 24-hour clock (e.g. "09:00"), got ${JSON.stringify(ctx.value)}`, input: ctx.value });
});
const dateSchema = z.string().check((ctx) => {
  if (parseDate(ctx.value) === undefined) ctx.issues.push({ code: 'custom', message: `expected a date YYYY-MM-DD (e.g. "2026-01-05"), got ${JSON.stringify(ctx.value)}`, input: ctx.value });
});
// Instants are checked against the schedule's time zone by checkOncall; here only their form.
const dateTimeSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$/, {
  error: (i) => `expected a date and time YYYY-MM-DDTHH:MM, optionally with Z or ±HH:MM (e.g. "2026-03-01T09:00"), got ${JSON.stringify(i.input)}`,
});
const personSchema = z.string().regex(PERSON, { error: (i) => `"${String(i.input)}" is not a valid user name: use letters, digits, _ . and -` });

/**
 * A person who can be on call, and how they are reached.
 * @example { contact: [{ type: 'webhook', url: 'https://pager.example.com/alice' }] }
 */
export const oncallUserSchema = strict({
  /**
   * How pages reach them: the name of a notification topic (in `notifications`), or subscriptions of
   * their own (webhook, Slack, email, file), which receive pages and nothing else.
   */
  contact: z.union([z.string().regex(TOPIC, { error: (i) => `expected a topic name or a list of subscriptions, got ${JSON.stringify(i.input)}` }), z.array(subscriptionSchema).min(1, { error: 'must have at least 1 subscription' })], { error: (i) => `expected a topic name or a list of subscriptions such as [{ type: 'webhook', url: 'https://…' }], got ${JSON.stringify(i.input)}` }),
});

/**
 * One rotation layer of a schedule: members take turns of `length` × `rotation`, handing off at
 * `handoff` (wall-clock time in the schedule's time zone), starting on `start`.
 * @example { members: ['alice', 'bob'], rotation: 'weekly', handoff: '09:00', start: '2026-01-05' }
 */
export const rotationLayerSchema = strict({
  /** Users (names in `oncall.users`), in the order they take turns. At least one. */
  members: z.array(personSchema).min(1, { error: 'a rotation needs at least one member' }),
  /** How long a turn is: an hour, a day or a week (times `length`). @default "weekly" */
  rotation: z.enum(ROTATION_TYPES, { error: (i) => `expected a rotation of ${quoteList(ROTATION_TYPES)}, got ${JSON.stringify(i.input)}` }).optional(),
  /** Turns last this many rotation units (`rotation: 'daily', length: 2`: two days each). @default 1 */
  length: count(1).optional(),
  /** Wall-clock time of each hand-off, HH:MM in the schedule's time zone (DST-aware). @default "09:00" */
  handoff: handoffSchema.optional(),
  /** The date of the first hand-off (YYYY-MM-DD, in the schedule's time zone); weekly turns hand off on its weekday. Nobody is on call in this layer before it. */
  start: dateSchema,
});

/**
 * Someone else on call for a while, over every layer.
 * @example { user: 'carol', start: '2026-03-01T09:00', end: '2026-03-02T09:00' }
 */
export const scheduleOverrideSchema = strict({
  /** Who is on call instead (a name in `oncall.users`). */
  user: personSchema,
  /** From (inclusive): YYYY-MM-DDTHH:MM in the schedule's time zone, or with `Z`/`±HH:MM`. */
  start: dateTimeSchema,
  /** Until (exclusive), same form; after `start`. */
  end: dateTimeSchema,
});

/** A schedule: rotation layers (the last layer with someone on call wins) and overrides (over every layer). */
export const scheduleSchema = strict({
  /** IANA time zone of hand-off times and of dates without an offset. @default "UTC" */
  timeZone: timeZoneSchema.optional(),
  /** The rotation layers, lowest first; a later layer wins where it has someone on call. At least one. */
  layers: z.array(rotationLayerSchema).min(1, { error: 'a schedule needs at least one rotation layer' }),
  /** Overrides; they must not overlap each other. @default [] */
  overrides: z.array(scheduleOverrideSchema).optional(),
});

/** Pages whoever is on call on a schedule at the moment of the page. */
export const scheduleTargetSchema = strict({
  /** A schedule (a name in `oncall.schedules`). */
  schedule: z.string(),
});
/** Pages one user. */
export const userTargetSchema = strict({
  /** A user (a name in `oncall.users`). */
  user: z.string(),
});
/** Posts the page to a notification topic (a team channel). */
export const topicTargetSchema = strict({
  /** A topic (a name in `notifications`). */
  topic: z.string(),
});

const TARGET_KEYS = ['schedule', 'user', 'topic'] as const;

/** Who a level pages: `{ schedule }`, `{ user }` or `{ topic }`. */
export const escalationTargetSchema = dispatch<typeof scheduleTargetSchema | typeof userTargetSchema | typeof topicTargetSchema>((input) => {
  if (isRecord(input)) {
    if ('schedule' in input) return scheduleTargetSchema;
    if ('user' in input) return userTargetSchema;
    if ('topic' in input) return topicTargetSchema;
  }
  return `expected a target with one of ${quoteList(TARGET_KEYS)}, e.g. { schedule: "primary" }`;
});

/** One level of an escalation policy. */
export const escalationLevelSchema = strict({
  /** Who this level pages, all at once. At least one. */
  targets: z.array(escalationTargetSchema).min(1, { error: 'a level needs at least one target' }),
  /** Time without acknowledgement before the next level is paged (or, after the last, the first again when `repeat` allows). @default "30m" */
  escalateAfter: durationSchema.optional(),
});

/**
 * An escalation policy: page level 1; when nobody acknowledges within its `escalateAfter`, page
 * level 2, and so on; after the last level, start over `repeat` more times.
 */
export const escalationPolicySchema = strict({
  /** The levels, in order. At least one. */
  levels: z.array(escalationLevelSchema).min(1, { error: 'an escalation policy needs at least one level' }),
  /** How many more times the whole policy runs after its last level (like PagerDuty's `num_loops`). @default 0 */
  repeat: z.number().int().min(0).max(9).optional(),
});

/**
 * On-call: who is reached, when, and in what order, when an incident opens.
 * @example
 * oncall: {
 *   users: { alice: { contact: 'alice-pager' }, bob: { contact: [{ type: 'webhook', url: 'https://pager.example.com/bob' }] } },
 *   schedules: { primary: { timeZone: 'Europe/Berlin', layers: [{ members: ['alice', 'bob'], rotation: 'weekly', start: '2026-01-05' }] } },
 *   escalationPolicies: { standard: { levels: [{ targets: [{ schedule: 'primary' }], escalateAfter: '10m' }, { targets: [{ user: 'bob' }] }], repeat: 1 } },
 *   policyBySeverity: { SEV1: 'standard', SEV2: 'standard' },
 * }
 */
export const oncallSchema = strict({
  /** The people, by name, with how each is reached. @default {} */
  users: keyedRecord(oncallUserSchema, PERSON, 'use letters, digits, _ . and -').optional(),
  /** Schedules, by name (DNS-safe). @default {} */
  schedules: namedRecord(scheduleSchema).optional(),
  /** Escalation policies, by name (DNS-safe). @default {} */
  escalationPolicies: namedRecord(escalationPolicySchema).optional(),
  /** The policy that pages for each incident severity; an incident of a severity not listed pages nobody. @default {} */
  policyBySeverity: strict(Object.fromEntries(INCIDENT_SEVERITIES.map((s) => [s, z.string().optional()])) as Record<(typeof INCIDENT_SEVERITIES)[number], z.ZodOptional<z.ZodString>>).optional(),
});

/** The `oncall` block as written in an app definition. */
export type OncallDefinition = z.input<typeof oncallSchema>;
