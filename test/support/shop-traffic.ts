/** How many of each of the shoppers' requests {@link shopTraffic} sends. */
export interface ShopTrafficOptions {
  /** `GET /api/products` (gateway → catalog). @default 20 */
  readonly browse?: number;
  /** `GET /api/products/:id` (gateway → catalog, twice, one of them the slow reviews query). @default 10 */
  readonly product?: number;
  /** `POST /api/checkout` (gateway → orders → catalog and payments). @default 6 */
  readonly checkout?: number;
  /** `GET` of a page the shop does not have: the gateway answers 404. @default 0 */
  readonly missing?: number;
  /** Requests in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Time after which one request counts as failed. @default 10000 */
  readonly timeoutMs?: number;
}

/** What the shop answered: responses by status code, and requests that got none. */
export interface ShopTrafficResult {
  readonly byStatus: Readonly<Record<number, number>>;
  readonly errors: number;
}

/**
 * A bounded, fixed mix of shoppers' requests to a shop ingress (`baseUrl`):
 * every request is sent once, a few at a time, and the promise resolves when
 * all have been answered (or timed out). Never a load test.
 */
export async function shopTraffic(baseUrl: string, options: ShopTrafficOptions = {}): Promise<ShopTrafficResult> {
  const requests: [string, RequestInit][] = [];
  for (let i = 0; i < (options.browse ?? 20); i++) requests.push([`${baseUrl}/api/products?limit=12&offset=${(i % 5) * 12}`, {}]);
  for (let i = 0; i < (options.product ?? 10); i++) requests.push([`${baseUrl}/api/products/${1 + ((i * 37) % 200)}`, {}]);
  for (let i = 0; i < (options.checkout ?? 6); i++) {
    const body = JSON.stringify({ productId: 1 + ((i * 11) % 200), quantity: 1, card: '4242 4242 4242 4242' });
    requests.push([`${baseUrl}/api/checkout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }]);
  }
  for (let i = 0; i < (options.missing ?? 0); i++) requests.push([`${baseUrl}/api/no-such-page-${i}`, {}]);
  // Interleaved, so each kind is spread over the whole burst.
  const queue = requests.map((r, i) => ({ r, key: (i * 7919) % requests.length })).sort((a, b) => a.key - b.key).map((x) => x.r);
  const byStatus: Record<number, number> = {};
  let errors = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      try {
        const res = await fetch(next[0], { ...next[1], signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
        await res.arrayBuffer();
        byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return { byStatus, errors };
}
