import { describe, expect, it } from 'vitest';
import { parseShadowIgnore, type JsonPathSegment } from '../../shared/index.js';
import { compareAnswers, type CompiledComparison } from './compare-answers.js';
import { diffJson } from './json-diff.js';

const paths = (...ps: string[]): JsonPathSegment[][] => ps.map((p) => {
  const r = parseShadowIgnore(p);
  if (r.kind !== 'json') throw new Error(p);
  return [...r.segments];
});

describe('diffJson', () => {
  it.each([
    // GIVEN two documents and ignore paths WHEN diffed THEN exactly the differing, non-ignored paths
    ['equal, keys in another order', { a: 1, b: [1, 2] }, { b: [1, 2], a: 1.0 }, [], []],
    ['a changed leaf', { a: { b: 1 } }, { a: { b: 2 } }, [], ['$.a.b']],
    ['a type change', { a: 1 }, { a: '1' }, [], ['$.a']],
    ['a missing key on either side', { a: 1, b: 2 }, { a: 1, c: 3 }, [], ['$.b', '$.c']],
    ['array lengths', { l: [1, 2, 3] }, { l: [1] }, [], ['$.l[1]', '$.l[2]']],
    ['an ignored timestamp', { id: 1, timestamp: 'x' }, { id: 1, timestamp: 'y' }, ['$.timestamp'], []],
    ['an ignored missing field', { id: 1, requestId: 'r' }, { id: 1 }, ['$.requestId'], []],
    ['a nested ignore with a wildcard', { items: [{ id: 1, at: 1 }, { id: 2, at: 2 }] }, { items: [{ id: 1, at: 9 }, { id: 3, at: 8 }] }, ['$.items[*].at'], ['$.items[1].id']],
    ['a descendant ignore', { a: { requestId: 1, b: { requestId: 2 } } }, { a: { requestId: 3, b: { requestId: 4 } } }, ['$..requestId'], []],
    ['an ignored subtree', { meta: { a: 1, b: 2 }, v: 1 }, { meta: { a: 2 }, v: 2 }, ['$.meta'], ['$.v']],
    ['null against an object', { a: null }, { a: {} }, [], ['$.a']],
    ['root scalars', 1, 2, [], ['$']],
  ] as const)('%s', (_name, a, b, ignore, expected) => {
    expect(diffJson(a, b, paths(...ignore))).toEqual(expected);
  });

  it('stops at the limit', () => {
    const a = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, -i - 1]));
    expect(diffJson(a, b, [], 5)).toHaveLength(5);
  });
});

describe('compareAnswers', () => {
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => ({
    status,
    headers: new Map(Object.entries({ 'content-type': 'application/json; charset=utf-8', ...headers })),
    body: Buffer.from(JSON.stringify(body)),
  });
  const text = (body: string, headers: Record<string, string> = {}) => ({ status: 200, headers: new Map(Object.entries({ 'content-type': 'text/plain', ...headers })), body: Buffer.from(body) });
  const cmp = (over: Partial<CompiledComparison> = {}): CompiledComparison => ({ headers: true, body: 'auto', ignoreHeaders: new Set(), ignorePaths: [], ...over });

  it('GIVEN JSON answers that differ only in formatting and key order THEN they agree', () => {
    const a = { status: 200, headers: new Map([['content-type', 'application/json']]), body: Buffer.from('{"a":1,"b":2}') };
    const b = { status: 200, headers: new Map([['content-type', 'application/problem+json']]), body: Buffer.from('{ "b": 2,\n "a": 1 }') };
    expect(compareAnswers(a, b, cmp({ headers: false }))).toEqual([]);
  });

  it('GIVEN a status, a header and a field that differ THEN all three are named', () => {
    expect(compareAnswers(json({ a: 1 }, 200, { 'x-v': '1' }), json({ a: 2 }, 500, { 'x-v': '2' }), cmp())).toEqual(['status', 'headers.x-v', '$.a']);
  });

  it('GIVEN per-answer headers (date, etag, content-length) and a declared noisy header THEN none of them count', () => {
    const a = json({ a: 1 }, 200, { date: 'Mon', etag: 'W/"1"', 'content-length': '7', 'x-request-id': 'r1' });
    const b = json({ a: 1 }, 200, { date: 'Tue', etag: 'W/"2"', 'content-length': '8', 'x-request-id': 'r2' });
    expect(compareAnswers(a, b, cmp({ ignoreHeaders: new Set(['x-request-id']) }))).toEqual([]);
  });

  it('GIVEN non-JSON bodies THEN they are compared as bytes', () => {
    expect(compareAnswers(text('hello'), text('hello'), cmp())).toEqual([]);
    expect(compareAnswers(text('hello'), text('hellO'), cmp())).toEqual(['body']);
  });

  it('GIVEN a body that claims JSON but does not parse THEN bytes are compared', () => {
    const bad = { status: 200, headers: new Map([['content-type', 'application/json']]), body: Buffer.from('{nope') };
    expect(compareAnswers(bad, { ...bad, body: Buffer.from('{nope') }, cmp())).toEqual([]);
    expect(compareAnswers(bad, json({ a: 1 }), cmp({ headers: false }))).toEqual(['body']);
  });

  it('GIVEN body: ignore THEN only status and headers count', () => {
    expect(compareAnswers(json({ a: 1 }), json({ a: 2 }), cmp({ body: 'ignore' }))).toEqual([]);
  });
});
