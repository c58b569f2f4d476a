// Open-loop load at a fixed rate over keep-alive connections, for latency at a known load.
// autocannon's `overallRate` is bursty (each connection sends at full speed until its
// per-second quota is used, then waits for the next second), so its "50 %" latency is
// latency under bursts at saturation speed. Here request i is due at t0 + i/rate; due
// requests are sent on a free connection, queued when none is free, and a request's
// latency runs from the timer tick that released it (so the generator's own timer slack
// is not counted, but waiting for a free connection is) to the end of its response.
import net from 'node:net';

/** Index of "\r\n\r\n" in `buf`, or -1. */
function headerEnd(buf) {
  return buf.indexOf('\r\n\r\n');
}

function closes(head) {
  return /\r\nconnection:[ \t]*close/i.test(head);
}

function contentLength(head) {
  const m = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
  return m === null ? 0 : Number(m[1]);
}

/**
 * Sends GET / at `rate` requests/s for `seconds` over `connections` keep-alive
 * connections to 127.0.0.1:`port`. Resolves to `{ sent, done, non2xx, errors, latenciesMs }`
 * (latencies sorted ascending).
 */
export function pacedLoad(port, seconds, rate, connections) {
  return new Promise((resolve) => {
    const request = Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, 'latin1');
    const latencies = [];
    const idle = [];
    const waiting = []; // release times of requests with no free connection
    const intervalMs = 1000 / rate;
    const total = Math.round(rate * seconds);
    let due = 0;
    let done = 0;
    let non2xx = 0;
    let errors = 0;
    let t0 = 0;
    let finished = false;

    const send = (conn, dueMs) => {
      conn.dueMs = dueMs;
      conn.busy = true;
      conn.socket.write(request);
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const c of all) c.socket.destroy();
      latencies.sort((a, b) => a - b);
      resolve({ sent: due, done, non2xx, errors, latenciesMs: latencies });
    };
    const onResponse = (conn, status) => {
      latencies.push(performance.now() - conn.dueMs);
      if (status < 200 || status > 299) non2xx++;
      done++;
      if (done + errors >= total) return finish();
      free(conn);
    };
    const all = [];
    let connected = 0;
    let started = false;
    // A connection the server closes (nginx after keepalive_requests, 1000 by default) is
    // replaced by a new one.
    const open = (slot) => {
      const conn = { socket: net.connect(port, '127.0.0.1'), buf: '', dueMs: 0, busy: false, closing: false };
      all[slot] = conn;
      conn.socket.setNoDelay(true);
      conn.socket.setEncoding('latin1');
      conn.socket.on('data', (chunk) => {
        conn.buf += chunk;
        for (;;) {
          const end = headerEnd(conn.buf);
          if (end < 0) return;
          const head = conn.buf.slice(0, end);
          const length = end + 4 + contentLength(head);
          if (conn.buf.length < length) return;
          const status = Number(conn.buf.slice(9, 12));
          conn.buf = conn.buf.slice(length);
          conn.busy = false;
          // The server ends the connection after this answer: do not send on it again.
          if (closes(head)) conn.closing = true;
          onResponse(conn, status);
        }
      });
      conn.socket.once('connect', () => {
        if (started) return free(conn);
        idle.push(conn);
        if (++connected === connections) start();
      });
      conn.socket.on('error', () => undefined);
      conn.socket.once('close', () => {
        if (finished) return;
        const i = idle.indexOf(conn);
        if (i >= 0) idle.splice(i, 1);
        // A request written as the server closed was not answered: send it again.
        if (conn.busy) waiting.unshift(conn.dueMs);
        open(slot);
      });
    };
    const free = (conn) => {
      if (conn.closing) return;
      if (waiting.length > 0) send(conn, waiting.shift());
      else idle.push(conn);
    };
    for (let i = 0; i < connections; i++) open(i);
    const tick = () => {
      const now = performance.now();
      while (due < total && t0 + due * intervalMs <= now) {
        due++;
        const conn = idle.pop();
        if (conn === undefined) waiting.push(now);
        else send(conn, now);
      }
      if (due < total) setTimeout(tick, 1);
    };
    const start = () => {
      started = true;
      t0 = performance.now();
      tick();
      // Whatever has not answered 5 s after the last request is due counts as an error.
      setTimeout(() => {
        errors += total - done - errors;
        finish();
      }, seconds * 1000 + 5000).unref();
    };
  });
}
