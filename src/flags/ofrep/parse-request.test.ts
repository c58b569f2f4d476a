import { describe, expect, it } from 'vitest';
import { parseEvaluationRequest } from './parse-request.js';

describe('parseEvaluationRequest', () => {
  it('reads the context, with or without a targetingKey', () => {
    expect(parseEvaluationRequest({ context: { targetingKey: 'u1', plan: 'pro' } })).toEqual({ ok: true, context: { targetingKey: 'u1', plan: 'pro' } });
    expect(parseEvaluationRequest({ context: {} })).toEqual({ ok: true, context: {} });
  });

  it.each<[string, unknown, string]>([
    // GIVEN a body OFREP does not allow THEN INVALID_CONTEXT naming the field and what it got
    ['no body', undefined, 'body: expected an object such as {"context":{"targetingKey":"user-1"}}, got no body'],
    ['an array', [], 'body: expected an object such as {"context":{"targetingKey":"user-1"}}, got an array'],
    ['no context', {}, 'body.context: expected an object (the evaluation context), got nothing'],
    ['a string context', { context: 'u1' }, 'body.context: expected an object (the evaluation context), got string "u1"'],
    ['a null context', { context: null }, 'body.context: expected an object (the evaluation context), got null'],
    ['a numeric targetingKey', { context: { targetingKey: 42 } }, 'body.context.targetingKey: expected a string, got number 42'],
  ])('%s', (_name, body, errorDetails) => {
    expect(parseEvaluationRequest(body)).toEqual({ ok: false, errorCode: 'INVALID_CONTEXT', errorDetails });
  });
});
