import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';

/** Options of {@link prepareWorkspace}. */
export interface PrepareWorkspaceOptions {
  /** The repository to build from (a working tree or a bare repository). */
  readonly repoDir: string;
  /** A commit sha, branch or tag; resolved to a sha first. */
  readonly revision: string;
  /** The data directory's `workspaces/`. */
  readonly workspacesDir: string;
  readonly buildId: string;
}

/** A prepared workspace. */
export interface Workspace {
  /** `<workspacesDir>/<buildId>`, a detached checkout of `commitSha`. */
  readonly dir: string;
  /** The exact commit checked out. */
  readonly commitSha: string;
  /** Deletes the workspace. */
  remove(): void;
}

async function git(args: readonly string[], cwd: string): Promise<string> {
  const r = await exec('git', args, { cwd, timeoutMs: 120_000 });
  if (r.code !== 0) throw new SlipwayError('SLW_ERR_PIPELINE_WORKSPACE', `git ${args.join(' ')}: ${r.stderr.trim() || `exit ${String(r.code)}`}`);
  return r.stdout.trim();
}

/**
 * Makes a clean checkout of one exact revision for a build: `git clone
 * --shared --no-checkout` (objects are borrowed, not copied, and the source
 * repository is not modified, unlike `git worktree add`), then a detached
 * checkout of the resolved sha. The revision goes to git as one argument after
 * `--end-of-options`, and only the full sha it resolves to is checked out, so
 * no branch or tag name is ever read as an option.
 */
export async function prepareWorkspace(options: PrepareWorkspaceOptions): Promise<Workspace> {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(options.buildId)) throw new SlipwayError('SLW_ERR_PIPELINE_WORKSPACE', `build id ${JSON.stringify(options.buildId)} is not usable as a directory name`);
  if (options.revision.startsWith('-')) throw new SlipwayError('SLW_ERR_PIPELINE_WORKSPACE', `revision ${JSON.stringify(options.revision)} is not a commit, branch or tag`);
  const commitSha = await git(['rev-parse', '--verify', '--end-of-options', `${options.revision}^{commit}`], options.repoDir);
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commitSha)) throw new SlipwayError('SLW_ERR_PIPELINE_WORKSPACE', `revision ${JSON.stringify(options.revision)} did not resolve to a commit sha`);
  const dir = path.join(path.resolve(options.workspacesDir), options.buildId);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await git(['clone', '--quiet', '--shared', '--no-checkout', '--', path.resolve(options.repoDir), dir], path.dirname(dir));
  await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', commitSha], dir);
  return { dir, commitSha, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
