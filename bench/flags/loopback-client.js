import http from 'node:http';

// The loopback half of bench/flags, in its own process as a service calling OFREP would be: one
// request at a time over a keep-alive connection, so the client's own work and garbage collection do
// not run on the control plane's event loop. Prints the latencies (ms) of each kind as JSON.
//   node bench/flags/loopback-client.js <api url> <ofrep worker url> <token> <requests> <order: kinds, comma-separated>
// Kinds: `worker` (OFREP on the worker's listener, what tasks are given), `api` (OFREP on the API
// port), `health` (GET /api/v1/health, the baseline).
const [url, workerUrl, token, n, order] = process.argv.slice(2);
const requests = Number(n);
const keys = Array.from({ length: 10_000 }, (_, i) => ({ targetingKey: `user-${i}` }));
// node:http with one keep-alive socket per target: the leanest client Node has, so what the figures
// show is the server's answer, not fetch's own per-request work (≈0.2 ms) and garbage.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const call = (target, method, body, headers) =>
  new Promise((resolve, reject) => {
    const req = http.request(target, { method, agent, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ ok: res.statusCode >= 200 && res.statusCode < 300, status: res.statusCode }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
const ofrep = (base) => (i) => call(`${base}/ofrep/v1/evaluate/flags/newCheckout`, 'POST', JSON.stringify({ context: keys[i % keys.length] }), { authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const kinds = { worker: ofrep(workerUrl), api: ofrep(url), health: () => call(`${url}/api/v1/health`, 'GET') };
async function latencies(request, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const res = await request(i);
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
