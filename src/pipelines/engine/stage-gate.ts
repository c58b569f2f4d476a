import { decideAdmission, type ExecutionMode, type GatePosition } from './admission.js';

/** Why a run stopped waiting without entering. */
export class GateClosedError extends Error {
  constructor(readonly outcome: 'Superseded' | 'Stopped' | 'Closed') {
    super(`left the stage gate: ${outcome}`);
  }
}

interface Waiter {
  resolve: () => void;
  reject: (err: GateClosedError) => void;
}

/**
 * The in-memory side of stage locking: where each active run stands and who
 * waits to enter which stage. Every change re-evaluates {@link decideAdmission};
 * `onSupersede` persists a superseded run before its waiter is rejected.
 */
export class StageGate {
  readonly #mode: ExecutionMode;
  readonly #positions = new Map<number, GatePosition>();
  readonly #waiters = new Map<number, Waiter>();
  readonly #onEnter: (runId: number, stage: string) => void;
  readonly #onSupersede: (runId: number, stage: string) => void;

  constructor(mode: ExecutionMode, hooks: { onEnter: (runId: number, stage: string) => void; onSupersede: (runId: number, stage: string) => void }) {
    this.#mode = mode;
    this.#onEnter = hooks.onEnter;
    this.#onSupersede = hooks.onSupersede;
  }

  /** Puts back a run found in a stage after a restart (it keeps the stage's lock). */
  restoreInStage(runId: number, stage: string): void {
    this.#positions.set(runId, { runId, stage, phase: 'in' });
  }

  /**
   * Waits until the run may enter `stage`. Leaving the previous stage and
   * starting to wait are one step, so the stage it held is free at once.
   * Rejects with {@link GateClosedError} when superseded, cancelled or closed.
   */
  enter(runId: number, stage: string): Promise<void> {
    const current = this.#positions.get(runId);
    if (current?.phase === 'in' && current.stage === stage) return Promise.resolve();
    this.#positions.set(runId, { runId, stage, phase: 'waiting' });
    const p = new Promise<void>((resolve, reject) => this.#waiters.set(runId, { resolve, reject }));
    this.#evaluate();
    return p;
  }

  /** Removes a finished run, freeing its stage. */
  leave(runId: number): void {
    this.#positions.delete(runId);
    this.#waiters.get(runId)?.reject(new GateClosedError('Stopped'));
    this.#waiters.delete(runId);
    this.#evaluate();
  }

  /** Stops a run's wait (cancel); a run inside a stage keeps it until it leaves. */
  cancel(runId: number): void {
    if (this.#positions.get(runId)?.phase === 'in') return;
    const w = this.#waiters.get(runId);
    this.#waiters.delete(runId);
    this.#positions.delete(runId);
    w?.reject(new GateClosedError('Stopped'));
    this.#evaluate();
  }

  /** Rejects every waiter (the engine closes); positions stay as stored. */
  close(): void {
    for (const w of this.#waiters.values()) w.reject(new GateClosedError('Closed'));
    this.#waiters.clear();
    this.#positions.clear();
  }

  /** Where each active run stands. */
  positions(): GatePosition[] {
    return [...this.#positions.values()];
  }

  #evaluate(): void {
    const decision = decideAdmission(this.#mode, [...this.#positions.values()]);
    for (const id of decision.supersede) {
      const pos = this.#positions.get(id);
      const w = this.#waiters.get(id);
      this.#positions.delete(id);
      this.#waiters.delete(id);
      if (pos) this.#onSupersede(id, pos.stage);
      w?.reject(new GateClosedError('Superseded'));
    }
    for (const id of decision.enter) {
      const pos = this.#positions.get(id);
      if (!pos) continue;
      this.#positions.set(id, { ...pos, phase: 'in' });
      this.#onEnter(id, pos.stage);
      const w = this.#waiters.get(id);
      this.#waiters.delete(id);
      w?.resolve();
    }
  }
}
