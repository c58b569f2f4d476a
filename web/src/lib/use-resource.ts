import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './api.js';
import { useLiveEvents } from './live-events.js';

/** A resource read from the API and kept current by the event stream. */
export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: ApiError | Error | undefined;
  /** True while the first load is in flight. */
  readonly loading: boolean;
  /** True when the route does not exist on this server yet. */
  readonly missing: boolean;
  reload(): void;
}

/** Options of {@link useResource}. */
export interface ResourceOptions {
  /** Event type prefixes after which the resource is read again, e.g. `['task', 'service.traffic']`. */
  readonly refreshOn?: readonly string[];
  /** Only these events (by subject or data) trigger a reload. */
  readonly when?: (e: { type: string; subject: string; data: Readonly<Record<string, unknown>> }) => boolean;
  /** Coalesces bursts of events into one read. @default 300 */
  readonly debounceMs?: number;
}

/**
 * Reads `path` (skipped when null) and reads it again when a matching event
 * arrives: no polling, one read per burst of events.
 */
export function useResource<T>(path: string | null, options: ResourceOptions = {}): Resource<T> {
  const [state, setState] = useState<{ path: string | null; data?: T; error?: ApiError | Error; loading: boolean }>({ path, loading: path !== null });
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const whenRef = useRef(options.when);
  whenRef.current = options.when;

  const load = useCallback(() => {
    if (path === null) return;
    const gen = ++generation.current;
    api<T>(path).then(
      (data) => gen === generation.current && setState({ path, data, loading: false }),
      (error: unknown) => gen === generation.current && setState((s) => ({ path, data: s.path === path ? s.data : undefined, error: error instanceof Error ? error : new Error(String(error)), loading: false })),
    );
  }, [path]);

  useEffect(() => {
    setState((s) => (s.path === path ? s : { path, loading: path !== null }));
    load();
    return () => {
      generation.current++;
      clearTimeout(timer.current);
    };
  }, [load, path]);

  // A prefix no event type has: a resource without refreshOn listens to nothing.
  useLiveEvents(options.refreshOn?.length ? options.refreshOn : ['-'], (e) => {
    if (whenRef.current && !whenRef.current(e)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(load, options.debounceMs ?? 300);
  });

  const current = state.path === path;
  const error = current ? state.error : undefined;
  return {
    data: current ? state.data : undefined,
    error,
    loading: current ? state.loading : true,
    missing: error instanceof ApiError && error.routeMissing,
    reload: load,
  };
}
