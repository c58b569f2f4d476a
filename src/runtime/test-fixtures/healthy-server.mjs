// A well-behaved service: answers /healthz, logs a line per request, exits on SIGTERM.
import http from 'node:http';

const port = Number(process.env.PORT);
const server = http.createServer((req, res) => {
  if (req.url?.startsWith('/say')) {
    console.log(new URL(req.url, 'http://x').searchParams.get('line') ?? '');
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`ok ${process.env.SLIPWAY_TASK_ID}\n`);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`listening on ${port} task=${process.env.SLIPWAY_TASK_ID} env=${process.env.SLIPWAY_ENV} service=${process.env.SLIPWAY_SERVICE} revision=${process.env.SLIPWAY_REVISION} extra=${process.env.EXTRA ?? ''}`);
  console.error('ready on stderr');
});
process.on('SIGTERM', () => {
  console.log('got SIGTERM');
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 500).unref();
});
