import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auth, testServer } from '../../../test/support/server.js';
import { SseClient } from '../../../test/support/sse-client.js';

describe('GET /api/v1/events/stream', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let base: string;
  const clients: SseClient[] = [];
  const open = (path: string, headers: Record<string, string> = {}) => {
    const c = new SseClient(`${base}${path}`, { ...auth, ...headers });
    clients.push(c);
    return c;
  };
  const seqs = (c: SseClient) => c.messages.map((m) => Number(m.id));

  beforeEach(async () => {
    server = await testServer();
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  it('replays the backlog, then delivers live events in order, each with its seq as id', async () => {
    // GIVEN three events already in the log
    for (let i = 1; i <= 3; i++) server.events.append({ type: 'custom.test.happened', subject: `s/${i}` });
    // WHEN a client connects and a fourth event is appended
    const client = open('/api/v1/events/stream');
    await client.waitForCount(3);
    server.events.append({ type: 'custom.test.happened', subject: 's/4' });
    await client.waitForCount(4);
    // THEN it sees 1..4 in order, with the event as JSON data
    expect(seqs(client)).toEqual([1, 2, 3, 4]);
    expect(JSON.parse(client.messages[3]!.data)).toMatchObject({ seq: 4, type: 'custom.test.happened', subject: 's/4' });
  });

  it('resumes after Last-Event-ID with no duplicate and no gap', async () => {
    for (let i = 1; i <= 4; i++) server.events.append({ type: 'custom.test.happened', subject: 's' });
    const first = open('/api/v1/events/stream');
    await first.waitForCount(4);
    await first.close();
    // GIVEN the client saw up to 4 and disconnected; two more events happen meanwhile
    server.events.append({ type: 'custom.test.happened', subject: 's' });
    server.events.append({ type: 'custom.test.happened', subject: 's' });
    // WHEN it reconnects with Last-Event-ID: 4
    const again = open('/api/v1/events/stream', { 'last-event-id': '4' });
    await again.waitForCount(2);
    server.events.append({ type: 'custom.test.happened', subject: 's' });
    await again.waitForCount(3);
    // THEN it gets 5, 6, then live 7
    expect(seqs(again)).toEqual([5, 6, 7]);
  });

  it('stays ordered and complete while events are appended during the replay', async () => {
    // GIVEN a backlog larger than one replay page
    server.events.appendAll(Array.from({ length: 2500 }, (_, i) => ({ type: 'custom.test.bulk' as const, subject: `s/${i}` })));
    const client = open('/api/v1/events/stream');
    // WHEN more events are appended while the client is catching up
    for (let i = 0; i < 50; i++) server.events.append({ type: 'custom.test.bulk', subject: 'live' });
    await client.waitForCount(2550);
    // THEN it has each of 1..2550 exactly once, in order
    expect(seqs(client)).toEqual(Array.from({ length: 2550 }, (_, i) => i + 1));
  });

  it('filters by type prefix and subject', async () => {
    server.events.append({ type: 'custom.deployment.started', subject: 'deployment/1' });
    server.events.append({ type: 'custom.alarm.state.changed', subject: 'alarm/a' });
    server.events.append({ type: 'custom.deployment.traffic.shifted', subject: 'deployment/2' });
    const byType = open('/api/v1/events/stream?type=custom.deployment');
    const bySubject = open('/api/v1/events/stream?subject=deployment/2');
    await byType.waitForCount(2);
    await bySubject.waitForCount(1);
    server.events.append({ type: 'custom.alarm.state.changed', subject: 'alarm/a' });
    server.events.append({ type: 'custom.deployment.succeeded', subject: 'deployment/2' });
    await byType.waitForCount(3);
    await bySubject.waitForCount(2);
    expect(seqs(byType)).toEqual([1, 3, 5]);
    expect(seqs(bySubject)).toEqual([3, 5]);
  });

  it('refuses a Last-Event-ID that is not a sequence number with 400', async () => {
    const res = await fetch(`${base}/api/v1/events/stream`, { headers: { ...auth, 'last-event-id': 'abc' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { issues: unknown } }).error.issues).toEqual([{ path: 'headers.last-event-id', message: 'expected a sequence number, got "abc"' }]);
  });
});
