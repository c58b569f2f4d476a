import { describe, expect, it } from 'vitest';
import { exec } from '../../core/index.js';
import { MAX_REF_LENGTH, refFormatProblem } from './ref-format.js';

describe('refFormatProblem', () => {
  const cases: { ref: string; problem?: string }[] = [
    { ref: 'refs/heads/main' },
    { ref: 'refs/heads/release/1.2' },
    { ref: 'refs/tags/v1.0.0' },
    { ref: 'refs/heads/feat$(touch${IFS}pwned)' },
    { ref: 'refs/heads/x;touch${IFS}pwned' },
    { ref: 'refs/heads/x`id`' },
    { ref: 'refs/heads/-x' },
    { ref: 'refs/heads/caf\u00e9' },
    { ref: 'refs/heads/$(touch pwned)', problem: 'contains " "' },
    { ref: 'refs/heads/a\ntouch pwned', problem: 'contains a control character' },
    { ref: 'refs/heads/a\x7f', problem: 'contains a control character' },
    { ref: 'refs/heads/a:refs/heads/main', problem: 'contains ":"' },
    { ref: 'refs/heads/x~1', problem: 'contains "~"' },
    { ref: 'refs/heads/x^', problem: 'contains "^"' },
    { ref: 'refs/heads/x?', problem: 'contains "?"' },
    { ref: 'refs/heads/x*', problem: 'contains "*"' },
    { ref: 'refs/heads/x[1', problem: 'contains "["' },
    { ref: 'refs/heads/x\\y', problem: 'contains "\\\\"' },
    { ref: 'refs/heads/../main', problem: 'contains ".."' },
    { ref: 'refs/heads/x@{1}', problem: 'contains "@{"' },
    { ref: '@', problem: 'is "@"' },
    { ref: '/refs/heads/x', problem: 'has an empty path component' },
    { ref: 'refs/heads/x/', problem: 'has an empty path component' },
    { ref: 'refs//heads/x', problem: 'has an empty path component' },
    { ref: '--upload-pack=touch', problem: 'is not a full ref (refs/heads/… or refs/tags/…)' },
    { ref: 'refs/heads/x.', problem: 'ends with "."' },
    { ref: 'refs/heads/.hidden', problem: 'has a component starting with "." (".hidden")' },
    { ref: 'refs/heads/x.lock', problem: 'has a component ending with ".lock" ("x.lock")' },
    { ref: '', problem: 'is empty' },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.ref)} ${c.problem === undefined ? 'is accepted' : `is refused: ${c.problem}`}`, async () => {
      // GIVEN a ref name WHEN it is checked THEN the verdict is the expected one, and git's own
      const problem = refFormatProblem(c.ref);
      expect(problem).toBe(c.problem);
      if (c.ref !== '') expect((await exec('git', ['check-ref-format', c.ref])).code === 0).toBe(problem === undefined);
    });
  }
  it('refuses names longer than the limit', () => {
    expect(refFormatProblem(`refs/heads/${'x'.repeat(MAX_REF_LENGTH)}`)).toBe(`is longer than ${MAX_REF_LENGTH} characters`);
  });
});
