import http from 'node:http';

/** Outcome of one health check. */
export interface ProbeResult {
  readonly ok: boolean;
  /** HTTP status, when there was an answer. */
  readonly status?: number;
  /** Why it failed, e.g. `connect ECONNREFUSED 127.0.0.1:4100` or `timed out after 200 ms`. */
  readonly error?: string;
  readonly durationMs: number;
}

/**
 * One HTTP GET health check on loopback. Resolves (never rejects) within
 * about `timeoutMs`: a 2xx or 3xx answer is a success; an error, another
 * status, or no answer in time is a failure.
 */
export function probeHttp(port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<ProbeResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, durationMs: elapsed() });
    };
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { 'user-agent': 'slipway-health-check', connection: 'close' } }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      done(status >= 200 && status < 400 ? { ok: true, status } : { ok: false, status, error: `answered HTTP ${status}` });
    });
    req.on('error', (err) => done({ ok: false, error: err.message }));
    // A hanging endpoint must fail after timeoutMs and free its socket, never stall the loop.
    const timer = setTimeout(() => {
      done({ ok: false, error: `timed out after ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
  });
}
