import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auth, testServer } from '../../test/support/server.js';

describe('API server', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeEach(async () => {
    server = await testServer();
  });
  afterEach(() => server.close());

  it('answers /api/v1/health without a token', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['a token of another length', { authorization: 'Bearer x' }],
    ['another scheme', { authorization: 'Basic dGVzdA==' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('refuses %s with 401 and no detail', async (_name, headers) => {
    for (const url of ['/api/v1/status', '/api/v1/events', '/api/v1/events/stream', '/api/v1/no-such-route']) {
      const res = await server.app.inject({ method: 'GET', url, headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'SLW_ERR_API_UNAUTHORIZED', message: 'Unauthorized' } });
    }
  });

  it('answers an unknown route with 404 in the one error shape', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/v1/nope?x=1', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'SLW_ERR_API_NOT_FOUND', message: 'no route GET /api/v1/nope' } });
  });

  it('pages through events by sequence number', async () => {
    // GIVEN five events
    for (let i = 0; i < 5; i++) server.events.append({ type: i % 2 ? 'custom.deployment.started' : 'custom.pipeline.run.started', subject: `s/${i}` });
    // WHEN the first page of two is read, then the next from nextAfter
    const first = (await server.app.inject({ url: '/api/v1/events?limit=2', headers: auth })).json();
    const second = (await server.app.inject({ url: `/api/v1/events?limit=2&after=${first.nextAfter}`, headers: auth })).json();
    const filtered = (await server.app.inject({ url: '/api/v1/events?type=custom.deployment', headers: auth })).json();
    // THEN pages follow each other and filters apply
    expect(first.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(first.nextAfter).toBe(2);
    expect(second.events.map((e: { seq: number }) => e.seq)).toEqual([3, 4]);
    expect(filtered.events.map((e: { seq: number }) => e.seq)).toEqual([2, 4]);
    expect(filtered.nextAfter).toBeNull();
    expect(first.events[0]).toEqual({ seq: 1, time: '2026-01-01T00:00:00.000Z', timeMs: Date.UTC(2026, 0, 1), type: 'custom.pipeline.run.started', subject: 's/0', data: {} });
  });

  it.each([
    ['limit=0', 'query.limit', 'too small: expected number to be >=1'],
    ['limit=abc', 'query.limit', 'invalid input: expected number, received NaN'],
    ['after=-1', 'query.after', 'too small: expected number to be >=0'],
    ['colour=red', 'query.colour', 'unknown key "colour"'],
  ])('refuses the query %s with 400 naming %s', async (qs, path, message) => {
    const res = await server.app.inject({ url: `/api/v1/events?${qs}`, headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { code: 'SLW_ERR_API_VALIDATION', message: `${path}: ${message}`, issues: [{ path, message }] } });
  });

  it('appends an annotation event from a valid body', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/events', headers: auth, payload: { type: 'custom.release.noted', subject: 'release/1.2', data: { by: 'ana' } } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ seq: 1, type: 'custom.release.noted', subject: 'release/1.2', data: { by: 'ana' } });
    expect(server.events.lastSeq()).toBe(1);
  });

  it.each([
    [{ type: 'deployment.started', subject: 's' }, 'body.type', 'must be a dotted lowercase type starting with "custom.", e.g. "custom.release.noted"'],
    [{ type: 'custom.x' }, 'body.subject', 'invalid input: expected string, received undefined'],
    [{ type: 'custom.x', subject: 's', data: 'text' }, 'body.data', 'invalid input: expected record, received string'],
    [{ type: 'custom.x', subject: 's', extra: 1 }, 'body.extra', 'unknown key "extra"'],
  ])('refuses the body %j with 400 naming %s, and appends nothing', async (payload, path, message) => {
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/events', headers: auth, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues).toEqual([{ path, message }]);
    expect(res.json().error.code).toBe('SLW_ERR_API_VALIDATION');
    expect(server.events.lastSeq()).toBe(0);
  });

  it('refuses malformed JSON with 400 and a non-JSON content type with 415', async () => {
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/events', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"type":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('SLW_ERR_API_VALIDATION');
    const text = await server.app.inject({ method: 'POST', url: '/api/v1/events', headers: { ...auth, 'content-type': 'text/plain' }, payload: 'hi' });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('SLW_ERR_API_UNSUPPORTED_MEDIA');
  });

  it('refuses a body over the limit with 413', async () => {
    const small = await testServer({ bodyLimitBytes: 100 });
    const res = await small.app.inject({ method: 'POST', url: '/api/v1/events', headers: auth, payload: { type: 'custom.x', subject: 'x'.repeat(200) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('SLW_ERR_API_BODY_TOO_LARGE');
    await small.close();
  });
});
