import { z } from 'zod';
import { count, dispatch, durationSchema, isRecord, strict, uniqueStrings } from './primitives.js';
import { quoteList } from '../names.js';

const PIPELINE_NAME = /^[A-Za-z0-9.@_-]{1,100}$/;

/** A stage or action name: letters, digits and `.@_-`, at most 100 characters (as in CodePipeline). */
export const pipelineNameSchema = z.string().regex(PIPELINE_NAME, {
  error: (i) => `"${String(i.input)}" is not a valid name: use letters, digits and . @ _ -, at most 100 characters`,
});

const common = {
  /** Name, unique within the stage. @default the action's type (deploy: `deploy-<environment>`) */
  name: pipelineNameSchema.optional(),
  /** Actions with the same runOrder run in parallel, lower first. @default 1 */
  runOrder: z.number().int().min(1).max(999).optional(),
  /** Time after which the action fails. @default build 1h, image 30m, scan 10m, analyze 10m, plan 5m, deploy 1h, invoke 5m, loadtest 10m, approval 7d */
  timeout: durationSchema.optional(),
};
const retries = {
  /** Times a failed action is tried again. @default 0 */
  retries: count(0).max(10).optional(),
};

/** Runs a CodeBuild buildspec in a fresh workspace. */
export const buildActionSchema = strict({ type: z.literal('build'), ...common, ...retries,
  /** The buildspec file, relative to the repository root. @default "buildspec.yml" */
  buildspec: z.string().min(1).optional(),
  /**
   * Where the buildspec's `env.exported-variables` go: later actions read `#{<namespace>.VAR}`,
   * as with a CodePipeline action's `namespace`. Unique in the pipeline. @default the action's name
   */
  namespace: z.string().regex(/^[A-Za-z0-9@_-]{1,100}$/, { error: (i) => `"${String(i.input)}" is not a valid namespace: use letters, digits and @ _ -, at most 100 characters` }).optional(),
  /**
   * Fails the action when the line coverage of a code-coverage report group of the buildspec
   * (`reports` with a coverage `file-format`) is below this percentage, or when there is none.
   * @default no minimum
   */
  minLineCoverage: z.number().min(0).max(100).optional(),
});
/** Scans the build artifact for secrets and vulnerable dependencies. */
export const scanActionSchema = strict({ type: z.literal('scan'), ...common, ...retries,
  /** Lowest severity that fails the action. @default "high" */
  failOn: z.enum(['low', 'medium', 'high', 'critical']).optional(),
});
/**
 * Builds each named service's image from its Dockerfile (`image:` of the service), scans it (secrets in
 * every layer, the dependency audit over its lockfiles, a CycloneDX SBOM) and pushes it to the service's
 * repository of the local registry by tag (the revision) and digest. The digests are the run's images:
 * deploy actions after it run exactly them.
 */
export const imageActionSchema = strict({ type: z.literal('image'), ...common, ...retries,
  /** The services whose images are built (names in `services`, each with an `image`). @default every service with an `image` */
  services: uniqueStrings(z.string().min(1), 'service').min(1).optional(),
  /** Lowest severity of a finding (a secret in a layer, a vulnerable dependency) that fails the action and keeps the image out of the registry. @default "high" */
  failOn: z.enum(['low', 'medium', 'high', 'critical']).optional(),
});
/** Waits for someone to approve or reject. */
export const approvalActionSchema = strict({ type: z.literal('approval'), ...common });
/** Deploys the run's artifact to an environment with the environment's strategy. */
export const deployActionSchema = strict({ type: z.literal('deploy'), ...common, ...retries,
  /** The environment (a name in `environments`). */
  environment: z.string(),
  /** The service to deploy (a name in `services`). @default every service */
  service: z.string().optional(),
});
/** Runs a command, e.g. a smoke test against staging. */
export const invokeActionSchema = strict({ type: z.literal('invoke'), ...common, ...retries,
  /** Command run in the repository root; exit 0 passes. */
  command: z.string().min(1),
});

/** The hard limits of a load test, whatever its definition asks. */
export const LOAD_TEST_LIMITS = {
  /** Longest load: five minutes. */
  maxDurationMs: 300_000,
  /** Most requests in flight at once. */
  maxConcurrency: 256,
  /** Highest request rate, per second. */
  maxRatePerSecond: 5_000,
  /** Most requests in one load test. */
  maxRequests: 1_000_000,
} as const;

/**
 * Where a load test sends its requests: an environment's ingress, through slipway's router. Either
 * `environment` (with a `service` whose ingress prefix is the path, or a `path`), or the `url` of one
 * of the app's own ingresses (`http://127.0.0.1:<ingressPort>/...`). Any other address is refused.
 * @example { environment: 'staging', path: '/api/products' }
 */
