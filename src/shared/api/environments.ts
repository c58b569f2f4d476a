import { z } from 'zod';

/** Body of `POST /api/v1/environments/:environment/services/:service/revisions`. */
export const startRevisionBodySchema = z.strictObject({
  /** Revision id: a commit sha, an artifact digest prefix, a label. */
  revision: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores'),
  /** Absolute path of the directory holding the app. */
  sourceDir: z.string().startsWith('/', 'must be an absolute path'),
  /** Tasks to run. @default the service's scaling.min */
  desiredCount: z.number().int().min(0).max(100).optional(),
});

/** Body of `PUT /api/v1/environments/:environment/services/:service/traffic`. */
export const setTrafficBodySchema = z.strictObject({
  /** Share of traffic per revision, integers summing to 100. */
  weights: z.record(z.string(), z.number().int().min(0).max(100)),
});

/** Body of `PUT /api/v1/environments/:environment/services/:service/revisions/:revision/scale`: a manual scale (drift, unless the model says so). */
export const scaleRevisionBodySchema = z.strictObject({
  /** Tasks the revision runs. */
  desiredCount: z.number().int().min(0).max(100),
});

/** Path parameters naming a service in an environment. */
export const serviceParamsSchema = z.strictObject({
  environment: z.string().min(1).max(63),
  service: z.string().min(1).max(63),
  revision: z.string().min(1).max(64).optional(),
});
