import http from 'node:http';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnProcess } from '../../../core/index.js';
import type { UpstreamHandler, UpstreamRequest } from './dispatch.js';
import { UpstreamPool, type UpstreamPoolOptions } from './upstream-pool.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A raw TCP target on 127.0.0.1: `answer` gets each connection's socket and every request head (with its body bytes so far). */
async function rawTarget(answer: (socket: net.Socket, request: string, n: number) => void): Promise<{ port: number; connections: () => number; requests: string[] }> {
  let connections = 0;
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = '';
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      let end: number;
      while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
        const head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        requests.push(head);
        answer(socket, head, requests.length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  }));
  return { port: (server.address() as net.AddressInfo).port, connections: () => connections, requests };
}

function pool(port: number, options: UpstreamPoolOptions = {}): UpstreamPool {
  const p = new UpstreamPool('127.0.0.1', port, options);
  cleanups.push(() => p.destroy());
  return p;
}

interface Outcome {
  status: number;
  statusText: string;
  headers: string[];
  body: string;
  error?: string;
}

/** A handler that collects the response; `onData` answers `more()` for backpressure tests. */
function collector(more: () => boolean = () => true): { handler: UpstreamHandler; done: Promise<Outcome>; abort: (err?: Error) => void; resume: () => void; pieces: () => number } {
  const out: Outcome = { status: 0, statusText: '', headers: [], body: '' };
  let abort: (err?: Error) => void = () => undefined;
  let resume: () => void = () => undefined;
  let pieces = 0;
  let settle!: (o: Outcome) => void;
  const done = new Promise<Outcome>((r) => (settle = r));
  const handler: UpstreamHandler = {
    onConnect: (a) => (abort = a),
    onHeaders: (status, headers, r, text) => {
      Object.assign(out, { status, headers, statusText: text });
      resume = r;
      return true;
    },
    onData: (chunk) => {
      pieces++;
      out.body += chunk.toString('latin1');
      return more();
    },
    onComplete: () => settle(out),
    onError: (err) => settle({ ...out, error: (err as NodeJS.ErrnoException).code ?? err.message }),
  };
  return { handler, done, abort: (e) => abort(e), resume: () => resume(), pieces: () => pieces };
}

const GET: UpstreamRequest = { method: 'GET', path: '/', headers: ['host', 'x'], body: null, headersTimeoutMs: 0, bodyTimeoutMs: 0 };
const send = (p: UpstreamPool, req: Partial<UpstreamRequest> = {}): Promise<Outcome> => {
  const c = collector();
  p.dispatch({ ...GET, ...req }, c.handler);
  return c.done;
};
const ok = (body: string, extra = ''): string => `HTTP/1.1 200 OK\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('upstream pool: framing', () => {
  it('GIVEN a Content-Length response WHEN two requests follow each other THEN both are answered on one kept-alive connection', async () => {
    const t = await rawTarget((s, _r, n) => s.write(ok(`answer ${n}`, 'x-n: 1\r\n')));
    const p = pool(t.port);
    const a = await send(p);
    const b = await send(p, { path: '/two?x=1' });
    expect([a.status, a.statusText, a.body, a.headers, b.body]).toEqual([200, 'OK', 'answer 1', ['content-length', '8', 'x-n', '1'], 'answer 2']);
    expect(t.connections()).toBe(1);
    expect(t.requests[1]).toMatch(/^GET \/two\?x=1 HTTP\/1\.1\r\nhost: x$/);
  });

  it('GIVEN a chunked response written a few bytes at a time WHEN proxied THEN the body is decoded and the connection reused', async () => {
    const wire = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nx-t: 1\r\n\r\n';
    const t = await rawTarget((s) => {
      for (let i = 0; i < wire.length; i += 7) setTimeout(() => s.write(wire.slice(i, i + 7)), i / 7);
    });
    const p = pool(t.port);
    expect((await send(p)).body).toBe('hello world');
    expect((await send(p)).body).toBe('hello world');
    expect(t.connections()).toBe(1);
  });

  it('GIVEN a response without a length WHEN proxied THEN it is read to the close, and the next request gets a new connection', async () => {
    const t = await rawTarget((s) => s.end('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil the end'));
    const p = pool(t.port);
    expect((await send(p)).body).toBe('until the end');
    expect((await send(p)).body).toBe('until the end');
    expect(t.connections()).toBe(2);
  });

  it('GIVEN HEAD, 204 and 304 answers with lengths WHEN proxied THEN no body is read and the connection stays usable', async () => {
    const t = await rawTarget((s, r) => {
      if (r.startsWith('HEAD')) s.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n');
      else if (r.startsWith('DELETE')) s.write('HTTP/1.1 204 No Content\r\n\r\n');
      else if (r.includes('if-none-match')) s.write('HTTP/1.1 304 Not Modified\r\ncontent-length: 50\r\n\r\n');
      else s.write(ok('after'));
    });
    const p = pool(t.port);
    const head = await send(p, { method: 'HEAD' });
    const none = await send(p, { method: 'DELETE' });
    const notModified = await send(p, { headers: ['host', 'x', 'if-none-match', '"a"'] });
    const after = await send(p);
    expect([head.status, head.body, none.status, none.body, notModified.status, notModified.body, after.body]).toEqual([200, '', 204, '', 304, '', 'after']);
    expect(t.connections()).toBe(1);
  });

  it('GIVEN interim 100 and 103 responses WHEN proxied THEN they are skipped and the final answer is delivered', async () => {
    const t = await rawTarget((s) => s.write(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n${ok('final')}`));
    const r = await send(pool(t.port));
    expect([r.status, r.body]).toEqual([200, 'final']);
  });

  it('GIVEN Connection: close or a Keep-Alive timeout under the margin WHEN answered THEN the connection is not reused', async () => {
    const t = await rawTarget((s, _r, n) => s.write(ok('x', n === 1 ? 'connection: close\r\n' : 'keep-alive: timeout=1\r\n')));
    const p = pool(t.port);
    await send(p);
    await send(p);
    await send(p);
    expect(t.connections()).toBe(3);
  });

  it('GIVEN Keep-Alive: timeout=2 WHEN the connection idles THEN it is closed after about a second, before the target would', async () => {
    const t = await rawTarget((s) => s.write(ok('x', 'keep-alive: timeout=2\r\n')));
    const p = pool(t.port, { keepAliveTimeoutMs: 30_000 });
    await send(p);
    const answered = performance.now();
    await new Promise((r) => setTimeout(r, 500));
    expect(p.connections).toBe(1);
    while (p.connections > 0 && performance.now() - answered < 3000) await new Promise((r) => setTimeout(r, 20));
    // THEN it was closed after the hint less a second, before the target's own 2 s
    expect(p.connections).toBe(0);
    expect(performance.now() - answered).toBeLessThan(2000);
  });
});

