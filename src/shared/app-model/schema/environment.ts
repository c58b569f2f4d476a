import { z } from 'zod';
import { durationSchema, portSchema, strict, uniqueStrings } from './primitives.js';
import { strategySchema } from './strategy.js';

/** The CodeDeploy lifecycle hooks, in the order they run. */
export const HOOK_NAMES = ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const;

/** A CodeDeploy lifecycle hook name. */
export type HookName = (typeof HOOK_NAMES)[number];

/** A lifecycle hook: a command (exit 0 passes) or a URL (a 2xx answer to a POST passes). */
export const hookSchema = strict({
  /** Command run in the repository root. Give this or `url`. */
  command: z.string().min(1).optional(),
  /** URL to POST the deployment to. Give this or `command`. */
  url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  /** Time after which the hook fails. @default "5m" */
  timeout: durationSchema.optional(),
}).refine((h) => (h.command === undefined) !== (h.url === undefined), { message: 'give either command or url' });

/** Lifecycle hooks by CodeDeploy hook name. */
export const hooksSchema = strict(Object.fromEntries(HOOK_NAMES.map((n) => [n, hookSchema.optional()])) as Record<HookName, z.ZodOptional<typeof hookSchema>>);

/** One environment the application is deployed to (staging, production, ...). */
export const environmentSchema = strict({
  /** Port of the environment's ingress listener; 0 picks a free one. */
  ingressPort: portSchema,
  /** Port of the test listener, which reaches the new revision during a blue/green deployment. */
  testPort: portSchema.optional(),
  /** How new revisions are rolled out. @default "CodeDeployDefault.AllAtOnce" */
  strategy: strategySchema.optional(),
  /** Alarms (names in `alarms`) that roll a deployment back when they go to ALARM. @default [] */
  rollbackOn: uniqueStrings(z.string(), 'alarm').optional(),
  /** Lifecycle hooks. @default {} */
  hooks: hooksSchema.optional(),
  /**
   * Every deployment to this environment (from the pipeline, the CLI or the API) waits in
   * `AwaitingApproval`, before anything starts or any traffic moves, until it is approved
   * (`slipway deployments approve <id>`) or rejected (it ends `Rejected`). @default false
   */
  requiresApproval: z.boolean().optional(),
  /**
   * Revert drift (a manual traffic shift or scale, a task set left behind, a changed router rule)
   * to the applied model as soon as it is detected, as Argo CD's `selfHeal`; without it drift is
   * reported only. A recorded override (a rollback, an incident mitigation) is left alone until it expires.
   * @default false
   */
  selfHeal: z.boolean().optional(),
  /**
   * Where the environment runs on AWS: `ecs` (each service on its own `services.<s>.platform`, ECS
   * Fargate or App Runner) or `eks` (every service as pods on one EKS cluster per environment, the
   * Kubernetes charts of `slipway synth k8s` applied to it, Argo Rollouts running the strategy). With an
   * `eks` environment, no service may set `platform`: it would not apply there. Locally every
   * environment runs the same way.
   * @default "ecs"
   */
  platform: z.enum(['ecs', 'eks']).optional(),
});

/** An environment as written in an app definition. */
export type EnvironmentDefinition = z.input<typeof environmentSchema>;
