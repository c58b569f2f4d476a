// Feature flags from slipway, over OpenFeature's remote evaluation protocol (OFREP) with plain
// fetch: no SDK, so the shop keeps no npm dependencies of its own. slipway gives every task
// SLIPWAY_FLAGS_URL and SLIPWAY_FLAGS_TOKEN; without them (the service run on its own) every flag
// serves the caller's default. Any failure (slipway away, a slow answer, an unknown flag, a value
// of another type) serves the default too: a flag must never break a checkout.
import { trace } from '@opentelemetry/api';
import { log } from './log.js';

/**
 * Records an evaluation on the span of the request being served, with OpenTelemetry's feature-flag
 * names (an event and two attributes): slipway's experiments attribute a request's spans to the
 * variant it was served. A default served because slipway could not answer is not a variant.
 */
function recordOnSpan(key, result) {
  const span = trace.getActiveSpan();
  if (span === undefined || result.reason === 'FALLBACK') return;
  span.addEvent('feature_flag.evaluation', { 'feature_flag.key': key, 'feature_flag.result.variant': String(result.variant), 'feature_flag.provider.name': 'slipway-ofrep' });
  span.setAttributes({ 'feature_flag.key': key, 'feature_flag.result.variant': String(result.variant) });
}

const CACHE_MAX = 1000;

/**
 * A small OFREP client.
 * @param {{ url?: string, token?: string, cacheMs?: number, timeoutMs?: number }} [options]
 *   url and token default to SLIPWAY_FLAGS_URL / SLIPWAY_FLAGS_TOKEN; answers are kept `cacheMs`
 *   (default SHOP_FLAGS_CACHE_MS, else 1000) per flag and context; a request waits at most
 *   `timeoutMs` (default 300).
 */
export function createFlagClient(options = {}) {
  const url = options.url ?? process.env.SLIPWAY_FLAGS_URL;
  const token = options.token ?? process.env.SLIPWAY_FLAGS_TOKEN;
  const cacheMs = options.cacheMs ?? Number(process.env.SHOP_FLAGS_CACHE_MS ?? 1000);
  const timeoutMs = options.timeoutMs ?? 300;
  const cache = new Map();
  let warned = false;
  // The first failure is logged; later ones would repeat it on every request.
  const warn = (fields) => {
    if (!warned) log.warn('flag served its default', fields);
    warned = true;
  };

  /**
   * Evaluates a flag for a context: `{ value, variant, reason }`, where reason is `FALLBACK` (and
   * the value the given default) when slipway could not answer with a value of the default's type.
   */
  async function evaluate(key, defaultValue, context) {
    const result = await evaluateOnce(key, defaultValue, context);
    recordOnSpan(key, result);
    return result;
  }

  async function evaluateOnce(key, defaultValue, context) {
    const fallback = { value: defaultValue, variant: 'fallback', reason: 'FALLBACK' };
    if (!url || !token) return fallback;
    const cacheKey = `${key}\u0000${JSON.stringify(context)}`;
    const cached = cache.get(cacheKey);
    if (cached && cached.untilMs > Date.now()) return cached.result;
    let result = fallback;
    try {
      const res = await fetch(`${url}/ofrep/v1/evaluate/flags/${encodeURIComponent(key)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ context }),
        signal: globalThis.AbortSignal.timeout(timeoutMs),
      });
      const body = await res.json();
      if (res.ok && typeof body.value === typeof defaultValue) result = { value: body.value, variant: body.variant, reason: body.reason };
      else warn({ flag: key, status: res.status, error_code: body.errorCode });
    } catch (err) {
      warn({ flag: key, error: err.message });
    }
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(cacheKey, { result, untilMs: Date.now() + cacheMs });
    return result;
  }

  return { evaluate };
}
