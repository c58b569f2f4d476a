import { z } from 'zod';
import { parseInput } from '../shared/index.js';
import type { TaskSetSpec } from './model.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const got = (input: unknown) => `(got ${JSON.stringify(input)})`;
const int = (min: number) => z.number({ error: (i) => `must be an integer >= ${min} ${got(i.input)}` }).int({ error: (i) => `must be an integer >= ${min} ${got(i.input)}` }).min(min, { error: (i) => `must be an integer >= ${min} ${got(i.input)}` });
const positive = z.number({ error: (i) => `must be a number > 0 ${got(i.input)}` }).gt(0, { error: (i) => `must be a number > 0 ${got(i.input)}` });
const name = z.string({ error: (i) => `must match ${NAME} ${got(i.input)}` }).regex(NAME, { error: (i) => `must match ${NAME} ${got(i.input)}` });
const envName = z.string().regex(ENV_NAME, { error: (i) => `must be a variable name ${got(i.input)}` });

// Every field is required: the defaults live where the options are declared (the app model in
// src/shared compiles them into a ResolvedService); the runtime checks, it never fills in.
const healthSchema = z.strictObject({
  path: z.string({ error: (i) => `must start with "/" ${got(i.input)}` }).startsWith('/', { error: (i) => `must start with "/" ${got(i.input)}` }),
  intervalMs: int(10),
  timeoutMs: int(1),
  healthyThreshold: int(1),
  unhealthyThreshold: int(1),
  gracePeriodMs: int(0),
});

const scalingSchema = z
  .strictObject({
    min: int(0),
    max: int(1),
    targetCpuPercent: positive.optional(),
    targetRequestsPerTask: positive.optional(),
    scaleInCooldownMs: int(0),
    scaleOutCooldownMs: int(0),
  })
  .check((ctx) => {
    const s = ctx.value;
    if (s.max < s.min) ctx.issues.push({ code: 'custom', message: `must be >= min (${s.min}) ${got(s.max)}`, input: s.max, path: ['max'] });
    if (s.targetCpuPercent === undefined && s.targetRequestsPerTask === undefined) {
      ctx.issues.push({ code: 'custom', message: 'needs targetCpuPercent or targetRequestsPerTask', input: s });
    }
  });

const containerSchema = z.strictObject({
  image: z.string({ error: 'must be an image reference' }).min(1, { error: 'must be an image reference' }),
  engine: z.strictObject({ command: z.string().min(1, { error: 'must be the engine command' }), globalArgs: z.array(z.string()), runArgs: z.array(z.string()) }),
  app: name.optional(),
  cpus: positive.optional(),
  memoryMiB: int(4).optional(),
  unappliedLimits: z.strictObject({ cpus: positive.optional(), memoryMiB: int(4).optional(), reason: z.string() }).optional(),
});

/** The shape of a {@link TaskSetSpec}: every field required, nothing defaulted. */
export const taskSetSpecSchema: z.ZodType<TaskSetSpec> = z.strictObject({
  environment: name,
  service: name,
  revision: name,
  command: z.string({ error: 'must be a non-empty shell command' }).refine((c) => c.trim() !== '', { error: 'must be a non-empty shell command' }),
  cwd: z.string({ error: 'must be a directory path' }).min(1, { error: 'must be a directory path' }),
  env: z.record(envName, z.string({ error: 'must be a string' })),
  desiredCount: int(0),
  portEnv: envName,
  health: healthSchema,
  drainMs: int(0),
  stopTimeoutMs: int(0),
  scaling: scalingSchema.optional(),
  secrets: z.record(envName, int(1)).optional(),
  container: containerSchema.optional(),
});

/**
 * Validates a task set spec (the supervisor's boundary) and returns a frozen copy. Nothing is
 * defaulted: callers build specs from the compiled app model. Throws an `InputError`
 * (`SLW_ERR_RUNTIME_SPEC_INVALID`) listing every problem with its path.
 */
export function parseTaskSetSpec(spec: unknown): TaskSetSpec {
  const parsed = parseInput(taskSetSpecSchema, spec, '', 'SLW_ERR_RUNTIME_SPEC_INVALID');
  return Object.freeze({
    ...parsed,
    env: Object.freeze({ ...parsed.env }),
    health: Object.freeze({ ...parsed.health }),
    ...(parsed.scaling ? { scaling: Object.freeze({ ...parsed.scaling }) } : {}),
    ...(parsed.secrets && Object.keys(parsed.secrets).length > 0 ? { secrets: Object.freeze({ ...parsed.secrets }) } : {}),
    ...(parsed.container ? { container: Object.freeze({ ...parsed.container, engine: Object.freeze({ ...parsed.container.engine }) }) } : {}),
  });
}
