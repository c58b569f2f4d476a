import type { ResolvedPipeline } from '../../shared/index.js';

/** How overlapping runs are handled (CodePipeline V2's execution modes). */
export type ExecutionMode = ResolvedPipeline['executionMode'];

/** Where one active run stands, for {@link decideAdmission}. Newer runs have higher ids. */
export interface GatePosition {
  readonly runId: number;
  /** The stage (by name) the run waits for or is in. */
  readonly stage: string;
  readonly phase: 'waiting' | 'in';
}

/** What {@link decideAdmission} decided. */
export interface Admission {
  /** Runs that enter the stage they wait for, now. */
  readonly enter: readonly number[];
  /** Runs that end as Superseded. */
  readonly supersede: readonly number[];
}

/**
 * Decides which waiting runs enter their next stage, as CodePipeline does:
 * - `PARALLEL`: every run enters at once; stages are not locked.
 * - `QUEUED`: a stage holds one run; waiting runs enter one at a time, oldest first.
 * - `SUPERSEDED`: a stage holds one run; of the runs waiting for the same stage only the
 *   newest stays, older ones are superseded; it enters once the stage is free.
 * Pure: the caller applies the decision and calls again when something changes.
 */
export function decideAdmission(mode: ExecutionMode, positions: readonly GatePosition[]): Admission {
  const waiting = positions.filter((p) => p.phase === 'waiting');
  if (mode === 'PARALLEL') return { enter: waiting.map((p) => p.runId).sort((a, b) => a - b), supersede: [] };
  const occupied = new Set(positions.filter((p) => p.phase === 'in').map((p) => p.stage));
  const byStage = new Map<string, number[]>();
  for (const p of waiting) byStage.set(p.stage, [...(byStage.get(p.stage) ?? []), p.runId]);
  const enter: number[] = [];
  const supersede: number[] = [];
  for (const [stage, ids] of byStage) {
    ids.sort((a, b) => a - b);
    if (mode === 'SUPERSEDED') {
      const newest = ids[ids.length - 1]!;
      supersede.push(...ids.slice(0, -1));
      if (!occupied.has(stage)) enter.push(newest);
    } else if (!occupied.has(stage)) {
      enter.push(ids[0]!);
    }
  }
  return { enter: enter.sort((a, b) => a - b), supersede: supersede.sort((a, b) => a - b) };
}