export const loadTargetSchema = strict({
  /** The environment (a name in `environments`) whose ingress is loaded. */
  environment: z.string().optional(),
  /** A service (a name in `services`, with an `ingress`): the path is its ingress prefix. */
  service: z.string().optional(),
  /** The path (and query) requested on the ingress; it must route to a service. @default the service's prefix, else "/" */
  path: z.string().startsWith('/', { error: (i) => `expected a path starting with "/", got ${JSON.stringify(i.input)}` }).optional(),
  /** Instead of `environment`: the URL of an ingress of the app, `http://127.0.0.1:<ingressPort><path>` (loopback, an environment's ingress port). */
  url: z.string().optional(),
});

/**
 * Limits the measured figures of a load test must stay within (as k6's thresholds); each one breached
 * fails the action. At least one.
 */
export const loadThresholdsSchema = strict({
  /** Highest median latency, ms. */
  p50Ms: z.number().positive().optional(),
  /** Highest 90th-percentile latency, ms. */
  p90Ms: z.number().positive().optional(),
  /** Highest 95th-percentile latency, ms. */
  p95Ms: z.number().positive().optional(),
  /** Highest 99th-percentile latency, ms. */
  p99Ms: z.number().positive().optional(),
  /** Highest single latency, ms. */
  maxMs: z.number().positive().optional(),
  /** Highest share of failed requests (an answer outside 200–399, a timeout, a refused connection), 0 to 1. */
  errorRate: z.number().min(0).max(1).optional(),
  /** Fewest requests that must have been made for the figures to count. */
  minRequests: count(1).optional(),
}).refine((t) => Object.values(t).some((v) => v !== undefined), { error: 'give at least one threshold: p50Ms, p90Ms, p95Ms, p99Ms, maxMs, errorRate or minRequests' });

/** The methods a load test may send. */
export const LOAD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Sends a bounded load to the environment just deployed, through its ingress, and fails when a
 * threshold is breached (as a CodePipeline test action fails its stage). The figures (requests,
 * errors by status, p50/p90/p95/p99/max latency, rate) are the action's output.
 * @example { type: 'loadtest', target: { environment: 'staging' }, duration: '10s', concurrency: 8, thresholds: { p99Ms: 250, errorRate: 0.01 } }
 */
export const loadTestActionSchema = strict({ type: z.literal('loadtest'), ...common, ...retries,
  /** Where the requests go. */
  target: loadTargetSchema,
  /** The limits the figures must stay within. */
  thresholds: loadThresholdsSchema,
  /** How long the load lasts, at most 5m. @default "10s" */
  duration: durationSchema.optional(),
  /** Requests in flight at once, at most 256. @default 8 */
  concurrency: z.number().int().min(1).max(LOAD_TEST_LIMITS.maxConcurrency).optional(),
  /** Requests per second, across all connections, at most 5000. @default as fast as `concurrency` allows */
  ratePerSecond: z.number().positive().max(LOAD_TEST_LIMITS.maxRatePerSecond).optional(),
  /** Stop after this many requests, at most 1,000,000 (the load also stops at `duration`). @default 1000000 */
  requests: z.number().int().min(1).max(LOAD_TEST_LIMITS.maxRequests).optional(),
  /** The method. @default "GET" */
  method: z.enum(LOAD_METHODS).optional(),
  /** Request headers (e.g. `content-type`). @default {} */
  headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: (i) => `"${String(i.input)}" is not a valid header name` }), z.string()).optional(),
  /** The request body (for POST, PUT, PATCH). @default none */
  body: z.string().optional(),
  /** One request's time limit: past it, the request counts as an error. @default "10s" */
  requestTimeout: durationSchema.optional(),
});

/** The SARIF levels, most severe first. */
export const SARIF_LEVELS = ['error', 'warning', 'note'] as const;

/**
 * Static analysis: ESLint with a security rule set over the commit (the default), or any `command`
 * that writes a SARIF 2.1.0 log to `sarif`. Findings at or above `failOn` fail the action; all of
 * them are stored with the run.
 * @example { type: 'analyze' } | { type: 'analyze', command: 'semgrep --sarif -o out.sarif .', sarif: 'out.sarif', failOn: 'warning' }
 */
