import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../shared/index.js';
import { exec } from '../exec/index.js';
import { readConfigFile } from './read-config-file.js';

/** Where {@link readDefinitionAt} finds the app definition. */
export interface DefinitionAtOptions {
  /** A directory inside the git work tree. */
  readonly repoDir: string;
  /** The config file (absolute, or relative to `repoDir`), as it is in the work tree. */
  readonly file: string;
  /** A commit, branch or tag. */
  readonly ref: string;
}

/**
 * Reads the app definition as it is at a git ref, unvalidated: the tree of the commit is
 * exported to a temporary directory (so a TypeScript config's own imports resolve as they would
 * in a checkout), the config file read from it, the directory removed.
 * @throws {InputError} `SLW_ERR_CONFIG_LOAD` when the ref is unknown, the file is not in its tree, or it cannot be evaluated.
 */
export async function readDefinitionAt(o: DefinitionAtOptions): Promise<{ definition: unknown; commit: string; label: string }> {
  const git = (args: string[], cwd: string) => exec('git', args, { cwd, timeoutMs: 30_000 });
  if (o.ref.startsWith('-')) throw new InputError('SLW_ERR_CONFIG_LOAD', `ref "${o.ref}": a ref cannot start with "-"`);
  const top = await git(['rev-parse', '--show-toplevel'], o.repoDir);
  if (top.code !== 0) throw new InputError('SLW_ERR_CONFIG_LOAD', `${o.repoDir} is not in a git work tree`);
  const root = fs.realpathSync(top.stdout.trim());
  const absolute = path.resolve(o.repoDir, o.file);
  const relative = path.relative(root, fs.existsSync(absolute) ? fs.realpathSync(absolute) : absolute).split(path.sep).join('/');
  const commit = await git(['rev-parse', '--verify', '--quiet', `${o.ref}^{commit}`], root);
  if (commit.code !== 0) throw new InputError('SLW_ERR_CONFIG_LOAD', `ref "${o.ref}" is not a commit of ${root}`);
  const sha = commit.stdout.trim();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-model-'));
  try {
    const tar = path.join(tmp, 'tree.tar');
    const archived = await git(['archive', '--format=tar', '-o', tar, sha], root);
    if (archived.code !== 0) throw new InputError('SLW_ERR_CONFIG_LOAD', `git archive ${sha.slice(0, 12)}: ${archived.stderr.trim()}`);
    const tree = path.join(tmp, 'tree');
    fs.mkdirSync(tree);
    const unpacked = await exec('tar', ['-xf', tar, '-C', tree], { timeoutMs: 30_000 });
    if (unpacked.code !== 0) throw new InputError('SLW_ERR_CONFIG_LOAD', `unpacking ${sha.slice(0, 12)}: ${unpacked.stderr.trim()}`);
    const file = path.join(tree, relative);
    if (!fs.existsSync(file)) throw new InputError('SLW_ERR_CONFIG_LOAD', `${relative} is not in commit ${sha.slice(0, 12)}`);
    const label = `${relative}@${sha.slice(0, 12)}`;
    return { definition: await readConfigFile(file, label), commit: sha, label };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
