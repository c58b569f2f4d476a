import { z } from 'zod';
import { count, durationSchema, envNameSchema, strict, uniqueStrings } from './primitives.js';
import { scalingSchema } from './scaling.js';

export { scalingSchema };

/** The Fargate CPU sizes, in CPU units (1024 = one vCPU). */
export const CPU_UNITS = [256, 512, 1024, 2048, 4096, 8192, 16384] as const;

/** How the supervisor (and the load balancer on AWS) decides a task is healthy. */
export const healthSchema = strict({
  /** HTTP path answered with 2xx by a healthy task. @default "/healthz" */
  path: z.string().startsWith('/', { error: 'expected a path starting with "/"' }).optional(),
  /** Time between checks. @default "5s" */
  interval: durationSchema.optional(),
  /** Time to wait for an answer; shorter than `interval`. @default "2s", or half the interval when that is shorter */
  timeout: durationSchema.optional(),
  /** Consecutive successes that make a task healthy. @default 2 */
  healthyThreshold: count(1).optional(),
  /** Consecutive failures that make a task unhealthy (it is then replaced). @default 3 */
  unhealthyThreshold: count(1).optional(),
  /** Time after start during which failed checks do not count. @default "10s" */
  gracePeriod: durationSchema.optional(),
});

/** How the environment's ingress routes to the service. */
export const ingressSchema = strict({
  /** Requests whose path starts with this go to the service. */
  pathPrefix: z.string().startsWith('/', { error: 'expected a path prefix starting with "/"' }),
});

/** Platforms an image can be built for. */
export const IMAGE_PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'] as const;

/** How a service's container image is built and kept: a Dockerfile as `docker build` reads it, and its ECR repository's settings. */
export const imageSchema = strict({
  /** The Dockerfile, relative to `context`. @default "Dockerfile" */
  dockerfile: z.string().min(1, { error: 'expected a file path, got ""' }).optional(),
  /** The build context, relative to the service's `path`. @default "." (the service's folder) */
  context: z.string().min(1, { error: 'expected a folder path, got ""' }).optional(),
  /** The stage of a multi-stage Dockerfile to build (`--target`). @default the last stage */
  target: z.string().min(1, { error: 'expected a stage name, got ""' }).optional(),
  /** Build arguments (`--build-arg NAME=value`). @default {} */
  buildArgs: z.record(envNameSchema, z.string()).optional(),
  /** Platforms to build for; more than one makes a manifest list. @default the host's platform */
  platforms: uniqueStrings(z.enum(IMAGE_PLATFORMS, { error: (i) => `expected one of ${IMAGE_PLATFORMS.join(', ')}, got ${JSON.stringify(i.input)}` }), 'platform').optional(),
  /** ECR tag mutability of the service's repository: `IMMUTABLE` refuses to move a pushed tag. @default "MUTABLE" */
  tagMutability: z.enum(['MUTABLE', 'IMMUTABLE']).optional(),
  /** The repository's lifecycle policy in ECR's JSON format (`{ rules: [...] }`), checked as ECR checks it. @default none: images are kept */
  lifecyclePolicy: z.record(z.string(), z.unknown()).optional(),
  /** Scan each image on push (secrets in every layer, dependency audit, SBOM). @default true */
  scanOnPush: z.boolean().optional(),
});

/** One service of the application: a process started from a folder of the repository. */
export const serviceSchema = strict({
  /** Folder of the service, relative to the config file. */
  path: z.string().min(1, { error: 'expected a folder path, got ""' }),
  /**
   * Command that starts one task, run in `path`, e.g. `"node server.js"`. A container service runs
   * its image's own command instead; `start` stays what runs when it is switched back to processes.
   */
  start: z.string().min(1, { error: 'expected a command, got ""' }),
  /** How tasks run locally: as processes from `path`, or as containers of the service's `image`. @default "process" */
  runtime: z.enum(['process', 'container']).optional(),
  /** The service's container image: built from a Dockerfile, pushed to its repository, run by `runtime: 'container'` and on ECS/EKS. */
  image: imageSchema.optional(),
  /** Environment variable that tells a task which port to listen on. @default "PORT" */
  portEnv: envNameSchema.optional(),
  /** Health check. @default every default of {@link healthSchema} */
  health: healthSchema.optional(),
  /** Route from the environment's ingress; without it the service is reachable only by other services. */
  ingress: ingressSchema.optional(),
  /** Task count and autoscaling. @default { min: 1, max: 1 } */
  scaling: scalingSchema.optional(),
  /**
   * Environment variables of every task. Values may use `${services.<name>.url}`, the URL at which
   * another service (in the same environment) is reached.
   * @default {}
   */
  env: z.record(envNameSchema, z.string()).optional(),
  /** Names of secrets to expose as environment variables of the same name. @default [] */
  secrets: uniqueStrings(envNameSchema, 'secret').optional(),
  /** CPU units per task on AWS (1024 = one vCPU). @default 256 */
  cpu: z.union(CPU_UNITS.map((u) => z.literal(u)), { error: (i) => `expected one of ${CPU_UNITS.join(', ')}, got ${JSON.stringify(i.input)}` }).optional(),
  /** Memory per task on AWS, in MiB. @default 512 */
  memory: z.number().int().min(512).max(122880).optional(),
  /**
   * Where the service runs on AWS in an environment of platform `ecs`. An app with an environment of
   * platform `eks` leaves it unset: there every service runs in the cluster.
   * @default "ecs"
   */
  platform: z.enum(['ecs', 'apprunner']).optional(),
  /**
   * Paths outside `path` (relative to the config file; folders or files) whose changes also change
   * this service, e.g. shared code in `lib/`. A commit that touches none of `path`, `watch` and the
   * config file does not deploy the service.
   * @default []
   */
  watch: uniqueStrings(z.string().min(1, { error: 'expected a path, got ""' }), 'path').optional(),
  /** Services to start (and find healthy) before this one. @default [] */
  dependsOn: uniqueStrings(z.string(), 'service').optional(),
});

/** A service as written in an app definition. */
export type ServiceDefinition = z.input<typeof serviceSchema>;
