// A service that answers /healthz but ignores SIGTERM (only SIGKILL ends it).
import http from 'node:http';

http.createServer((_req, res) => res.end('ok\n')).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('up'));
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