describe('upstream pool: bad answers', () => {
  it.each([
    ['both Content-Length and Transfer-Encoding', 'UPSTREAM_PROTOCOL', 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'],
    ['a head over the size limit', 'UPSTREAM_HEADER_TOO_LARGE', `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(20_000)}\r\ncontent-length: 0\r\n\r\n`],
    ['a head over the limit that never ends', 'UPSTREAM_HEADER_TOO_LARGE', `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(20_000)}`],
    ['an upgrade nobody asked for', 'UPSTREAM_PROTOCOL', 'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n'],
    ['a close before the body is whole', 'UPSTREAM_SOCKET', 'HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort'],
  ])('GIVEN %s WHEN proxied THEN the request fails with %s and the connection is closed', async (_name, code, wire) => {
    const t = await rawTarget((s) => (code === 'UPSTREAM_SOCKET' ? s.end(wire) : s.write(wire)));
    const p = pool(t.port);
    const r = await send(p, { method: 'POST', headers: ['host', 'x', 'content-length', '0'] });
    expect(r.error).toBe(code);
    expect(p.connections).toBe(0);
  });

  it('GIVEN bytes after a whole response WHEN proxied THEN the response is delivered and the connection is not reused', async () => {
    const t = await rawTarget((s) => s.write(`${ok('one')}HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nextra`));
    const p = pool(t.port);
    expect((await send(p)).body).toBe('one');
    expect((await send(p)).body).toBe('one');
    expect(t.connections()).toBe(2);
  });

  it('GIVEN an idle kept-alive connection WHEN the target sends unasked bytes THEN the connection is dropped', async () => {
    let idleSocket: net.Socket | undefined;
    const t = await rawTarget((s) => {
      idleSocket = s;
      s.write(ok('x'));
    });
    const p = pool(t.port);
    await send(p);
    idleSocket!.write('HTTP/1.1 200 OK\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(p.connections).toBe(0);
    expect((await send(p)).body).toBe('x');
  });
});

describe('upstream pool: failures and retries', () => {
  it('GIVEN a kept-alive connection the target closes as the next request is written WHEN it is a GET THEN it is sent again on a new connection', async () => {
    // The target answers the first request, then resets the connection on the second one, unread.
    const t = await rawTarget((s, _r, n) => (n === 2 ? s.resetAndDestroy() : s.write(ok(`answer ${n}`))));
    const p = pool(t.port);
    expect((await send(p)).body).toBe('answer 1');
    expect((await send(p)).body).toBe('answer 3');
    expect(t.connections()).toBe(2);
  });

  it('GIVEN the same race WHEN the request has a body THEN it is not sent again: the handler gets the error', async () => {
    const t = await rawTarget((s, _r, n) => (n === 2 ? s.resetAndDestroy() : s.write(ok(`answer ${n}`))));
    const p = pool(t.port);
    await send(p);
    const body = Buffer.from('{"pay":1}');
    const r = await send(p, { method: 'POST', headers: ['host', 'x', 'content-length', String(body.length)], body });
    expect(['ECONNRESET', 'UPSTREAM_SOCKET', 'EPIPE']).toContain(r.error);
    expect(t.requests).toHaveLength(2);
  });

  it('GIVEN nothing listening WHEN a request is sent THEN it fails with ECONNREFUSED before onConnect', async () => {
    const t = await rawTarget(() => undefined);
    const port = t.port;
    await cleanups.pop()!();
    let connected = false;
    const c = collector();
    const onConnect = c.handler.onConnect;
    pool(port).dispatch(GET, { ...c.handler, onConnect: (a) => { connected = true; onConnect(a); } });
    expect([(await c.done).error, connected]).toEqual(['ECONNREFUSED', false]);
  });

  it('GIVEN a listener whose accept queue is full WHEN connecting takes longer than the connect timeout THEN the request fails with UPSTREAM_CONNECT_TIMEOUT before onConnect', async () => {
    // A socket that listens with a backlog of one (Node takes 0 for its default, 511) and never accepts (its process blocks its event
    // loop right after listening): once the queue holds a connection, the kernel drops further
    // SYNs, so a connect hangs as to a dead host.
    const listener = "const s = require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => { process.stdout.write(String(s.address().port)); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000); });";
    const stuck = spawnProcess(process.execPath, ['-e', listener], { stdio: ['ignore', 'pipe', 'ignore'] });
    cleanups.push(() => void stuck.kill('SIGKILL'));
    const port = Number(await new Promise<string>((resolve) => stuck.stdout!.once('data', (d: Buffer) => resolve(d.toString()))));
    const fillers = [0, 1, 2].map(() => net.connect(port, '127.0.0.1').on('error', () => undefined));
    cleanups.push(() => fillers.forEach((f) => f.destroy()));
    await new Promise((r) => setTimeout(r, 100));
    let connected = false;
    const c = collector();
    const started = performance.now();
    pool(port, { connectTimeoutMs: 300 }).dispatch(GET, { ...c.handler, onConnect: () => (connected = true) });
    const r = await c.done;
    expect([r.error, connected]).toEqual(['UPSTREAM_CONNECT_TIMEOUT', false]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('GIVEN a target that never answers WHEN the headers timeout passes THEN the request fails with UPSTREAM_HEADERS_TIMEOUT', async () => {
    const t = await rawTarget(() => undefined);
    const started = performance.now();
    const r = await send(pool(t.port), { headersTimeoutMs: 300 });
    const tookMs = performance.now() - started;
    expect(r.error).toBe('UPSTREAM_HEADERS_TIMEOUT');
    expect(tookMs).toBeGreaterThanOrEqual(290);
  });

  it('GIVEN a body that stalls WHEN the body timeout passes THEN the request fails with UPSTREAM_BODY_TIMEOUT', async () => {
    const t = await rawTarget((s) => s.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'));
    const r = await send(pool(t.port), { bodyTimeoutMs: 200 });
    expect([r.status, r.body, r.error]).toEqual([200, 'abc', 'UPSTREAM_BODY_TIMEOUT']);
  });

  it('GIVEN a request in flight WHEN the handler aborts THEN it gets UPSTREAM_ABORTED and the connection is closed', async () => {
    const t = await rawTarget((s) => s.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'));
    const p = pool(t.port);
    const c = collector();
    p.dispatch(GET, { ...c.handler, onData: (chunk) => { c.handler.onData(chunk); c.abort(); return false; } });
    expect((await c.done).error).toBe('UPSTREAM_ABORTED');
    expect(p.connections).toBe(0);
  });

  it('GIVEN one connection allowed WHEN three requests are sent at once THEN they queue and share it', async () => {
    const t = await rawTarget((s, _r, n) => setTimeout(() => s.write(ok(`answer ${n}`)), 10));
    const p = pool(t.port, { connectionsPerTarget: 1 });
    const all = await Promise.all([send(p), send(p), send(p)]);
    expect(all.map((r) => r.body)).toEqual(['answer 1', 'answer 2', 'answer 3']);
    expect(t.connections()).toBe(1);
  });

  it('GIVEN requests in flight WHEN the pool is closed THEN they finish, later ones fail with UPSTREAM_CLOSED, and close resolves', async () => {
    const t = await rawTarget((s) => setTimeout(() => s.write(ok('late')), 50));
    const p = pool(t.port);
    const inFlight = send(p);
    await new Promise((r) => setTimeout(r, 10));
    const closed = p.close();
    const after = send(p);
    expect([(await inFlight).body, (await after).error]).toEqual(['late', 'UPSTREAM_CLOSED']);
    await closed;
    expect(p.connections).toBe(0);
  });
  it('GIVEN a target that sends a whole answer and closes WHEN the handler holds the answer back THEN the rest is delivered on resume, not failed by the close', async () => {
    const size = 1024 * 1024;
    const t = await rawTarget((s) => s.end(`HTTP/1.1 200 OK\r\ncontent-length: ${size}\r\nconnection: close\r\n\r\n${'c'.repeat(size)}`));
    const p = pool(t.port);
    let paused = true;
    const c = collector(() => !paused);
    p.dispatch(GET, c.handler);
    while (c.pieces() === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 200));
    paused = false;
    c.resume();
    const r = await c.done;
    expect([r.error, r.body.length]).toEqual([undefined, size]);
  });
});

describe('upstream pool: bodies and backpressure', () => {
  /** A node:http target that echoes the request body's length, how it was framed, and its text. */
  async function echoTarget(): Promise<number> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        res.end(JSON.stringify({ length: body.length, te: req.headers['transfer-encoding'] ?? null, cl: req.headers['content-length'] ?? null, head: body.toString('latin1', 0, 16) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }));
    return (server.address() as net.AddressInfo).port;
  }

  it('GIVEN a streamed body without a length WHEN sent THEN it goes chunked and arrives whole', async () => {
    const p = pool(await echoTarget());
    const body = new PassThrough();
    const done = send(p, { method: 'POST', body });
    body.write('first,');
    setTimeout(() => body.end('second'), 20);
    expect(JSON.parse((await done).body)).toEqual({ length: 12, te: 'chunked', cl: null, head: 'first,second' });
  });

  it('GIVEN a buffered body WHEN sent THEN it carries its Content-Length', async () => {
    const p = pool(await echoTarget());
    expect(JSON.parse((await send(p, { method: 'PUT', body: Buffer.from('abc') })).body)).toEqual({ length: 3, te: null, cl: '3', head: 'abc' });
  });

  it('GIVEN a target that does not read WHEN a large body streams THEN the body source is paused, and it all arrives once the target reads', async () => {
    let target: net.Socket | undefined;
    let received = 0;
    const size = 16 * 1024 * 1024;
    const server = net.createServer((s) => {
      target = s;
      s.pause();
      s.on('data', (d: Buffer) => {
        received += d.length;
        if (received >= size) s.end(ok('got it'));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { target?.destroy(); server.close(() => resolve()); }));
    const p = pool((server.address() as net.AddressInfo).port);
    const body = new PassThrough({ highWaterMark: 64 * 1024 });
    const done = send(p, { method: 'POST', headers: ['host', 'x', 'content-length', String(size)], body });
    const piece = Buffer.alloc(64 * 1024, 0x61);
    let written = 0;
    const pump = (): void => {
      while (written < size) {
        written += piece.length;
        if (!body.write(piece)) return void body.once('drain', pump);
      }
      body.end();
    };
    pump();
    // Wait until the writes stop making progress (the kernel's buffers are full), at most 5 s.
    for (let last = -1, i = 0; i < 50 && written !== last; i++) {
      last = written;
      await new Promise((r) => setTimeout(r, 100));
    }
    // THEN the body is held back: the source is paused well before all of it was taken
    expect(body.isPaused()).toBe(true);
    expect(written).toBeLessThan(size);
    target!.resume();
    expect((await done).body).toBe('got it');
    expect(received).toBeGreaterThanOrEqual(size);
  });

  it('GIVEN a handler that stops taking data WHEN a large answer streams THEN reading pauses until resume, then the rest arrives', async () => {
    const size = 4 * 1024 * 1024;
    const t = await rawTarget((s) => s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${size}\r\n\r\n${'b'.repeat(size)}`));
    const p = pool(t.port);
    let paused = true;
    const c = collector(() => !paused);
    p.dispatch(GET, c.handler);
    while (c.pieces() === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    // THEN one piece was delivered and nothing more while paused
    expect(c.pieces()).toBe(1);
    paused = false;
    c.resume();
    const r = await c.done;
    expect(r.body.length).toBe(size);
    expect(t.connections()).toBe(1);
  });
});
