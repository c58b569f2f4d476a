// Test helpers: run a shop service as a real child process on a free port.
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const SHOP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Test card numbers: one that is approved and one the processor declines. */
export const CARD_OK = '4242 4242 4242 4242';
export const CARD_DECLINED = '4000 0000 0000 0002';

/**
 * Starts `services/<name>/server.js` with PORT=0 and telemetry off (unless
 * `env` says otherwise) and resolves once it logs that it is listening.
 * @returns {Promise<{ url: string, port: number, logs: object[], waitForLog: (match: (line: object) => boolean) => Promise<object>, stop: () => Promise<number | null> }>}
 */
export function startShopService(name, env = {}) {
  const child = spawn(process.execPath, ['server.js'], {
    cwd: path.join(SHOP_DIR, 'services', name),
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      OTEL_SDK_DISABLED: 'true',
      // Pin the demo levers so the tests pass whatever the constants say.
      PAYMENTS_FAILURE_RATE: '0',
      PAYMENTS_LATENCY_MS: '5',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs = [];
  const logWaiters = new Set();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // 'close' rather than 'exit': it comes after the last line of output is read.
  const exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 10 s`)), 10_000);
    const fail = (err) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    void exited.then((code) => fail(new Error(`${name} exited with ${code} before listening:\n${stderr}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        entry = { msg: line };
      }
      logs.push(entry);
      for (const waiter of logWaiters) if (waiter.match(entry)) waiter.resolve(entry);
      if (entry.msg !== 'listening') return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${entry.port}`,
        port: entry.port,
        logs,
        /** Resolves with the first log line (already written or still to come) that `match` accepts. */
        waitForLog: (match) => {
          const seen = logs.find(match);
          if (seen) return Promise.resolve(seen);
          return new Promise((resolveLine) => {
            const waiter = { match, resolve: (line) => (logWaiters.delete(waiter), resolveLine(line)) };
            logWaiters.add(waiter);
          });
        },
        process: child,
        stop: (signal = 'SIGTERM') => {
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}

/**
 * One HTTP request (a fresh connection unless an `agent` is given); resolves `{ status, headers, body, ms }`
 * with `body` parsed when it is JSON.
 */
export function request(url, { method = 'GET', body, agent = false } = {}) {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: payload ? { 'content-type': 'application/json' } : {} });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        const isJson = (res.headers['content-type'] ?? '').includes('json');
        resolve({ status: res.statusCode, headers: res.headers, body: isJson ? JSON.parse(text) : text, ms: performance.now() - started });
      });
    });
    req.end(payload);
  });
}

/** Starts a throwaway HTTP server on a free port; `handler(req, body)` returns `{ status, json }`. */
export async function startStub(handler) {
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', async () => {
      const { status = 200, json } = await handler(req, text ? JSON.parse(text) : undefined);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json ?? {}));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve).closeAllConnections()),
  };
}
