import { useState } from 'react';
import { api, ApiError, type ApiOptions } from './api.js';

/** A state-changing call in flight and its refusal, for forms (buttons use `ActionButton`). */
export interface Mutation {
  readonly busy: boolean;
  readonly error: string | undefined;
  /** Sends the request (with the CSRF header, as every non-GET does); resolves to the answer, or undefined when refused. */
  run<T>(path: string, method: NonNullable<ApiOptions['method']>, body?: unknown): Promise<T | undefined>;
}

/** One form's mutation: progress while it runs, the server's message when it is refused. */
export function useMutation(): Mutation {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = async <T,>(path: string, method: NonNullable<ApiOptions['method']>, body?: unknown): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await api<T>(path, { method, body: body ?? {} });
    } catch (err) {
      setError(err instanceof ApiError && err.routeMissing ? 'not available on this server yet' : err instanceof Error ? err.message : String(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
