import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FREE_PORTS, startSlipway } from '../support/cli.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

// Issue 12, finding 2: a Logs Insights regex ran on the main thread without bound. The
// attack: any OTLP client sends the line `aaaa…a!` (40 a's); anyone then runs the everyday-
// looking `filter @message like /(a+)+$/`, and the backtracking engine blocked the API, OTLP
// ingest and SIGINT until SIGKILL. The control plane runs here as `slipway up`, its own process,
// so a regression shows as late health answers and a failed test, not as a hung test run.

const TOKEN = 'query-budget-test-token-0123456789';
const ATTACK = `${'a'.repeat(40)}!`;
const OTHERS = 20_000;
/** Lines ending in a's: the only ones `(a+)+$` matches. */
const ENDING_IN_A = 25;

interface Server {
  readonly api: string;
  readonly otlp: string;
  readonly up: ReturnType<typeof startSlipway>;
}

const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

/** An OTLP/HTTP JSON logs request, as any OpenTelemetry SDK (or anyone on the port) sends it. */
function otlpLogs(lines: readonly string[], nowMs: number) {
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gateway' } }, { key: 'deployment.environment.name', value: { stringValue: 'production' } }] },
      scopeLogs: [{ logRecords: lines.map((line, i) => ({ timeUnixNano: ns(nowMs - 60_000 + i), severityText: 'INFO', body: { stringValue: line } })) }],
    }],
  };
}

