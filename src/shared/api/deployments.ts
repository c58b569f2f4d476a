import { z } from 'zod';

const revisionId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');

/** Per-deployment analysis settings, over the strategy's own (canary and linear only). */
export const deploymentAnalysisSchema = z.strictObject({
  /** Highest share of 5xx answers of the new revision, in percent. */
  maxErrorRatePercent: z.number().min(0).max(100).optional(),
  /** Highest excess of the new revision's error rate over the stable one's, in percentage points. */
  maxErrorRateIncreasePercent: z.number().min(0).max(100).optional(),
  /** Highest p99 latency of the new revision, in ms. */
  maxLatencyP99Ms: z.number().positive().optional(),
  /** Highest ratio of the new revision's p99 to the stable one's. */
  maxLatencyP99Ratio: z.number().positive().optional(),
  /** Fewer requests to the new revision in a step make the verdict Inconclusive (the deployment pauses). @default 10 */
  minRequestCount: z.number().int().min(0).optional(),
  /** Failed runs tolerated before rolling back. @default 0 */
  failureLimit: z.number().int().min(0).optional(),
  /** Inconclusive runs tolerated before pausing. @default 0 */
  inconclusiveLimit: z.number().int().min(0).optional(),
});

/** Body of `POST /api/v1/deployments`. */
export const createDeploymentBodySchema = z.strictObject({
  service: z.string().min(1).max(63),
  environment: z.string().min(1).max(63),
  /** Revision id: a commit sha, an artifact digest prefix, a label. */
  revision: revisionId,
  /** Absolute path of the directory holding the app (an unpacked artifact). @default the app's directory */
  sourceDir: z.string().startsWith('/', 'must be an absolute path').optional(),
  /** A CodeDeploy configuration name or a strategy object as in the app model. @default the environment's strategy */
  strategy: z.unknown().optional(),
  /**
   * The image the new revision's tasks run, by tag or digest (`127.0.0.1:5000/shop/web@sha256:…`):
   * only for a service with `runtime: 'container'`, e.g. from a build's `imagedefinitions.json`.
   * @default built from the service's Dockerfile in `sourceDir`
   */
  image: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._:/-]*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/, 'must be an image reference such as host:port/repo:tag or repo@sha256:…')
    .max(512)
    .optional(),
  /** Extra environment variables of the new revision's tasks. @default {} */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name'), z.string()).optional(),
  /** Analysis settings (canary and linear strategies). */
  analysis: deploymentAnalysisSchema.optional(),
});

/** Parsed form of {@link createDeploymentBodySchema}. */
export type CreateDeploymentBody = z.output<typeof createDeploymentBodySchema>;

/** Path parameters naming a deployment. */
export const deploymentParamsSchema = z.strictObject({
  id: z.coerce.number().int().min(1),
});

/** The deployment states, as the API reports them. */
export const DEPLOYMENT_STATES = ['Created', 'AwaitingApproval', 'InProgress', 'Baking', 'Paused', 'Succeeded', 'Stopped', 'RolledBack', 'Failed', 'Rejected'] as const;

/** A deployment state. */
export type DeploymentStateName = (typeof DEPLOYMENT_STATES)[number];

/** Body of `POST /api/v1/deployments/:id/approve` and `.../reject`. */
export const deploymentDecisionBodySchema = z.strictObject({
  /** Why; recorded with the decision. */
  comment: z.string().max(2000).optional(),
  /** Who decided. @default "api" */
  by: z.string().min(1).max(200).optional(),
});

/** Parsed form of {@link deploymentDecisionBodySchema}. */
export type DeploymentDecisionBody = z.output<typeof deploymentDecisionBodySchema>;

/** Query string of `GET /api/v1/deployments`. */
export const listDeploymentsQuerySchema = z.strictObject({
  service: z.string().min(1).max(63).optional(),
  environment: z.string().min(1).max(63).optional(),
  state: z.enum(DEPLOYMENT_STATES).optional(),
  /** @default 100 */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
