import type { Command } from 'commander';
import type { EventDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { followEvents } from '../follow-events.js';
import { printJson, println } from '../output.js';

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
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await followEvents(client, { type: query.type, subject: query.subject, after: query.after }, (e) => println(json ? JSON.stringify(e) : formatEvent(e)), stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
