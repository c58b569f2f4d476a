import { describe, expect, it } from 'vitest';
import { GitCommits } from './git-commits.js';

describe('GitCommits', () => {
  // GIVEN revisions that are not commit ids WHEN asked THEN git is not run and the reason is given
  it.each([
    ['--output=/tmp/x', 'bbbbbbb', 'revision "--output=/tmp/x" is not a commit id'],
    ['aaaaaaa', 'v1.2.3', 'revision "v1.2.3" is not a commit id'],
  ])('%s..%s is refused', async (from, to, reason) => {
    expect(await new GitCommits('/nonexistent').shipped(from, to)).toEqual({ ok: false, reason });
  });

  it('answers no commits for a redeployment of the same revision', async () => {
    expect(await new GitCommits('/nonexistent').shipped('aaaaaaa', 'aaaaaaa')).toEqual({ ok: true, commits: [] });
  });
});
