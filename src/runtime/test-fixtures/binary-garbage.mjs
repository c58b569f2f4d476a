// A service that prints invalid UTF-8, control bytes, a very long line and an unterminated last line.
import http from 'node:http';

process.stdout.write(Buffer.from([0x66, 0x6f, 0x6f, 0xff, 0xfe, 0x00, 0x01, 0x62, 0x61, 0x72, 0x0a]));
process.stdout.write(`${'x'.repeat(40_000)}\n`);
process.stdout.write('windows line\r\n');
process.stdout.write('no newline at the end');
http.createServer((_req, res) => res.end('ok\n')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
