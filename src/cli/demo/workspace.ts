import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../../core/index.js';

/** Where the demo keeps its things, under one root. */
export interface DemoPaths {
  readonly root: string;
  /** The demo's own copy of the shop: a git repository the pipeline watches. */
  readonly repo: string;
  /** The control plane's data directory. */
  readonly data: string;
}

/** The demo's layout under `root`. */
export function demoPaths(root: string): DemoPaths {
  const r = path.resolve(root);
  return { root: r, repo: path.join(r, 'shop'), data: path.join(r, 'data') };
}

/** The example shop shipped with slipway (from src/ or dist/src/). */
export function exampleShopDir(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  for (const candidate of ['../../../examples/shop', '../../../../examples/shop']) {
    const dir = path.resolve(here, candidate);
    if (fs.existsSync(path.join(dir, 'slipway.config.ts'))) return dir;
  }
  throw new Error('the example shop (examples/shop) is missing from this slipway installation');
}

const GIT_ENV = { GIT_AUTHOR_NAME: 'slipway demo', GIT_AUTHOR_EMAIL: 'demo@slipway.invalid', GIT_COMMITTER_NAME: 'slipway demo', GIT_COMMITTER_EMAIL: 'demo@slipway.invalid' };

/** Runs git in the demo repository; throws with git's message when it fails. */
export async function git(repo: string, args: readonly string[]): Promise<string> {
  const r = await exec('git', args, { cwd: repo, env: { ...process.env, ...GIT_ENV }, timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout.trim();
}

/**
 * Makes the demo's working copy of the shop, once: a copy of examples/shop as
 * a git repository of its own with one commit on `main`. Returns false when it
 * already existed (a restarted demo goes on where it was).
 */
export async function prepareDemoRepo(paths: DemoPaths): Promise<boolean> {
  if (fs.existsSync(path.join(paths.repo, '.git'))) return false;
  fs.rmSync(paths.repo, { recursive: true, force: true });
  fs.cpSync(exampleShopDir(), paths.repo, { recursive: true, filter: (src) => !/(^|\/)(node_modules|reports)(\/|$)/.test(src) });
  await git(paths.repo, ['init', '-q', '-b', 'main']);
  await git(paths.repo, ['add', '-A']);
  await git(paths.repo, ['commit', '-q', '-m', 'Open the shop: gateway, catalog, orders and payments']);
  return true;
}

/**
 * Changes one marked line of the shop and commits it, as a developer would.
 * Throws when the line is not there (already changed, or edited by hand).
 */
export async function commitChange(paths: DemoPaths, file: string, from: RegExp, to: string, message: string): Promise<string> {
  const full = path.join(paths.repo, file);
  if (!fs.existsSync(full)) throw new Error(`no demo running in ${paths.root} (start it with \`npm start\` or \`slipway demo\`)`);
  const text = fs.readFileSync(full, 'utf8');
  if (!from.test(text)) throw new Error(`${file} does not have the line this changes (${from.source}); run \`slipway demo reset\` to start over`);
  fs.writeFileSync(full, text.replace(from, to));
  await git(paths.repo, ['commit', '-q', '-am', message]);
  return (await git(paths.repo, ['rev-parse', '--short=12', 'HEAD'])).trim();
}
