import type { EvaluationContext } from '../model.js';

/** A request body read as OFREP's `evaluationRequest`: the context, or why it was refused. */
export type ParsedRequest = { readonly ok: true; readonly context: EvaluationContext } | { readonly ok: false; readonly errorCode: 'INVALID_CONTEXT'; readonly errorDetails: string };

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`.slice(0, 80));

/**
 * Reads an OFREP evaluation request, `{ "context": { "targetingKey": "…", … } }`. The body and its
 * `context` must be objects (OFREP requires both); `targetingKey`, when given, must be a string.
 * A context without `targetingKey` is accepted: only a flag that splits by it needs one, and says
 * so with `TARGETING_KEY_MISSING`.
 */
export function parseEvaluationRequest(body: unknown): ParsedRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errorCode: 'INVALID_CONTEXT', errorDetails: `body: expected an object such as {"context":{"targetingKey":"user-1"}}, got ${body === undefined ? 'no body' : describe(body)}` };
  }
  const context = (body as { context?: unknown }).context;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    return { ok: false, errorCode: 'INVALID_CONTEXT', errorDetails: `body.context: expected an object (the evaluation context), got ${context === undefined ? 'nothing' : describe(context)}` };
  }
  const targetingKey = (context as { targetingKey?: unknown }).targetingKey;
  if (targetingKey !== undefined && typeof targetingKey !== 'string') {
    return { ok: false, errorCode: 'INVALID_CONTEXT', errorDetails: `body.context.targetingKey: expected a string, got ${describe(targetingKey)}` };
  }
  return { ok: true, context: context as EvaluationContext };
}
