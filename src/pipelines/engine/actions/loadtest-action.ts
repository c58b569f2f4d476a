import { loadTestLines, type LoadTestOutputDto, type ResolvedLoadTest } from '../../../shared/index.js';
import { abortedOutcome, type ActionExecutor } from './action-context.js';
import { assessLoad } from './load/assess-load.js';
import { generateLoad } from './load/generate-load.js';

/**
 * A load test action: a bounded load on the environment's ingress listener (through the router, as
 * users' requests go), then its figures checked against the thresholds. A breached threshold fails
 * the action, naming each one with the measured value; the figures are the action's output either way.
 */
export const executeLoadTest: ActionExecutor = async (ctx) => {
  const { services, action } = ctx;
  const t = action.configuration as unknown as ResolvedLoadTest;
  const origin = await services.ingresses?.originOf(t.environment);
  if (origin === undefined) {
    return { status: 'Failed', reason: services.ingresses === undefined ? 'load tests need the router: this control plane runs no environments' : `no ingress listener of ${t.environment} is up: is the router running?` };
  }
  ctx.log(`Load test: ${t.method} ${origin}${t.path} (service ${t.service}) for ${t.durationMs} ms, ${t.concurrency} in flight${t.ratePerSecond === undefined ? '' : `, ${t.ratePerSecond}/s`}`, 'system');
  const figures = await generateLoad({
    origin,
    path: t.path,
    method: t.method,
    headers: t.headers ?? {},
    body: t.body,
    durationMs: t.durationMs,
    concurrency: t.concurrency,
    ratePerSecond: t.ratePerSecond,
    maxRequests: t.maxRequests,
    requestTimeoutMs: t.requestTimeoutMs,
    signal: ctx.signal,
  });
  if (ctx.signal.aborted) return abortedOutcome(ctx.signal, ctx.timeoutMs);
  const verdict = assessLoad(figures, t.thresholds);
  const loadTest: LoadTestOutputDto = { target: `${origin}${t.path}`, environment: t.environment, service: t.service, ...figures, thresholds: verdict.checks };
  for (const line of loadTestLines(loadTest)) ctx.log(line, 'system');
  const l = figures.latencyMs;
  ctx.emit('pipeline.loadtest.completed', {
    environment: t.environment,
    requests: figures.requests,
    errors: figures.errors,
    errorRate: figures.errorRate,
    ratePerSecond: figures.ratePerSecond,
    p50Ms: l?.p50 ?? null,
    p95Ms: l?.p95 ?? null,
    p99Ms: l?.p99 ?? null,
    maxMs: l?.max ?? null,
    passed: verdict.passed,
    breaches: [...verdict.breaches],
  });
  const output = { loadTest };
  if (!verdict.passed) return { status: 'Failed', reason: `load test failed: ${verdict.breaches.join('; ')}`, output };
  return { status: 'Succeeded', output };
};
