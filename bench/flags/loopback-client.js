// The loopback half of bench/flags, in its own process as a service calling OFREP would be: one
// request at a time with fetch (keep-alive), so the client's own work and garbage collection do
// not run on the control plane's event loop. Prints the latencies (ms) of each kind as JSON.
//   node bench/flags/loopback-client.js <api url> <ofrep worker url> <token> <requests> <order: kinds, comma-separated>
// Kinds: `worker` (OFREP on the worker's listener, what tasks are given), `api` (OFREP on the API
// port), `health` (GET /api/v1/health, the baseline).
const [url, workerUrl, token, n, order] = process.argv.slice(2);
const requests = Number(n);
const keys = Array.from({ length: 10_000 }, (_, i) => ({ targetingKey: `user-${i}` }));
const ofrep = (base) => (i) => fetch(`${base}/ofrep/v1/evaluate/flags/newCheckout`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ context: keys[i % keys.length] }) });
const kinds = { worker: ofrep(workerUrl), api: ofrep(url), health: () => fetch(`${url}/api/v1/health`) };
async function latencies(request, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await request(i);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    out.push(performance.now() - t);
  }
  return out;
}
// Warm every path (connections, JIT) before anything is measured.
for (const request of Object.values(kinds)) await latencies(request, 200);
const result = {};
for (const kind of order.split(',')) result[kind] = await latencies(kinds[kind], requests);
process.stdout.write(JSON.stringify(result));