/** Runs a query through the API; one that has not answered in 15 s comes back as status 0. */
async function query(server: Server, body: Record<string, unknown>): Promise<{ status: number; ms: number; body: Record<string, unknown> }> {
  const started = performance.now();
  try {
    const res = await fetch(`${server.api}/api/v1/logs/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ since: '1h', ...body }),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, ms: performance.now() - started };
  } catch {
    return { status: 0, body: {}, ms: performance.now() - started };
  }
}

/** Polls `/api/v1/health` every 10 ms until stopped; each answer's latency (a timeout counts as 2000 ms). */
function pollHealth(server: Server): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let polling = true;
  const loop = (async () => {
    while (polling) {
      const started = performance.now();
      const ok = await fetch(`${server.api}/api/v1/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
      latencies.push(ok ? performance.now() - started : 2_000);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    stop: async () => {
      polling = false;
      await loop;
      return latencies;
    },
  };
}

describe('bounded Logs Insights queries (issue 12, finding 2)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: Server;

  beforeAll(async () => {
    tmp = tempDir();
    const up = startSlipway(['up', ...FREE_PORTS], { cwd: tmp.path, env: { SLIPWAY_TOKEN: TOKEN } });
    const serverFile = path.join(tmp.path, '.slipway', 'server.json');
    await waitFor('server.json', () => (fs.existsSync(serverFile) ? true : undefined), 30_000);
    const record = JSON.parse(fs.readFileSync(serverFile, 'utf8')) as { url: string; ports: { otlp: number } };
    server = { api: record.url, otlp: `http://127.0.0.1:${record.ports.otlp}`, up };
    // GIVEN the attack line among 20 000 others, 25 of which end in a's, sent over OTLP/HTTP
    const lines = Array.from({ length: OTHERS }, (_, i) => (i < ENDING_IN_A ? `cache warm ${i} aaaa` : `GET /items/${i % 1000} status=200 took ${i % 97}ms`));
    lines.splice(OTHERS / 2, 0, ATTACK);
    // The app's ingest key, as any sender outside the tasks slipway runs must present it.
    const ingestKey = fs.readFileSync(path.join(tmp.path, '.slipway', 'ingest-key'), 'utf8').trim();
    const res = await fetch(`${server.otlp}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slipway-ingest-key': ingestKey }, body: JSON.stringify(otlpLogs(lines, Date.now())) });
    expect(res.status).toBe(200);
    await waitFor('the log records to be stored', async () => {
      const r = await query(server, { query: 'stats count(*) as n' });
      return (r.body.rows as { n: number }[] | undefined)?.[0]?.n === OTHERS + 1 ? true : undefined;
    }, 30_000, 100);
  }, 90_000);

  afterAll(() => {
    if (server?.up.child.exitCode === null) server.up.child.kill('SIGKILL');
    tmp?.cleanup();
  });

  it('answers `like /(a+)+$/` over the attack line correctly and within its budget, while health answers in < 100 ms', async () => {
    // WHEN health is polled every 10 ms before, while and after the query runs through the API
    const health = pollHealth(server);
    await new Promise((r) => setTimeout(r, 100));
    const result = await query(server, { query: 'filter @message like /(a+)+$/ | stats count(*) as n' });
    await new Promise((r) => setTimeout(r, 100));
    const latencies = await health.stop();
    // THEN every health answer came in under 100 ms
    expect(latencies.length).toBeGreaterThan(5);
    expect(latencies.filter((ms) => ms >= 100)).toEqual([]);
    // AND the query answers the right count (only the lines ending in a's) within its 10 s budget
    expect(result.status).toBe(200);
    expect(result.body.rows).toEqual([{ n: ENDING_IN_A }]);
    expect(result.body.statistics).toMatchObject({ recordsScanned: OTHERS + 1, recordsMatched: ENDING_IN_A });
    expect(result.ms).toBeLessThan(10_000);
  });

  it('stops a query at its record budget with 422, the code, the budget and its value', async () => {
    // GIVEN a record budget of 1000 WHEN a query must read all 20 001 records THEN 422 and why
    const r = await query(server, { query: 'filter @message like /took \\d+ms$/ | stats count(*) as n', maxRecordsScanned: 1000 });
    const message =
      'the query ran out of records: its budget is 1000 records (maxRecordsScanned) and the time range holds more; narrow the time range, filter on @log or @logStream or with like "text" (those filters are applied in storage, before the scan), or raise maxRecordsScanned (at most 10000000)';
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ error: { code: 'SLW_ERR_LOGS_QUERY_BUDGET', message, issues: [{ path: 'maxRecordsScanned', message }] } });
  });

  it('stops a query at its time budget with 422, the code, the budget and its value', async () => {
    // GIVEN a time budget of 1 ms WHEN a pattern query must read 20 001 records (tens of ms) THEN 422 and why
    const r = await query(server, { query: 'parse @message "* /items/* *" as verb, item, rest | stats count(*) as n by item', timeoutMs: 1 });
    expect(r.status).toBe(422);
    const error = (r.body as { error: { code: string; message: string; issues: { path: string }[] } }).error;
    expect(error.code).toBe('SLW_ERR_LOGS_QUERY_BUDGET');
    expect(error.message).toMatch(/^the query ran out of time: its budget is 1 ms \(timeoutMs\) and it had scanned \d+ records; narrow the time range, .*, or raise timeoutMs \(at most 60000\)$/);
    expect(error.issues).toEqual([{ path: 'timeoutMs', message: error.message }]);
  });

  it.each([
    // GIVEN a budget out of bounds, or a pattern RE2 cannot run WHEN queried THEN 400 says what and where
    { body: { query: 'stats count(*)', timeoutMs: 60_001 }, code: 'SLW_ERR_API_VALIDATION', message: /timeoutMs.*60000/ },
    { body: { query: 'stats count(*)', maxRecordsScanned: 0 }, code: 'SLW_ERR_API_VALIDATION', message: /maxRecordsScanned/ },
    { body: { query: 'filter @message like /(a+)\\1/' }, code: 'SLW_ERR_LOGS_QUERY_SYNTAX', message: /^line 1, col 27: backreference '\\1' is not supported: patterns run on a linear-time engine \(RE2 semantics\), without backreferences$/ },
    { body: { query: 'filter @message like /a(?=!)/' }, code: 'SLW_ERR_LOGS_QUERY_SYNTAX', message: /^line 1, col 24: lookahead '\(\?=' is not supported/ },
  ])('refuses $body.query with $code', async ({ body, code, message }) => {
    const r = await query(server, body);
    expect(r.status).toBe(400);
    expect((r.body as { error: { code: string; message: string } }).error).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('still stops on SIGINT while the attack query runs', async () => {
    // WHEN SIGINT arrives while `like /(a+)+$/` is being answered THEN the control plane exits cleanly and soon
    const pending = query(server, { query: 'filter @message like /(a+)+$/ | fields @message' }).catch(() => undefined);
    server.up.child.kill('SIGINT');
    const exited = await Promise.race([server.up.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(exited).toEqual({ code: 0, signal: null });
    await pending;
  }, 20_000);
});
