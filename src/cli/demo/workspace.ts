import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../../core/index.js';
import { copyDependencyClosure } from '../../images/index.js';

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

/** How the demo's copy of the shop runs its tasks as containers. */
export interface DemoContainers {
  /** The Node image the shop's Dockerfiles build `FROM` (their `BASE` build argument). */
  readonly base: string;
  /** The `node_modules` the shop's dependencies are copied from (the images need them beside package.json). */
  readonly nodeModules: string;
}

/** The config lines `--containers` changes in the demo's copy of the shop. */
const RUNTIME_LINE = /^const runtime = 'process' as 'process' \| 'container';$/m;
const BASE_LINE = /^const BASE: string \| undefined = undefined;$/m;
const CONTAINER_RUNTIME_LINE = /^const runtime = 'container' as 'process' \| 'container';$/m;

/**
 * Makes the demo's working copy of the shop, once: a copy of examples/shop as
 * a git repository of its own with one commit on `main`. With `containers`, that commit runs
 * every service as a container (the config's `runtime` and `BASE` lines) and vendors the shop's
 * dependencies (`node_modules`, committed: the pipeline builds images from a checkout of the
 * commit, and no registry is needed to fill them). Returns false when it already existed (a
 * restarted demo goes on where it was); throws when it exists and runs its tasks the other way.
 */
export async function prepareDemoRepo(paths: DemoPaths, options: { containers?: DemoContainers } = {}): Promise<boolean> {
  const config = path.join(paths.repo, 'slipway.config.ts');
  if (fs.existsSync(path.join(paths.repo, '.git'))) {
    const asContainers = fs.existsSync(config) && CONTAINER_RUNTIME_LINE.test(fs.readFileSync(config, 'utf8'));
    if (asContainers !== (options.containers !== undefined)) {
      throw new Error(`the demo in ${paths.root} runs its tasks as ${asContainers ? 'containers' : 'processes'}; \`slipway demo reset\` first to start it ${asContainers ? 'without' : 'with'} --containers`);
    }
    return false;
  }
  fs.rmSync(paths.repo, { recursive: true, force: true });
  const shop = exampleShopDir();
  fs.cpSync(shop, paths.repo, { recursive: true, filter: (src) => !/(^|\/)(node_modules|reports)(\/|$)/.test(src) });
  let message = 'Open the shop: gateway, catalog, orders and payments';
  if (options.containers !== undefined) {
    const text = fs.readFileSync(config, 'utf8');
    if (!RUNTIME_LINE.test(text) || !BASE_LINE.test(text)) throw new Error(`${config}: the runtime and BASE lines the demo sets for --containers are missing`);
    fs.writeFileSync(config, text.replace(RUNTIME_LINE, "const runtime = 'container' as 'process' | 'container';").replace(BASE_LINE, `const BASE: string | undefined = ${JSON.stringify(options.containers.base)};`));
    const deps = Object.keys((JSON.parse(fs.readFileSync(path.join(shop, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {});
    copyDependencyClosure(deps, options.containers.nodeModules, path.join(paths.repo, 'node_modules'));
    message = 'Open the shop as containers: gateway, catalog, orders and payments, with their dependencies';
  }
  await git(paths.repo, ['init', '-q', '-b', 'main']);
  await git(paths.repo, ['add', '-A']);
  await git(paths.repo, ['commit', '-q', '-m', message]);
  return true;
}

/**
 * The `node_modules` the example shop's dependencies resolve from: the nearest one above the
 * shop that holds them (slipway's own, in a checkout or an installed package).
 */
export function shopNodeModules(shop = exampleShopDir()): string {
  const deps = Object.keys((JSON.parse(fs.readFileSync(path.join(shop, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {});
  for (let d = shop; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules');
    if (deps.every((dep) => fs.existsSync(path.join(candidate, dep, 'package.json')))) return candidate;
    if (path.dirname(d) === d) throw new Error(`the example shop's dependencies (${deps.join(', ')}) are not installed above ${shop}: run npm install`);
  }
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
