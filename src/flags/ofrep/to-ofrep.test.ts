import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '../model.js';
import { toOfrepAnswer } from './to-ofrep.js';

describe('toOfrepAnswer', () => {
  it.each<[string, EvaluationResult, number, object]>([
    // GIVEN an evaluation THEN the status and body OFREP gives it
    ['a served value is 200 with its version', { ok: true, key: 'f', value: true, variant: 'rule-1', reason: 'SPLIT' }, 200, { key: 'f', value: true, variant: 'rule-1', reason: 'SPLIT', metadata: { version: 3 } }],
    ['a disabled flag is still a 200', { ok: true, key: 'f', value: false, variant: 'default', reason: 'DISABLED' }, 200, { reason: 'DISABLED', value: false }],
    ['an unknown flag is 404 FLAG_NOT_FOUND', { ok: false, key: 'x', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', errorDetails: 'no x' }, 404, { key: 'x', errorCode: 'FLAG_NOT_FOUND', errorDetails: 'no x' }],
    ['a missing targeting key is 400', { ok: false, key: 'f', reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING', errorDetails: 'split' }, 400, { key: 'f', errorCode: 'TARGETING_KEY_MISSING' }],
    ['a general failure is 400', { ok: false, key: 'f', reason: 'ERROR', errorCode: 'GENERAL', errorDetails: 'variant' }, 400, { key: 'f', errorCode: 'GENERAL' }],
  ])('%s', (_name, result, status, body) => {
    const answer = toOfrepAnswer(result, 3);
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject(body);
  });

  it('never puts a reason or value on a failure', () => {
    expect(Object.keys(toOfrepAnswer({ ok: false, key: 'x', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND', errorDetails: 'd' }, undefined).body).sort()).toEqual(['errorCode', 'errorDetails', 'key']);
  });
});
