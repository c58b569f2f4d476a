import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { loadFigures, type LoadFigures, type LoadSample } from './load-figures.js';

/** Options of {@link generateLoad}; the caller has already bounded them (see `LOAD_TEST_LIMITS`). */
export interface LoadOptions {
  /** `http://127.0.0.1:<port>`: the ingress listener. */
  readonly origin: string;
  /** Path and query of every request. */
  readonly path: string;
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly durationMs: number;
  /** Requests in flight at once (one keep-alive connection each). */
  readonly concurrency: number;
  /** Requests started per second across all connections; undefined: as fast as the concurrency allows. */
  readonly ratePerSecond: number | undefined;
  readonly maxRequests: number;
  readonly requestTimeoutMs: number;
  /** Stops the load early (the figures so far are returned). */
  readonly signal: AbortSignal;
}

/**
 * Sends a bounded load: `concurrency` workers over keep-alive connections, each sending one request
 * after the other (paced to `ratePerSecond` when given) until `durationMs` has passed or `maxRequests`
 * were started. Every request's latency is measured from send to the last byte of its body.
 */
export async function generateLoad(o: LoadOptions): Promise<LoadFigures> {
  const pool = new Pool(o.origin, { connections: o.concurrency, pipelining: 1, headersTimeout: o.requestTimeoutMs, bodyTimeout: o.requestTimeoutMs, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  const record = (s: LoadSample): void => {
    latencies.push(s.latencyMs);
    const key = String(s.outcome);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  };
  const started = performance.now();
  const endsAt = started + o.durationMs;
  const intervalMs = o.ratePerSecond === undefined ? 0 : 1000 / o.ratePerSecond;
  let issued = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (o.signal.aborted || issued >= o.maxRequests) return;
      const slot = issued++;
      if (intervalMs > 0) {
        const due = started + slot * intervalMs;
        if (due >= endsAt) return;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait, undefined, { signal: o.signal }).catch(() => undefined);
        if (o.signal.aborted) return;
      }
      if (performance.now() >= endsAt) return;
      record(await sendOne(pool, o));
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    return loadFigures(Float64Array.from(latencies), byStatus, performance.now() - started);
  } finally {
    await pool.destroy().catch(() => undefined);
  }
}

async function sendOne(pool: Pool, o: LoadOptions): Promise<LoadSample> {
  const t0 = performance.now();
  try {
    const res = await pool.request({ path: o.path, method: o.method, headers: { ...o.headers }, body: o.body ?? null, signal: AbortSignal.any([o.signal, AbortSignal.timeout(o.requestTimeoutMs)]) });
    await res.body.dump({ limit: Number.MAX_SAFE_INTEGER });
    return { latencyMs: performance.now() - t0, outcome: res.statusCode };
  } catch (err) {
    const code = (err as { code?: string; name?: string }).code ?? (err as { name?: string }).name ?? '';
    const timedOut = /TIMEOUT|AbortError|TimeoutError/i.test(code);
    return { latencyMs: performance.now() - t0, outcome: timedOut ? 'timeout' : 'connection' };
  }
}
