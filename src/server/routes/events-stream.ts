import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { matchesEventQuery, type EventLog, type SlipwayEvent } from '../../core/index.js';
import { InputError, eventsQuerySchema, parseInput } from '../../shared/index.js';
import { toEventDto, toEventQuery } from './event-dto.js';

/** Options of the event stream. */
export interface EventStreamOptions {
  /** Interval of the keep-alive comment. @default 15000 */
  readonly heartbeatMs?: number;
  /** A client this far behind is disconnected; it resumes with Last-Event-ID. @default 8 MiB */
  readonly maxBufferedBytes?: number;
}

const PAGE = 1000;

/**
 * `GET /api/v1/events/stream`: Server-Sent Events, one event per log entry,
 * `id:` = sequence number. A client that reconnects with `Last-Event-ID`
 * (or `?after=`) gets every event after that one, then live events, in order
 * and without duplicates: live events are buffered while the backlog replays.
 */
export function eventStreamRoutes(app: FastifyInstance, events: EventLog, options: EventStreamOptions = {}): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get('/api/v1/events/stream', { config: { auth: 'session' } }, async (request, reply) => {
    const query = toEventQuery(parseInput(eventsQuerySchema, request.query, 'query'));
    const header = request.headers['last-event-id'];
    let lastSent = query.afterSeq ?? 0;
    if (typeof header === 'string' && header !== '') {
      if (!/^\d+$/.test(header)) {
        throw new InputError('SLW_ERR_API_VALIDATION', `headers.last-event-id: expected a sequence number, got "${header}"`, {
          issues: [{ path: 'headers.last-event-id', message: `expected a sequence number, got "${header}"` }],
        });
      }
      lastSent = Number(header);
    }
    const filter = { ...query, afterSeq: undefined, limit: undefined };

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    open.add(res);

    const maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    const send = (e: SlipwayEvent) => {
      if (e.seq <= lastSent || res.writableEnded) return;
      lastSent = e.seq;
      res.write(`id: ${e.seq}\ndata: ${JSON.stringify(toEventDto(e))}\n\n`);
      // A client that does not read is cut off rather than held in memory; it resumes from its Last-Event-ID.
      if (res.writableLength > maxBuffered) res.end();
    };
    let pending: SlipwayEvent[] | undefined = [];
    const unsubscribe = events.subscribe((e) => {
      if (!matchesEventQuery(e, filter)) return;
      if (pending) pending.push(e);
      else send(e);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    };
    res.on('close', cleanup);

    for (;;) {
      const page = events.list({ ...filter, afterSeq: lastSent, limit: PAGE });
      for (const e of page) send(e);
      if (page.length < PAGE || res.writableEnded) break;
    }
    const buffered = pending;
    pending = undefined;
    for (const e of buffered) send(e);
  });
}
