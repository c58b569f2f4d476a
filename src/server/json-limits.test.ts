import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auth, testServer } from '../../test/support/server.js';

/** `{"a":{"a":...1}}` as JSON text, `levels` objects deep. */
function deepJson(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

// A route of "another context", registered the way the composition root registers them.
const echoRoute = (app: FastifyInstance): void => {
  app.post('/api/v1/test/echo', async (request) => ({ got: request.body }));
};

interface Case {
  readonly name: string;
  readonly url: string;
  readonly payload: string;
  readonly status: number;
  readonly code?: string;
  readonly path?: string;
}

const cases: Case[] = [
  { name: 'an event whose data is at the limit', url: '/api/v1/events', payload: `{"type":"custom.note","subject":"s","data":${deepJson(63)}}`, status: 201 },
  {
    name: 'an event whose data is one level past the limit',
    url: '/api/v1/events',
    payload: `{"type":"custom.note","subject":"s","data":${deepJson(64)}}`,
    status: 400,
    code: 'SLW_ERR_API_TOO_DEEP',
    path: `body.data${'.a'.repeat(63)}`,
  },
  { name: 'a context route body 5 000 levels deep', url: '/api/v1/test/echo', payload: deepJson(5000), status: 400, code: 'SLW_ERR_API_TOO_DEEP', path: `body${'.a'.repeat(64)}` },
  { name: 'a context route body with too many values', url: '/api/v1/test/echo', payload: `[${'0,'.repeat(100_000)}0]`, status: 413, code: 'SLW_ERR_API_BODY_TOO_LARGE', path: 'body[99999]' },
];

describe('JSON body limits', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeEach(async () => {
    server = await testServer({ routes: [echoRoute] });
  });
  afterEach(() => server.close());

  it.each(cases)('$name answers $status', async ({ url, payload, status, code, path }) => {
    // GIVEN a JSON body of some shape WHEN it is posted
    const res = await server.app.inject({ method: 'POST', url, headers: { ...auth, 'content-type': 'application/json' }, payload });
    // THEN within the limits the route answers; past them the hook does, naming the limit and where
    expect(res.statusCode).toBe(status);
    if (code === undefined) return;
    const limit = code === 'SLW_ERR_API_TOO_DEEP' ? 'nested deeper than 64 levels (the limit)' : 'has more than 100000 values (the limit)';
    expect(res.json()).toEqual({ error: { code, message: `${path}: ${limit}`, issues: [{ path, message: limit }] } });
  });

  it('checks the token before the body', async () => {
    // GIVEN no token WHEN a deep body is posted THEN it is refused as unauthorised, not inspected
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/events', headers: { 'content-type': 'application/json' }, payload: deepJson(5000) });
    expect(res.statusCode).toBe(401);
  });

  it('takes its limits from the server options', async () => {
    // GIVEN a server with a depth limit of 3
    const strict = await testServer({ routes: [echoRoute], jsonLimits: { maxDepth: 3 } });
    try {
      // WHEN a body four levels deep is posted THEN it is refused at the fourth level
      const res = await strict.app.inject({ method: 'POST', url: '/api/v1/test/echo', headers: { ...auth, 'content-type': 'application/json' }, payload: deepJson(4) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'SLW_ERR_API_TOO_DEEP', issues: [{ path: 'body.a.a.a', message: 'nested deeper than 3 levels (the limit)' }] } });
    } finally {
      await strict.close();
    }
  });
});
