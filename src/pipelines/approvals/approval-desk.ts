import type { ApprovalDecision } from '../engine/model.js';

/**
 * Where waiting approval actions hear of decisions. The decision itself is
 * stored first (so it survives a restart); this only wakes the waiter.
 */
export class ApprovalDesk {
  readonly #waiters = new Map<number, (d: ApprovalDecision) => void>();

  /** Resolves with the decision on the action, once one is made. */
  wait(actionId: number): Promise<ApprovalDecision> {
    return new Promise((resolve) => this.#waiters.set(actionId, resolve));
  }

  /** Wakes the waiter of an action; returns whether one was waiting. */
  deliver(actionId: number, decision: ApprovalDecision): boolean {
    const w = this.#waiters.get(actionId);
    this.#waiters.delete(actionId);
    w?.(decision);
    return w !== undefined;
  }

  /** Forgets a waiter (its action ended another way). */
  forget(actionId: number): void {
    this.#waiters.delete(actionId);
  }
}
