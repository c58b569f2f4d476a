import { z } from 'zod';

/** A revision's share of traffic, by revision: `{ "abc1234": 90, "def5678": 10 }`. */
export const weightsSchema = z.record(z.string(), z.number());

/** An optional field that writers may set to null when it does not apply. */
export const nullableString = z.string().nullable();

/** The fields every `task.*` event carries. */
export const taskFields = {
  /** The task's id. */
  taskId: z.string(),
  environment: z.string(),
  service: z.string(),
  revision: z.string(),
};

/** The key of a service's task set in `service.*` events. */
export const serviceFields = {
  environment: z.string(),
  service: z.string(),
};
