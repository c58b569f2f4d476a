import { describe, expect, it } from 'vitest';
import { validDefinition } from '../../../test/fixtures/configs/valid-definition.js';
import type { Issue } from '../errors/index.js';
import { validateApp } from './validate-app.js';

// Loosely typed access, so that cases can write what a user might (typos, wrong types).
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A valid definition with a Gates stage (a load test and a static analysis) after staging, which the cases break one thing of. */
function withGates(): Loose {
  const d = validDefinition() as Loose;
  d.pipeline.stages.splice(2, 0, {
    name: 'Gates',
    actions: [
      { type: 'loadtest', target: { environment: 'staging', path: '/catalog/items?page=1' }, duration: '5s', concurrency: 4, thresholds: { p99Ms: 250, errorRate: 0.01 } },
      { type: 'analyze' },
    ],
  });
  return d;
}

interface Case {
  readonly name: string;
  readonly change: (load: Loose, analyze: Loose) => void;
  readonly issues: Issue[];
}

const L = 'pipeline.stages[2].actions[0]';
const A = 'pipeline.stages[2].actions[1]';

const cases: Case[] = [
  { name: 'a URL on another host', change: (l) => (l.target = { url: 'http://example.com:8081/' }), issues: [{ path: `${L}.target.url`, message: '"http://example.com:8081/" is not an ingress of this app: a load test targets only the app\'s own ingresses (staging (http://127.0.0.1:8081), production (http://127.0.0.1:8080)), got host "example.com"' }] },
  { name: 'a loopback URL on a port no ingress listens on', change: (l) => (l.target = { url: 'http://127.0.0.1:4400/api/v1/status' }), issues: [{ path: `${L}.target.url`, message: '"http://127.0.0.1:4400/api/v1/status" is not an ingress of this app: no environment\'s ingress listens on port 4400 (the app\'s ingresses: staging (http://127.0.0.1:8081), production (http://127.0.0.1:8080)); or name the environment with { environment }' }] },
  { name: 'an https URL', change: (l) => (l.target = { url: 'https://127.0.0.1:8081/' }), issues: [{ path: `${L}.target.url`, message: 'a load test targets the app\'s own ingresses over http, got "https:"' }] },
  { name: 'a URL with credentials', change: (l) => (l.target = { url: 'http://u:p@127.0.0.1:8081/' }), issues: [{ path: `${L}.target.url`, message: 'a load test URL carries no user name or password' }] },
  { name: 'a URL and an environment', change: (l) => (l.target = { url: 'http://127.0.0.1:8081/', environment: 'staging' }), issues: [{ path: `${L}.target.url`, message: 'give url alone, or environment with a service or a path' }] },
  { name: 'an unknown environment', change: (l) => (l.target.environment = 'stagin'), issues: [{ path: `${L}.target.environment`, message: 'no environment named "stagin" (did you mean "staging"?)' }] },
  { name: 'no environment and no URL', change: (l) => (l.target = { path: '/' }), issues: [{ path: `${L}.target`, message: 'expected an environment (with a service or a path), or the url of one of the app\'s ingresses' }] },
  { name: 'a service without an ingress', change: (l, _a) => (l.target = { environment: 'staging', service: 'nope' }), issues: [{ path: `${L}.target.service`, message: 'no service named "nope"' }] },
  { name: 'a path that routes to another service than the one named', change: (l) => (l.target = { environment: 'staging', service: 'catalog', path: '/checkout' }), issues: [{ path: `${L}.target.path`, message: '"/checkout" routes to service "gateway", not "catalog"' }] },
  { name: 'a path that climbs out of its prefix is checked as it is sent', change: (l) => (l.target = { environment: 'staging', service: 'catalog', path: '/catalog/../admin' }), issues: [{ path: `${L}.target.path`, message: '"/admin" routes to service "gateway", not "catalog"' }] },
  { name: 'a path that is not a path', change: (l) => (l.target.path = 'catalog'), issues: [{ path: `${L}.target.path`, message: 'expected a path starting with "/", got "catalog"' }] },
  { name: 'no thresholds', change: (l) => (l.thresholds = {}), issues: [{ path: `${L}.thresholds`, message: 'give at least one threshold: p50Ms, p90Ms, p95Ms, p99Ms, maxMs, errorRate or minRequests' }] },
  { name: 'an error rate above 1', change: (l) => (l.thresholds.errorRate = 5), issues: [{ path: `${L}.thresholds.errorRate`, message: 'must be at most 1, got 5' }] },
  { name: 'a threshold with a typo', change: (l) => (l.thresholds = { p99: 100 }), issues: [{ path: `${L}.thresholds.p99`, message: 'unknown key "p99"' }, { path: `${L}.thresholds`, message: 'give at least one threshold: p50Ms, p90Ms, p95Ms, p99Ms, maxMs, errorRate or minRequests' }] },
  { name: 'a load longer than five minutes', change: (l) => (l.duration = '10m'), issues: [{ path: `${L}.duration`, message: 'a load test lasts at most 5m, got "10m"' }] },
  { name: 'a timeout shorter than the load', change: (l) => (l.timeout = '3s'), issues: [{ path: `${L}.timeout`, message: 'the timeout (3s) must be longer than the load\'s duration (5s)' }] },
  { name: 'too many connections', change: (l) => (l.concurrency = 1000), issues: [{ path: `${L}.concurrency`, message: 'must be at most 256, got 1000' }] },
  { name: 'a body on a GET', change: (l) => (l.body = '{}'), issues: [{ path: `${L}.body`, message: 'a GET request carries no body: use POST, PUT or PATCH, or drop body' }] },
  { name: 'a command without its SARIF file', change: (_l, a) => (a.command = 'semgrep --sarif .'), issues: [{ path: `${A}.sarif`, message: 'a command must say where it writes its SARIF log: give sarif (a path in the checkout)' }] },
  { name: 'a SARIF file without a command', change: (_l, a) => (a.sarif = 'out.sarif'), issues: [{ path: `${A}.sarif`, message: 'sarif is the file a command writes: give command too, or drop sarif to run ESLint' }] },
  { name: 'a SARIF file outside the checkout', change: (_l, a) => Object.assign(a, { command: 'x', sarif: '../out.sarif' }), issues: [{ path: `${A}.sarif`, message: 'the SARIF file must be inside the checkout, got "../out.sarif"' }] },
  { name: 'paths with a command', change: (_l, a) => Object.assign(a, { command: 'x', sarif: 'o.sarif', paths: ['src'] }), issues: [{ path: `${A}.paths`, message: 'paths are what the default ESLint run lints; with a command, the command picks its files' }] },
  { name: 'an unknown level', change: (_l, a) => (a.failOn = 'critical'), issues: [{ path: `${A}.failOn`, message: 'expected one of "error", "warning", "note", got "critical"' }] },
];

