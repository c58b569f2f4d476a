import type { IncomingMessage } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Clock } from '../../core/index.js';
import { pickTarget } from '../select/pick-target.js';
import type { CompiledTargetGroup } from '../table/compiled.js';
import type { UpstreamTarget } from './upstream-target.js';

/** Receives a mirrored copy's answer: records status and latency, discards the body. */
class MirrorExchange implements Dispatcher.DispatchHandler {
  readonly #startedMs = performance.now();
  #done = false;

  constructor(
    private readonly group: CompiledTargetGroup,
    private readonly target: UpstreamTarget,
    private readonly clock: Clock,
  ) {}

  onConnect(): void {}

  onHeaders(statusCode: number): boolean {
    if (statusCode >= 200) this.group.metrics.recordTargetResponse(statusCode, (performance.now() - this.#startedMs) / 1000, this.clock.now());
    return true;
  }

  onData(): boolean {
    return true;
  }

  onComplete(): void {
    this.#finish();
  }

  onError(err: Error): void {
    this.#finish();
    const code = (err as NodeJS.ErrnoException).code;
    this.group.metrics.recordElbError(code === 'UND_ERR_HEADERS_TIMEOUT' ? 504 : 502);
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.target.outstanding--;
  }
}

/**
 * Sends a copy of a body-less request to a target of the mirror group. The copy
 * carries `x-slipway-mirrored: 1`; its answer is counted and thrown away.
 */
export function mirrorRequest(req: IncomingMessage, headers: readonly string[], group: CompiledTargetGroup, timeoutMs: number, clock: Clock): void {
  const target = pickTarget(group);
  if (target === undefined) {
    group.metrics.recordElbError(503);
    return;
  }
  group.metrics.requestCount++;
  group.metrics.mirroredRequestCount++;
  target.outstanding++;
  target.pool.dispatch(
    {
      method: req.method as Dispatcher.HttpMethod,
      path: req.url ?? '/',
      headers: [...headers, 'x-slipway-mirrored', '1'],
      body: null,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    },
    new MirrorExchange(group, target, clock),
  );
}
