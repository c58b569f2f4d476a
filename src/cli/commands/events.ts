import type { Command } from 'commander';
import type { EventDto } from '../../shared/index.js';
import { ApiClient, apiError, type ClientOptions } from '../client.js';
import { printJson, println } from '../output.js';
import { SseParser } from '../sse.js';

interface EventsOptions extends ClientOptions {
  type?: string;
  subject?: string;
  after?: string;
  limit?: string;
  follow?: boolean;
  json?: boolean;
}

/** `slipway events [--type T] [--subject S] [--follow] [--json]`. */
export function eventsCommand(program: Command): void {
  program
    .command('events')
    .description('show the event log (every state change, in order)')
    .option('--type <type>', 'event type or dotted prefix, e.g. deployment')
    .option('--subject <subject>', 'exact subject, e.g. deployment/42')
    .option('--after <seq>', 'only events after this sequence number')
    .option('--limit <n>', 'at most this many events', '100')
    .option('-f, --follow', 'keep printing new events as they happen')
    .option('--json', 'print JSON (one object per line with --follow)')
    .action(async (opts: EventsOptions, cmd: Command) => {
      const client = ApiClient.from({ ...cmd.optsWithGlobals<ClientOptions>(), ...opts });
      const query = { type: opts.type, subject: opts.subject, after: opts.after };
      if (opts.follow) {
        await follow(client, query, opts.json ?? false);
        return;
      }
      const page = await client.get<{ events: EventDto[] }>('/api/v1/events', { ...query, limit: opts.limit });
      if (opts.json) printJson(page.events);
      else for (const e of page.events) println(formatEvent(e));
    });
}

/** One event as a line: `#12 2026-01-01T00:00:00.000Z deployment.started deployment/3 {...}`. */
export function formatEvent(e: EventDto): string {
  const data = Object.keys(e.data).length > 0 ? ` ${JSON.stringify(e.data)}` : '';
  return `#${e.seq} ${e.time} ${e.type} ${e.subject}${data}`;
}

async function follow(client: ApiClient, query: Record<string, string | undefined>, json: boolean): Promise<void> {
  let lastId: string | undefined = query.after;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // Reconnect after a dropped stream, resuming from the last event seen.
    while (!stop.signal.aborted) {
      try {
        const res = await fetch(client.url('/api/v1/events/stream', { type: query.type, subject: query.subject }), {
          headers: client.headers(lastId ? { 'last-event-id': lastId } : {}),
          signal: stop.signal,
        });
        if (!res.ok || !res.body) throw apiError(res.status, await res.text());
        const parser = new SseParser();
        const decoder = new TextDecoder();
        for await (const chunk of res.body) {
          for (const m of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
            if (m.id) lastId = m.id;
            const e = JSON.parse(m.data) as EventDto;
            if (json) println(JSON.stringify(e));
            else println(formatEvent(e));
          }
        }
      } catch (err) {
        if (stop.signal.aborted) return;
        if ((err as { code?: string }).code?.startsWith('SLW_ERR_API')) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
