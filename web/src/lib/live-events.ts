import { useEffect, useRef, useSyncExternalStore } from 'react';
import { api } from './api.js';
import type { EventDto, EventsPageDto } from '../../../src/shared/index.js';

/** State of the connection to the event stream. */
export type StreamState = 'connecting' | 'live' | 'offline';

type Handler = (e: EventDto) => void;

const RECONNECT_MS = 3000;

/**
 * The one connection of the page to `GET /api/v1/events/stream`. It starts
 * after the log's current last sequence number (views load their own state
 * first, then react to what changes), and when the browser's own retry gives
 * up (a 401, a restarted server) it reconnects from the last id it saw.
 */
class LiveEvents {
  #source: EventSource | undefined;
  #lastSeq: number | undefined;
  #state: StreamState = 'connecting';
  #handlers = new Set<{ prefixes: readonly string[]; handler: Handler }>();
  #stateListeners = new Set<() => void>();
  #retry: ReturnType<typeof setTimeout> | undefined;
  #started = false;

  get state(): StreamState {
    return this.#state;
  }

  /** The last sequence number seen, once known. */
  get lastSeq(): number | undefined {
    return this.#lastSeq;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#connect();
  }

  stop(): void {
    this.#started = false;
    clearTimeout(this.#retry);
    this.#source?.close();
    this.#source = undefined;
  }

  /** Calls `handler` for each live event whose type starts with one of `prefixes` (all when empty). */
  subscribe(prefixes: readonly string[], handler: Handler): () => void {
    const entry = { prefixes, handler };
    this.#handlers.add(entry);
    return () => this.#handlers.delete(entry);
  }

  onState(listener: () => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  async #connect(): Promise<void> {
    if (!this.#started) return;
    try {
      if (this.#lastSeq === undefined) this.#lastSeq = (await api<EventsPageDto>('/api/v1/events?limit=1')).lastSeq;
    } catch {
      this.#setState('offline');
      this.#retry = setTimeout(() => void this.#connect(), RECONNECT_MS);
      return;
    }
    if (!this.#started) return;
    const source = new EventSource(`/api/v1/events/stream?after=${this.#lastSeq}`, { withCredentials: true });
    this.#source = source;
    source.onopen = () => this.#setState('live');
    source.onmessage = (m: MessageEvent<string>) => this.#dispatch(m.data);
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        this.#setState('offline');
        this.#retry = setTimeout(() => void this.#connect(), RECONNECT_MS);
      } else {
        this.#setState('connecting');
      }
    };
  }

  #dispatch(data: string): void {
    let e: EventDto;
    try {
      e = JSON.parse(data) as EventDto;
    } catch {
      return;
    }
    if (this.#lastSeq !== undefined && e.seq <= this.#lastSeq) return;
    this.#lastSeq = e.seq;
    for (const { prefixes, handler } of this.#handlers) {
      if (prefixes.length === 0 || prefixes.some((p) => matchesPrefix(e.type, p))) handler(e);
    }
  }

  #setState(state: StreamState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const l of this.#stateListeners) l();
  }
}

/** True when `type` is `prefix` or starts with `prefix.` (a trailing dot or `*` is allowed). */
export function matchesPrefix(type: string, prefix: string): boolean {
  const p = prefix.replace(/\.?\*?$/, '');
  return p === '' || type === p || type.startsWith(`${p}.`);
}

/** The page's event stream. */
export const liveEvents = new LiveEvents();

/** The stream's connection state, re-rendering on change. */
export function useStreamState(): StreamState {
  return useSyncExternalStore(
    (l) => liveEvents.onState(l),
    () => liveEvents.state,
  );
}

/** Runs `handler` for each live event of the given type prefixes while the component is mounted. */
export function useLiveEvents(prefixes: readonly string[], handler: Handler): void {
  const ref = useRef(handler);
  ref.current = handler;
  const key = prefixes.join('|');
  useEffect(() => liveEvents.subscribe(key === '' ? [] : key.split('|'), (e) => ref.current(e)), [key]);
}
