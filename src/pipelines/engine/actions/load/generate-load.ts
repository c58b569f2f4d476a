import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { ResolvedLoadTest } from '../../../../shared/index.js';
import { loadFigures, type LoadFigures, type LoadSample } from './load-figures.js';

/** Options of {@link generateLoad}: the request and bounds of a compiled load test (already capped by `LOAD_TEST_LIMITS`), where it goes, and when to stop early. */
export type LoadOptions = Pick<ResolvedLoadTest, 'path' | 'method' | 'headers' | 'body' | 'durationMs' | 'concurrency' | 'ratePerSecond' | 'maxRequests' | 'requestTimeoutMs'> & {
  /** `http://127.0.0.1:<port>`: the ingress listener. */
  readonly origin: string;
  /** Stops the load early (the figures so far are returned). */
  readonly signal: AbortSignal;
};

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
  // Every worker waits on the stop signal at once (pacing, its request): one signal of this load, with room for them all.
  const stop = new AbortController();
  setMaxListeners(2 * o.concurrency + 10, stop.signal);
  const onAbort = () => stop.abort(o.signal.reason);
  o.signal.addEventListener('abort', onAbort, { once: true });
  if (o.signal.aborted) onAbort();
  const run: LoadOptions = { ...o, signal: stop.signal };
  const worker = async (): Promise<void> => {
    for (;;) {
      if (stop.signal.aborted || issued >= o.maxRequests) return;
      const slot = issued++;
      if (intervalMs > 0) {
        const due = started + slot * intervalMs;
        if (due >= endsAt) return;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait, undefined, { signal: stop.signal }).catch(() => undefined);
        if (stop.signal.aborted) return;
      }
      if (performance.now() >= endsAt) return;
      record(await sendOne(pool, run));
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    return loadFigures(Float64Array.from(latencies), byStatus, performance.now() - started);
  } finally {
    o.signal.removeEventListener('abort', onAbort);
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
