import { exec } from '../core/index.js';
import type { DoraCommit } from './model.js';

const SHA = /^[0-9a-f]{7,40}$/i;

/** The answer of {@link GitCommits.shipped}: the commits, or why they are unknown. */
export type ShippedCommits = { readonly ok: true; readonly commits: readonly DoraCommit[] } | { readonly ok: false; readonly reason: string };

/**
 * Lists the commits a deployment shipped from git: `git log --format=%H%x09%ct <from>..<to>` in the
 * repository (for a first deployment, only `<to>` itself). Revisions must be commit ids; answers are cached
 * (commit ids are immutable), failures are not.
 */
export class GitCommits {
  readonly #cache = new Map<string, Promise<ShippedCommits>>();

  constructor(
    private readonly repoDir: string,
    private readonly timeoutMs = 30_000,
  ) {}

  /** The commits in `from..to` (or `to` alone when `from` is null). */
  shipped(from: string | null, to: string): Promise<ShippedCommits> {
    const key = `${from ?? ''}..${to}`;
    let answer = this.#cache.get(key);
    if (answer === undefined) {
      answer = this.#list(from, to);
      this.#cache.set(key, answer);
      void answer.then((a) => {
        if (!a.ok) this.#cache.delete(key);
      });
    }
    return answer;
  }

  async #list(from: string | null, to: string): Promise<ShippedCommits> {
    // Only commit ids reach git's command line: a revision such as "--output=x" must not become an option.
    for (const rev of [from, to]) {
      if (rev !== null && !SHA.test(rev)) return { ok: false, reason: `revision "${rev}" is not a commit id` };
    }
    if (from === to) return { ok: true, commits: [] };
    const range = from === null ? ['-n', '1', to] : [`${from}..${to}`];
    try {
      const r = await exec('git', ['log', '--reverse', '--format=%H%x09%ct', ...range, '--'], { cwd: this.repoDir, timeoutMs: this.timeoutMs });
      if (r.code !== 0) return { ok: false, reason: `git log ${range.join(' ')} failed: ${r.stderr.trim().split('\n')[0] ?? `exit ${r.code}`}` };
      const commits = r.stdout
        .split('\n')
        .filter((l) => l.includes('\t'))
        .map((l) => {
          const [sha, seconds] = l.split('\t');
          return { sha: sha!, committedAtMs: Number(seconds) * 1000 };
        });
      return { ok: true, commits };
    } catch (err) {
      return { ok: false, reason: `git could not run: ${(err as Error).message}` };
    }
  }
}
