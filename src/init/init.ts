import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAppConfig } from '../core/index.js';
import { ConflictError, type ResolvedApp } from '../shared/index.js';
import { detectServices, serviceName } from './detect.js';
import { readPackage } from './manifests.js';
import type { Detection } from './model.js';
import { renderBuildspec, renderConfig } from './render.js';

/** Options of {@link initRepository}. */
export interface InitOptions {
  /** The repository to adopt. */
  readonly dir: string;
  /** Overwrite `slipway.config.ts` and `buildspec.yml` when they exist. @default false */
  readonly force?: boolean;
  /** Called with the plan before anything is written; answering false writes nothing. @default always yes */
  readonly confirm?: (plan: InitPlan) => Promise<boolean> | boolean;
}

/** What `init` is about to write. */
export interface InitPlan {
  readonly detection: Detection;
  readonly appName: string;
  readonly branch: string;
  /** Files and their new content (the `.gitignore` entry is appended, not replaced). */
  readonly files: readonly { readonly path: string; readonly content: string; readonly action: 'create' | 'overwrite' | 'append' }[];
  /** The resolved model of the config about to be written (it was validated). */
  readonly app: ResolvedApp;
}

/** What `init` did. */
export interface InitResult extends InitPlan {
  /** False when `confirm` said no: nothing was written. */
  readonly written: boolean;
}

const CONFIG = 'slipway.config.ts';
const BUILDSPEC = 'buildspec.yml';
const GITIGNORE_ENTRY = '.slipway/';

/**
 * Adopts slipway in an existing repository: detects its services, renders `slipway.config.ts` and
 * `buildspec.yml`, validates the config (a rendered config that does not validate is a bug, and
 * nothing is written), then writes them and adds `.slipway/` to `.gitignore`. Refuses to overwrite
 * an existing config or buildspec unless `force`; writes nothing when nothing can be run.
 */
export async function initRepository(o: InitOptions): Promise<InitResult> {
  const root = path.resolve(o.dir);
  const detection = detectServices(root);
  const existing = [CONFIG, BUILDSPEC].filter((f) => fs.existsSync(path.join(root, f)));
  if (existing.length > 0 && !o.force) {
    throw new ConflictError('SLW_ERR_INIT_FILE_EXISTS', `${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''} in ${root}; nothing was written (use --force to overwrite)`);
  }
  const appName = serviceName(readPackage(root)?.name ?? path.basename(root));
  const branch = currentBranch(root) ?? 'main';
  const config = renderConfig(detection, { appName, branch });
  const app = await validateRendered(config);
  const gitignore = path.join(root, '.gitignore');
  const ignored = fs.existsSync(gitignore) && fs.readFileSync(gitignore, 'utf8').split(/\r?\n/).some((l) => ['.slipway', '.slipway/', '/.slipway', '/.slipway/'].includes(l.trim()));
  const files: InitPlan['files'][number][] = [
    { path: CONFIG, content: config, action: existing.includes(CONFIG) ? 'overwrite' : 'create' },
    { path: BUILDSPEC, content: renderBuildspec(detection), action: existing.includes(BUILDSPEC) ? 'overwrite' : 'create' },
    ...(ignored ? [] : [{ path: '.gitignore', content: `${GITIGNORE_ENTRY}\n`, action: 'append' as const }]),
  ];
  const plan: InitPlan = { detection, appName, branch, files, app };
  if (o.confirm && !(await o.confirm(plan))) return { ...plan, written: false };
  for (const f of files) {
    const file = path.join(root, f.path);
    if (f.action === 'append') {
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      fs.writeFileSync(file, `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${f.content}`);
    } else fs.writeFileSync(file, f.content);
  }
  return { ...plan, written: true };
}

/** Loads the rendered config from a scratch directory, so a bad render never lands in the repository. */
async function validateRendered(config: string): Promise<ResolvedApp> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-init-'));
  try {
    const file = path.join(scratch, CONFIG);
    fs.writeFileSync(file, config);
    return (await loadAppConfig({ file })).app;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The branch `.git/HEAD` points at; undefined outside a git repository or on a detached HEAD. */
function currentBranch(root: string): string | undefined {
  try {
    const head = fs.readFileSync(path.join(root, '.git', 'HEAD'), 'utf8').trim();
    return /^ref: refs\/heads\/(.+)$/.exec(head)?.[1];
  } catch {
    return undefined;
  }
}
