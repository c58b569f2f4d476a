/** Options of {@link startLoad}. */
export interface LoadOptions {
  /** The shop's ingress, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** Requests per second, spread evenly. @default 20 */
  readonly ratePerSecond?: number;
  /** At most this many requests in flight; beyond it a tick's requests are skipped and counted. @default 32 */
  readonly maxInFlight?: number;
  /** Random source, injectable for tests. @default Math.random */
  readonly random?: () => number;
}

/** What the load generator has seen so far. */
export interface LoadStats {
  readonly sent: number;
  /** Responses by status code. */
  readonly byStatus: Readonly<Record<number, number>>;
  /** Requests that got no response (connection errors, timeouts). */
  readonly errors: number;
  /** Ticks skipped because too many requests were in flight. */
  readonly skipped: number;
}

/** A running load generator. */
export interface Load {
  stats(): LoadStats;
  /** Stops sending and waits for requests in flight. */
  stop(): Promise<void>;
}

/**
 * The demo's shoppers: a bounded, steady mix of browsing (product list and
 * product pages, the latter hitting the catalog's slow reviews query) and
 * checkouts, so every dashboard has real traffic to show. The rate is fixed
 * and in-flight requests are capped: it never turns into a load test.
 */
export function startLoad(options: LoadOptions): Load {
  const rate = options.ratePerSecond ?? 20;
  const maxInFlight = options.maxInFlight ?? 32;
  const random = options.random ?? Math.random;
  const byStatus: Record<number, number> = {};
  let sent = 0;
  let errors = 0;
  let skipped = 0;
  const inFlight = new Set<Promise<void>>();
  const tickMs = 50;
  let credit = 0;

  const one = () => {
    const r = random();
    const product = 1 + Math.floor(random() * 200);
    const request: [string, RequestInit] =
      r < 0.55
        ? [`${options.baseUrl}/api/products?limit=12&offset=${Math.floor(random() * 10) * 12}`, {}]
        : r < 0.85
          ? [`${options.baseUrl}/api/products/${product}`, {}]
          : [
              `${options.baseUrl}/api/checkout`,
              { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: product, quantity: 1, card: '4242 4242 4242 4242' }) },
            ];
    sent++;
    const p = fetch(request[0], { ...request[1], signal: AbortSignal.timeout(10_000) })
      .then(async (res) => {
        await res.arrayBuffer();
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      })
      .catch(() => {
        errors++;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const timer = setInterval(() => {
    credit += (rate * tickMs) / 1000;
    while (credit >= 1) {
      credit -= 1;
      if (inFlight.size >= maxInFlight) skipped++;
      else one();
    }
  }, tickMs);
  timer.unref();

  return {
    stats: () => ({ sent, byStatus: { ...byStatus }, errors, skipped }),
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