describe('validateApp checks load tests and static analysis', () => {
  it('compiles the load test to its environment, the normalised path and the defaults', () => {
    // GIVEN the valid Gates stage WHEN it is validated
    const result = validateApp(withGates());
    // THEN the target resolves to staging's catalog, thresholds not given are undefined, and defaults are filled in
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const [load, analyze] = result.app.pipeline!.stages[2]!.actions;
    expect(load).toMatchObject({ type: 'loadtest', name: 'loadtest', environment: 'staging', path: '/catalog/items?page=1', service: 'catalog', method: 'GET', durationMs: 5000, concurrency: 4, maxRequests: 1_000_000, requestTimeoutMs: 10_000, timeoutMs: 600_000 });
    expect(load).toMatchObject({ thresholds: { p99Ms: 250, errorRate: 0.01, p50Ms: undefined, minRequests: undefined } });
    expect(analyze).toEqual({ type: 'analyze', name: 'analyze', runOrder: 1, timeoutMs: 600_000, retries: 0, command: undefined, sarif: undefined, paths: ['.'], failOn: 'error' });
  });

  it('accepts the URL of an ingress of the app, and a service\'s prefix as the path', () => {
    const d = withGates();
    d.pipeline.stages[2].actions[0].target = { url: 'http://localhost:8080/catalog' };
    d.pipeline.stages[2].actions.push({ type: 'loadtest', name: 'gw', target: { environment: 'production', service: 'catalog' }, thresholds: { minRequests: 10 } });
    const result = validateApp(d);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.app.pipeline!.stages[2]!.actions[0]).toMatchObject({ environment: 'production', path: '/catalog', service: 'catalog' });
    expect(result.app.pipeline!.stages[2]!.actions[2]).toMatchObject({ environment: 'production', path: '/catalog', service: 'catalog', durationMs: 10_000 });
  });

  it.each(cases)('$name', ({ change, issues }) => {
    // GIVEN a valid Gates stage with one thing broken
    const d = withGates();
    change(d.pipeline.stages[2].actions[0] as Loose, d.pipeline.stages[2].actions[1] as Loose);
    // WHEN it is validated THEN exactly the expected problems are reported, with their paths
    expect(validateApp(d)).toEqual({ ok: false, issues });
  });
});
