import type { EventDto } from '../shared/index.js';
import { apiError, type ApiClient } from './client.js';
import { SseParser } from './sse.js';

/** What to follow: the event stream's filters and where to resume. */
export interface FollowQuery {
  readonly type?: string;
  readonly subject?: string;
  /** Resume after this sequence number. */
  readonly after?: string;
}

/**
 * Follows the event stream, calling `onEvent` for each event in order, until
 * `onEvent` returns true or `signal` aborts. A dropped stream (the control
 * plane restarting) is reopened after a second from the last event seen, so
 * nothing is missed or repeated; an API error (bad token, bad filter) ends it.
 */
export async function followEvents(client: ApiClient, query: FollowQuery, onEvent: (e: EventDto) => boolean | void | Promise<boolean | void>, signal?: AbortSignal): Promise<void> {
  let lastId = query.after;
  while (!signal?.aborted) {
    try {
      const res = await fetch(client.url('/api/v1/events/stream', { type: query.type, subject: query.subject }), {
        headers: client.headers(lastId ? { 'last-event-id': lastId } : {}),
        signal,
      });
      if (!res.ok || !res.body) throw apiError(res.status, await res.text());
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for await (const chunk of res.body) {
        for (const m of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
          if (m.id) lastId = m.id;
          if (await onEvent(JSON.parse(m.data) as EventDto)) return;
        }
      }
    } catch (err) {
      if (signal?.aborted) return;
      if ((err as { code?: string }).code?.startsWith('SLW_ERR_API')) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
