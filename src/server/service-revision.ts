import path from 'node:path';
import { exec } from '../core/index.js';
import { baseRevision } from '../deployments/index.js';
import type { ResolvedApp, ResolvedService } from '../shared/index.js';

/** Options of {@link serviceRevisions}. */
export interface ServiceRevisionOptions {
  readonly app: ResolvedApp;
  /** The directory of the config file (a git working copy, or inside one). */
  readonly appDir: string;
  /** The config file; its changes change every service. */
  readonly appFile: string | undefined;
}

/**
 * The revision of each service at a commit: the short sha of the last commit, at or before
 * `commit`, that touched the service's inputs — its `path`, its `watch` paths and the config
 * file. A commit that touches none of them leaves the revision as it was, so deploying it finds
 * the same revision already serving and records the service as unchanged. Outside git (or when
 * git cannot answer) every service gets `fallback`.
 */
export async function serviceRevisions(o: ServiceRevisionOptions, commit: string, fallback: string): Promise<Record<string, string>> {
  const entries = await Promise.all(Object.values(o.app.services).map(async (s) => [s.name, (await lastChange(o, s, commit)) ?? fallback] as const));
  return Object.fromEntries(entries);
}

/** The pathspecs of a service's inputs, relative to the config file's directory. */
export function serviceInputs(o: ServiceRevisionOptions, s: ResolvedService): string[] {
  const config = o.appFile === undefined ? [] : [path.relative(o.appDir, o.appFile)];
  return [...new Set([s.path, ...s.watch, ...config].map((p) => path.normalize(p)))];
}

async function lastChange(o: ServiceRevisionOptions, s: ResolvedService, commit: string): Promise<string | undefined> {
  // Pathspecs are relative to the working directory, the config's: right wherever the repository's root is.
  const specs = serviceInputs(o, s).map((p) => `:(literal)${p}`);
  const r = await exec('git', ['log', '-1', '--format=%H', commit, '--', ...specs], { cwd: o.appDir, timeoutMs: 10_000 }).catch(() => undefined);
  const sha = r?.code === 0 ? r.stdout.trim() : '';
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 12) : undefined;
}

/**
 * Whether a service's code (its `path` and `watch` paths, not the config file) changed between a
 * revision that serves and a commit. True when either is not a commit git knows (a working copy's
 * `local` revision): then only a deployment can tell.
 */
export async function codeChangedSince(o: ServiceRevisionOptions, s: ResolvedService, revision: string, commit: string): Promise<boolean> {
  const base = baseRevision(revision);
  if (!/^[0-9a-f]{7,40}$/.test(base)) return true;
  const specs = [...new Set([s.path, ...s.watch].map((p) => path.normalize(p)))].map((p) => `:(literal)${p}`);
  const r = await exec('git', ['diff', '--quiet', base, commit, '--', ...specs], { cwd: o.appDir, timeoutMs: 10_000 }).catch(() => undefined);
  return r?.code !== 0;
}
