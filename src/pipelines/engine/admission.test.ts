import { describe, expect, it } from 'vitest';
import { decideAdmission, type ExecutionMode, type GatePosition } from './admission.js';

const w = (runId: number, stage: string): GatePosition => ({ runId, stage, phase: 'waiting' });
const i = (runId: number, stage: string): GatePosition => ({ runId, stage, phase: 'in' });

describe('decideAdmission', () => {
  const cases: { name: string; mode: ExecutionMode; given: GatePosition[]; enter: number[]; supersede: number[] }[] = [
    { name: 'a lone run enters its first stage', mode: 'SUPERSEDED', given: [w(1, 'Build')], enter: [1], supersede: [] },
    { name: 'SUPERSEDED: a run waits while the stage is busy', mode: 'SUPERSEDED', given: [i(1, 'Deploy'), w(2, 'Deploy')], enter: [], supersede: [] },
    { name: 'SUPERSEDED: a newer waiting run overtakes an older one', mode: 'SUPERSEDED', given: [i(1, 'Deploy'), w(2, 'Deploy'), w(3, 'Deploy')], enter: [], supersede: [2] },
    { name: 'SUPERSEDED: the newest enters once the stage is free', mode: 'SUPERSEDED', given: [w(2, 'Deploy'), w(3, 'Deploy')], enter: [3], supersede: [2] },
    { name: 'SUPERSEDED: runs waiting for different stages do not supersede each other', mode: 'SUPERSEDED', given: [i(1, 'Deploy'), w(2, 'Deploy'), w(3, 'Test')], enter: [3], supersede: [] },
    { name: 'SUPERSEDED: a run in a stage is never superseded', mode: 'SUPERSEDED', given: [i(1, 'Approve'), w(5, 'Approve')], enter: [], supersede: [] },
    { name: 'QUEUED: the oldest waiting run enters a free stage', mode: 'QUEUED', given: [w(3, 'Deploy'), w(2, 'Deploy')], enter: [2], supersede: [] },
    { name: 'QUEUED: nobody enters a busy stage and nobody is superseded', mode: 'QUEUED', given: [i(1, 'Deploy'), w(2, 'Deploy'), w(3, 'Deploy')], enter: [], supersede: [] },
    { name: 'PARALLEL: everyone enters, even a busy stage', mode: 'PARALLEL', given: [i(1, 'Deploy'), w(3, 'Deploy'), w(2, 'Deploy')], enter: [2, 3], supersede: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // GIVEN the positions of the active runs
      // WHEN admission is decided in this execution mode
      const got = decideAdmission(c.mode, c.given);
      // THEN exactly these runs enter and these are superseded
      expect(got).toEqual({ enter: c.enter, supersede: c.supersede });
    });
  }
});
