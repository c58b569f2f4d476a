import type { z } from 'zod';
import { alarmSchema } from './alarm.js';
import { environmentSchema } from './environment.js';
import { experimentSchema } from './experiment.js';
import { artifactsSchema, dashboardSchema } from './extras.js';
import { flagSchema, segmentSchema } from './flag.js';
import { pipelineSchema } from './pipeline.js';
import { dnsNameSchema, keyedRecord, namedRecord, strict } from './primitives.js';
import { serviceSchema } from './service.js';
import { telemetrySchema } from './telemetry.js';
import { topicSchema } from './notification.js';
import { oncallSchema } from './oncall.js';

const FLAG_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The schema of an app definition (`slipway.config.ts`). Objects are strict: an unknown
 * key is an error, so that a typo never passes silently. References between parts
 * (an alarm named by an environment, a service named by an env value) are checked
 * afterwards by `validateApp`.
 */
export const appDefinitionSchema = strict({
  /** Name of the application (DNS-safe). */
  name: dnsNameSchema,
  /** The services, by name (DNS-safe). */
  services: namedRecord(serviceSchema),
  /** The environments, by name (DNS-safe). */
  environments: namedRecord(environmentSchema),
  /** The pipeline from commit to production. @default no pipeline (deploy with `slipway deploy`) */
  pipeline: pipelineSchema.optional(),
  /** Alarms, by name (DNS-safe). @default {} */
  alarms: namedRecord(alarmSchema).optional(),
  /** Notification topics, by name, each with its subscriptions. @default {} */
  notifications: keyedRecord(topicSchema, TOPIC_NAME, 'use letters, digits, _ and -').optional(),
  /** Feature flags, by key. @default {} */
  flags: keyedRecord(flagSchema, FLAG_KEY, 'start with a letter; use letters, digits, _ . and -').optional(),
  /** Named segments that flag rules refer to (`segment: 'beta'`), by name. @default {} */
  segments: keyedRecord(segmentSchema, FLAG_KEY, 'start with a letter; use letters, digits, _ . and -').optional(),
  /** A/B experiments on flags, by name (DNS-safe). @default {} */
  experiments: namedRecord(experimentSchema).optional(),
  /** Lifecycle of the artifact store. @default { keepLast: 10, expireUntaggedAfter: "7d" } */
  artifacts: artifactsSchema.optional(),
  /** Dashboards, by name (DNS-safe). @default {} */
  dashboards: namedRecord(dashboardSchema).optional(),
  /** Who may send telemetry to the local receivers. @default { allowUnauthenticated: false } */
  telemetry: telemetrySchema.optional(),
  /** On-call: users and how they are reached, schedules, escalation policies, the policy per severity. @default nobody is paged */
  oncall: oncallSchema.optional(),
});

/** An app definition as users write it in `slipway.config.ts`. */
export type AppDefinition = z.input<typeof appDefinitionSchema>;
/** An app definition that passed the schema (before references are checked and defaults filled). */
export type ParsedAppDefinition = z.output<typeof appDefinitionSchema>;
