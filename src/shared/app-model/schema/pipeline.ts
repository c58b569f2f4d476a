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
  /** Time after which the action fails. @default build 1h, image 30m, scan 10m, plan 5m, deploy 1h, invoke 5m, approval 7d */
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
export const ACTION_TYPES = ['build', 'image', 'scan', 'plan', 'approval', 'deploy', 'invoke'] as const;
const actionSchemas = { build: buildActionSchema, image: imageActionSchema, scan: scanActionSchema, plan: planActionSchema, approval: approvalActionSchema, deploy: deployActionSchema, invoke: invokeActionSchema };

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
