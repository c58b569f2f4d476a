import { request } from 'undici';
import { DeliveryError } from './transport.js';

/**
 * POSTs a body and accepts any 2xx answer; anything else is a retryable {@link DeliveryError}. The
 * signal bounds the whole exchange, so a subscriber that never answers costs one timeout, no more.
 */
export async function postJson(url: string, body: string, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<void> {
  let res;
  try {
    res = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'user-agent': 'slipway-notifications', ...headers }, signal });
  } catch (err) {
    throw new DeliveryError(signal.aborted ? 'timed out' : `request failed: ${(err as Error).message}`);
  }
  // Read (and drop) the answer so the connection can be reused; a hanging body is bounded by the signal.
  await res.body.dump().catch(() => undefined);
  if (res.statusCode < 200 || res.statusCode >= 300) throw new DeliveryError(`HTTP ${res.statusCode}`);
}
