import fs from 'node:fs';
import path from 'node:path';
import { UnavailableError } from '../../shared/index.js';
import type { CompiledEngine } from '../engine/model.js';
import { SHIM_ENV } from './shim-env.js';

/** Options of {@link writeBuildShims}. */
export interface BuildShimOptions {
  /** Where the `docker` and `aws` commands are written (a build's scratch folder). */
  readonly dir: string;
  readonly engine: CompiledEngine;
  /** The local registry, `host:port`. */
  readonly registry: string;
  /** The registry password builds get from `aws ecr get-login-password`. */
  readonly token: string;
  /** A file pushes are recorded in, one JSON line each. */
  readonly pushesFile: string;
  /** `AWS_ACCOUNT_ID` of the build. @default "000000000000" */
  readonly accountId?: string;
  /** `AWS_DEFAULT_REGION` and `AWS_REGION`. @default "local" */
  readonly region?: string;
  /** Repository of each service with an image (`shop/web`): `<SERVICE>_REPOSITORY_URI`, and `REPOSITORY_URI` when there is one. @default {} */
  readonly repositories?: Readonly<Record<string, string>>;
  /** `IMAGE_TAG`. @default unset */
  readonly imageTag?: string;
  /** Repositories (`shop/web`) whose tags are immutable: `docker push` of a tag one has already is refused, as ECR refuses it. @default [] */
  readonly immutableRepositories?: readonly string[];
  /** The PATH the build would have; the shims' folder goes first. */
  readonly path: string;
}

/**
 * Writes the `docker` and `aws` commands a container buildspec calls (`aws ecr get-login-password |
 * docker login …`, `docker build -t $REPOSITORY_URI:$IMAGE_TAG .`, `docker push …`) and returns the
 * variables a build gets: the shims first on PATH, what they need, and the variables CodeBuild
 * users expect — `AWS_ACCOUNT_ID`, `AWS_DEFAULT_REGION`, `REPOSITORY_URI`, `IMAGE_TAG`. ECR hosts
 * (`<account>.dkr.ecr.<region>.amazonaws.com`) mean the local registry, so a buildspec written
 * for CodeBuild runs unchanged.
 */
export function writeBuildShims(o: BuildShimOptions): Record<string, string> {
  fs.mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  for (const [name, script] of [['docker', 'docker-cli.js'], ['aws', 'aws-cli.js']] as const) {
    const file = path.join(o.dir, name);
    fs.writeFileSync(file, `#!/bin/sh\nexec '${process.execPath}' '${shimScript(script)}' "$@"\n`, { mode: 0o755 });
  }
  const accountId = o.accountId ?? '000000000000';
  const region = o.region ?? 'local';
  const repos = Object.entries(o.repositories ?? {});
  return {
    PATH: `${o.dir}${path.delimiter}${o.path}`,
    [SHIM_ENV.engine]: JSON.stringify({ kind: o.engine.kind, command: o.engine.command, globalArgs: o.engine.globalArgs, runArgs: o.engine.runArgs }),
    [SHIM_ENV.registry]: o.registry,
    [SHIM_ENV.token]: o.token,
    [SHIM_ENV.pushes]: o.pushesFile,
    [SHIM_ENV.immutable]: JSON.stringify(o.immutableRepositories ?? []),
    AWS_ACCOUNT_ID: accountId,
    AWS_DEFAULT_REGION: region,
    AWS_REGION: region,
    ...Object.fromEntries(repos.map(([service, repo]) => [`${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_REPOSITORY_URI`, `${o.registry}/${repo}`])),
    ...(repos.length === 1 ? { REPOSITORY_URI: `${o.registry}/${repos[0]![1]}` } : {}),
    ...(o.imageTag !== undefined ? { IMAGE_TAG: o.imageTag } : {}),
  };
}

/** A shim's compiled script: beside this module in dist/, or in dist/ when running from source (tests). */
function shimScript(name: string): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const sibling = path.join(here, name);
  if (fs.existsSync(sibling)) return sibling;
  const built = path.resolve(here, '../../../dist/src/images/shims', name);
  if (fs.existsSync(built)) return built;
  throw new UnavailableError('SLW_ERR_IMAGES_ENGINE_FAILED', `the compiled ${name} is missing (${built}); run \`npm run build\``);
}

/** One push a build made, as the docker shim recorded it. */
export interface RecordedPush {
  /** The full reference pushed, e.g. `127.0.0.1:5000/shop/web:abc1234`. */
  readonly ref: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly atMs: number;
}

/** The pushes a build recorded, in order; none when the file is missing. Lines that do not parse are skipped. */
export function readRecordedPushes(file: string): RecordedPush[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((l) => {
    try {
      const p = JSON.parse(l) as RecordedPush;
      return typeof p.digest === 'string' && typeof p.repository === 'string' ? [p] : [];
    } catch {
      return [];
    }
  });
}
