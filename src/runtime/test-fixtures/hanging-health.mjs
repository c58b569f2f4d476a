// A service whose /healthz never answers after the first HANG_AFTER checks.
import http from 'node:http';

const hangAfter = Number(process.env.HANG_AFTER ?? '0');
let checks = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/healthz' && ++checks > hangAfter) return; // never answers
  res.end('ok\n');
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
