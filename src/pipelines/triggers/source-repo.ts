import path from 'node:path';
import { exec } from '../../core/index.js';
import { InputError, NotFoundError, UnavailableError } from '../../shared/index.js';
import type { HeadRelation } from './decide-head.js';
import { refFormatProblem } from './ref-format.js';

/** One branch or tag head. */
export interface RefHead {
  readonly ref: string;
  /** The commit (annotated tags are peeled). */
  readonly sha: string;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The git repository runs are built from: the repository holding the app
 * definition, possibly a folder inside a larger repository (`prefix`).
 * Every value is passed to git as one argument (never through a shell), after
 * `--end-of-options` or checked first, so that no ref, revision or sha, however
 * it is spelt, is read as an option (`--upload-pack=…`) or a refspec (`a:b`).
 */
export class SourceRepo {
  readonly dir: string;
  #root: { root: string; prefix: string } | undefined;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  async #git(args: readonly string[], cwd = this.dir): Promise<string> {
    const r = await exec('git', args, { cwd, timeoutMs: 60_000 });
    if (r.code !== 0) throw new UnavailableError('SLW_ERR_PIPELINE_SOURCE', `git ${args.join(' ')}: ${r.stderr.trim() || `exit ${String(r.code)}`}`);
    return r.stdout;
  }

  /** The repository's top level and the app folder's path inside it (`''` or `examples/shop/`). */
  async location(): Promise<{ root: string; prefix: string }> {
    if (this.#root === undefined) {
      const [root = '', prefix = ''] = (await this.#git(['rev-parse', '--show-toplevel', '--show-prefix'])).split('\n');
      this.#root = { root: root.trim(), prefix: prefix.trim() };
    }
    return this.#root;
  }

  /** Every branch and tag head, with annotated tags peeled to their commit. */
  async heads(): Promise<RefHead[]> {
    const out = await this.#git(['for-each-ref', '--format=%(refname) %(objectname) %(*objectname)', 'refs/heads', 'refs/tags']);
    const heads: RefHead[] = [];
    for (const line of out.split('\n')) {
      const [ref, sha, peeled] = line.trim().split(' ');
      if (!ref || !sha) continue;
      heads.push({ ref, sha: peeled || sha });
    }
    return heads;
  }

  /** Resolves a sha, branch or tag to a commit sha. @throws NotFoundError */
  async resolve(revision: string): Promise<string> {
    if (revision.startsWith('-')) throw new NotFoundError('SLW_ERR_PIPELINE_REVISION_NOT_FOUND', `no revision ${revision}`);
    const r = await exec('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], { cwd: this.dir, timeoutMs: 60_000 });
    if (r.code !== 0) throw new NotFoundError('SLW_ERR_PIPELINE_REVISION_NOT_FOUND', `revision ${revision} is not a commit in ${this.dir}`);
    return r.stdout.trim();
  }

  /** Whether a full ref exists locally (e.g. `refs/heads/develop`); false for a name git would refuse. */
  async hasRef(ref: string): Promise<boolean> {
    if (refFormatProblem(ref) !== undefined) return false;
    const r = await exec('git', ['show-ref', '--verify', '--quiet', '--', ref], { cwd: this.dir, timeoutMs: 60_000 });
    return r.code === 0;
  }

  /** Whether the commit is in the local repository; false for anything but a full sha. */
  async hasCommit(sha: string): Promise<boolean> {
    if (!SHA.test(sha)) return false;
    const r = await exec('git', ['cat-file', '-e', '--end-of-options', `${sha}^{commit}`], { cwd: this.dir, timeoutMs: 60_000 });
    return r.code === 0;
  }

  /**
   * Fetches a branch or tag from `origin`, when there is one (a webhook names a commit pushed
   * elsewhere). Best effort. @throws InputError `SLW_ERR_PIPELINE_REF_INVALID` for a name git would refuse
   */
  async fetch(ref: string): Promise<void> {
    const problem = refFormatProblem(ref) ?? (/^refs\/(heads|tags)\/./.test(ref) ? undefined : 'is neither refs/heads/… nor refs/tags/…');
    if (problem !== undefined) throw new InputError('SLW_ERR_PIPELINE_REF_INVALID', `ref ${JSON.stringify(ref.slice(0, 200))} ${problem}`, { issues: [{ path: 'ref', message: problem }] });
    const remotes = await this.#git(['remote']).catch(() => '');
    if (!remotes.split('\n').includes('origin')) return;
    await exec('git', ['fetch', '--quiet', '--end-of-options', 'origin', ref], { cwd: this.dir, timeoutMs: 120_000 });
  }

  /**
   * How `sha` stands to `recorded`, the head recorded for its ref (see `HeadRelation`), from
   * `git merge-base --is-ancestor`. @throws UnavailableError when git cannot tell
   */
  async relation(recorded: string | undefined, sha: string): Promise<HeadRelation> {
    if (recorded === undefined) return 'None';
    if (recorded === sha) return 'Same';
    if (!(await this.hasCommit(recorded))) return 'Unknown';
    if (await this.#isAncestor(recorded, sha)) return 'Ahead';
    if (await this.#isAncestor(sha, recorded)) return 'Behind';
    return 'Diverged';
  }

  async #isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    if (!SHA.test(ancestor) || !SHA.test(descendant)) throw new UnavailableError('SLW_ERR_PIPELINE_SOURCE', `cannot compare ${ancestor} and ${descendant}: not commit shas`);
    const r = await exec('git', ['merge-base', '--is-ancestor', '--end-of-options', ancestor, descendant], { cwd: this.dir, timeoutMs: 60_000 });
    if (r.code === 0 || r.code === 1) return r.code === 0;
    throw new UnavailableError('SLW_ERR_PIPELINE_SOURCE', `git merge-base --is-ancestor ${ancestor} ${descendant}: ${r.stderr.trim() || `exit ${String(r.code)}`}`);
  }

  /** The first line of a commit's message. */
  async subject(sha: string): Promise<string | undefined> {
    const r = await exec('git', ['log', '-1', '--format=%s', '--end-of-options', sha, '--'], { cwd: this.dir, timeoutMs: 60_000 });
    return r.code === 0 ? r.stdout.trim() : undefined;
  }
}