export const analyzeActionSchema = strict({ type: z.literal('analyze'), ...common, ...retries,
  /** A command (run in the checkout's root, as an invoke action's) that writes SARIF to `sarif`. @default none: ESLint with the security rule set */
  command: z.string().min(1).optional(),
  /** The SARIF file the command writes, relative to the checkout's root. Required with `command`. */
  sarif: z.string().min(1).optional(),
  /** Files or globs ESLint lints (without `command`), relative to the checkout's root. @default ["."] */
  paths: z.array(z.string().min(1)).min(1).optional(),
  /** Lowest level of a finding that fails the action. @default "error" */
  failOn: z.enum(SARIF_LEVELS).optional(),
});

/**
 * Plans the commit's app model against the live system (as `slipway plan`): the change set is the
 * action's output and the run's plan; an invalid model fails it with `slipway validate`'s messages.
 * Deploy actions after it apply exactly that plan (refused if the live state changed meanwhile).
 */
export const planActionSchema = strict({ type: z.literal('plan'), ...common,
  /** Succeed on a plan that removes every environment or service, or renames a service. @default false */
  allowDestroy: z.boolean().optional(),
});

/** The action types, in the order users usually meet them. */
export const ACTION_TYPES = ['build', 'image', 'scan', 'analyze', 'plan', 'approval', 'deploy', 'invoke', 'loadtest'] as const;
const actionSchemas = {
  build: buildActionSchema,
  image: imageActionSchema,
  scan: scanActionSchema,
  analyze: analyzeActionSchema,
  plan: planActionSchema,
  approval: approvalActionSchema,
  deploy: deployActionSchema,
  invoke: invokeActionSchema,
  loadtest: loadTestActionSchema,
};

/** One action of a stage, chosen by `type`. */
export const actionSchema = dispatch<(typeof actionSchemas)[keyof typeof actionSchemas]>((input) => {
  const type = isRecord(input) ? input.type : undefined;
  if (typeof type === 'string' && Object.hasOwn(actionSchemas, type)) return actionSchemas[type as keyof typeof actionSchemas];
  return isRecord(input)
    ? `expected an action type of ${quoteList(ACTION_TYPES)}, got ${JSON.stringify(type) ?? 'none'}`
    : `expected an action such as { type: "build" }, got ${JSON.stringify(input)}`;
});

/** A stage of the pipeline: actions run by runOrder; the stage succeeds when all succeed. */
export const stageSchema = strict({
  /** Name, unique within the pipeline. */
  name: pipelineNameSchema,
  /** The actions, at least one. */
  actions: z.array(actionSchema).min(1),
  /** Enter the stage only while none of these alarms is in ALARM; otherwise FAIL (or SKIP) it. */
  beforeEntry: strict({
    /** Alarms (names in `alarms`). */
    alarms: z.array(z.string()).min(1),
    /** What happens when an alarm is in ALARM. @default "FAIL" */
    result: z.enum(['FAIL', 'SKIP']).optional(),
  }).optional(),
  /** What happens when the stage fails. @default { result: "FAIL" } */
  onFailure: strict({
    /** FAIL stops the run; RETRY runs the failed actions again; ROLLBACK redeploys the last successful artifact. @default "FAIL" */
    result: z.enum(['FAIL', 'RETRY', 'ROLLBACK']),
    /** Retries for RETRY. @default 1 */
    retries: count(1).max(10).optional(),
  }).optional(),
});

/** What starts a pipeline run. */
export const triggerSchema = strict({
  /** Branches (glob patterns) whose new commits start a run. @default the preset's branches, else ["main"] */
  branches: uniqueStrings(z.string().min(1), 'branch').optional(),
  /** Tags (glob patterns) whose creation starts a run. @default [] */
  tags: uniqueStrings(z.string().min(1), 'tag').optional(),
  /** trunk: `main`; gitflow: `main`, `develop`, `release/*`, `hotfix/*`. */
  preset: z.enum(['trunk', 'gitflow']).optional(),
  /** How often the repository is polled when no webhook arrives. @default "30s" */
  pollInterval: durationSchema.optional(),
});

/** The pipeline from commit to production. */
export const pipelineSchema = strict({
  /** What starts a run. @default { preset: "trunk" } */
  trigger: triggerSchema.optional(),
  /** How runs that overlap are handled, as in CodePipeline. @default "SUPERSEDED" */
  executionMode: z.enum(['SUPERSEDED', 'QUEUED', 'PARALLEL']).optional(),
  /** The stages, in order; at least one. */
  stages: z.array(stageSchema).min(1),
});

/** A pipeline as written in an app definition. */
export type PipelineDefinition = z.input<typeof pipelineSchema>;
/** An action as written in an app definition. */
export type ActionDefinition = z.input<typeof actionSchema>;
