import { describe, expect, it } from 'vitest';
import { decideHead, type HeadRefusal, type HeadRelation } from './decide-head.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('decideHead', () => {
  const cases: { name: string; relation: HeadRelation; built: boolean; refused?: HeadRefusal }[] = [
    { name: 'a first head starts a run', relation: 'None', built: false },
    { name: 'a fast-forward starts a run', relation: 'Ahead', built: false },
    { name: 'a force-push to a commit never built starts a run', relation: 'Diverged', built: false },
    { name: 'a head that cannot be compared starts a run when never built', relation: 'Unknown', built: false },
    { name: 'the recorded head again is refused', relation: 'Same', built: true, refused: 'SameHead' },
    { name: 'an older commit (a replayed push) is refused', relation: 'Behind', built: true, refused: 'AlreadyBuilt' },
    { name: 'an older commit never built (a late push) is refused', relation: 'Behind', built: false, refused: 'NotNewer' },
    { name: 'a force-push back to a commit built before is refused', relation: 'Diverged', built: true, refused: 'AlreadyBuilt' },
    { name: 'a deleted and recreated ref at a commit built before is refused', relation: 'None', built: true, refused: 'AlreadyBuilt' },
    { name: 'a built commit is refused even when it cannot be compared', relation: 'Unknown', built: true, refused: 'AlreadyBuilt' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN a ref with head A recorded (or none) WHEN B is reported with this relation to A
      const verdict = decideHead({ ref: 'refs/heads/main', sha: B, recordedHead: c.relation === 'None' ? undefined : A, relation: c.relation, alreadyBuilt: c.built });
      // THEN it starts a run, or is refused for this reason
      if (c.refused === undefined) expect(verdict).toEqual({ start: true });
      else expect(verdict).toMatchObject({ start: false, reason: c.refused, message: expect.stringContaining(B) });
    });
  }
});
