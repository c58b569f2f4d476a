import type { ActionContext, ActionExecutor } from '../engine/actions/action-context.js';
import { abortedOutcome } from '../engine/actions/action-context.js';
import type { ActionOutcome, ApprovalDecision } from '../engine/model.js';
import type { ApprovalDesk } from './approval-desk.js';

/**
 * An approval action: Waiting until someone approves or rejects (the decision
 * is stored with who and when), or until its timeout fails it. After a
 * restart it keeps waiting with the time that was left.
 */
export function approvalExecutor(desk: ApprovalDesk): ActionExecutor {
  return async (ctx: ActionContext): Promise<ActionOutcome> => {
    const { action } = ctx;
    if (action.decision) return outcomeOf(action.decision);
    const expiresAtMs = action.deadlineMs;
    ctx.update({ status: 'Waiting', output: { approval: 'Pending', ...(expiresAtMs === undefined ? {} : { expiresAtMs }) } });
    if (!ctx.resumed) ctx.emit('pipeline.approval.requested', { expiresAtMs: expiresAtMs ?? null });
    ctx.log(`waiting for an approval${expiresAtMs === undefined ? '' : ` until ${new Date(expiresAtMs).toISOString()}`}`, 'system');
    const decided = desk.wait(action.id);
    const aborted = new Promise<undefined>((resolve) => {
      if (ctx.signal.aborted) resolve(undefined);
      ctx.signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
    const decision = await Promise.race([decided, aborted]);
    if (decision === undefined) {
      desk.forget(action.id);
      if (ctx.signal.reason === 'TimedOut') {
        ctx.emit('pipeline.approval.expired', { timeoutMs: ctx.timeoutMs });
        return { status: 'Failed', reason: `no approval within ${ctx.timeoutMs} ms`, output: { approval: 'Expired' } };
      }
      return abortedOutcome(ctx.signal, ctx.timeoutMs);
    }
    return outcomeOf(decision);
  };
}

function outcomeOf(d: ApprovalDecision): ActionOutcome {
  const output = { approval: d.result, by: d.by, comment: d.comment ?? null, decidedAtMs: d.atMs };
  if (d.result === 'Approved') return { status: 'Succeeded', output };
  return { status: 'Failed', reason: `rejected by ${d.by}${d.comment ? `: ${d.comment}` : ''}`, output };
}
