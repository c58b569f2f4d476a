// The loopback half of bench/flags, in its own process as a service calling OFREP would be: one
// request at a time with fetch (keep-alive), so the client's own work and garbage collection do
// not run on the control plane's event loop. Prints the latencies (ms) of each kind as JSON.
//   node bench/flags/loopback-client.js <base url> <token> <requests> <first: ofrep|health>
const [url, token, n, first] = process.argv.slice(2);
const requests = Number(n);
const keys = Array.from({ length: 10_000 }, (_, i) => ({ targetingKey: `user-${i}` }));
const kinds = {
  ofrep: (i) => fetch(`${url}/ofrep/v1/evaluate/flags/newCheckout`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ context: keys[i % keys.length] }) }),
  health: () => fetch(`${url}/api/v1/health`),
};
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
// Warm both paths (connections, JIT) before anything is measured.
await latencies(kinds.ofrep, 200);
await latencies(kinds.health, 200);
const second = first === 'ofrep' ? 'health' : 'ofrep';
const result = { [first]: await latencies(kinds[first], requests) };
result[second] = await latencies(kinds[second], requests);
process.stdout.write(JSON.stringify(result));
