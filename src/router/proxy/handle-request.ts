import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/index.js';
import { underPrefix } from '../../shared/index.js';
import { requestIds, type AccessLog } from '../metrics/access-log.js';
import { pickTargetGroup, type Random } from '../select/pick-target-group.js';
import { pickTarget } from '../select/pick-target.js';
import type { CompiledListener, CompiledService, CompiledTargetGroup } from '../table/compiled.js';
import { Exchange, sendRouterError } from './exchange.js';
import { forwardRequestHeaders } from './forward-headers.js';
import { startMirror, type PrimaryTap } from './mirror.js';

/** The compiled listener a port serves now; the router swaps `current` when a table is applied. */
export interface ListenerSlot {
  current: CompiledListener;
}

/** What the request path needs besides the table. */
export interface ProxyContext {
  readonly random: Random;
  readonly clock: Clock;
  /** Where each finished request is recorded. */
  readonly accessLog: AccessLog;
}

/** Records an answer the router made itself (no route, no healthy target). */
function logRouterAnswer(ctx: ProxyContext, req: IncomingMessage, startedMs: number, environment: string, service: string, targetGroup: string, status: number): void {
  const ids = requestIds(req.rawHeaders);
  ctx.accessLog.record({ timeMs: ctx.clock.now(), environment, service, targetGroup, target: '', method: req.method ?? '', url: req.url ?? '/', status, routerMade: true, durationMs: performance.now() - startedMs, ...ids });
}

function routeOf(listener: CompiledListener, url: string): CompiledService | undefined {
  if (listener.kind !== 'ingress') return listener.service;
  const rules = listener.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (underPrefix(url, rule.pathPrefix)) return rule.service;
  }
  return undefined;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** The request handler of one listener port. */
export function createRequestHandler(slot: ListenerSlot, ctx: ProxyContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const startedMs = performance.now();
    // One read of the slot: the whole request sees one table even if a swap happens meanwhile.
    const listener = slot.current;
    const url = req.url ?? '/';
    const service = routeOf(listener, url);
    if (service === undefined) {
      listener.metrics.elb4xxCount++;
      sendRouterError(res, 404, JSON.stringify({ error: 'no route', listener: listener.id, path: url.split('?')[0] }));
      logRouterAnswer(ctx, req, startedMs, listener.environment, '', '', 404);
      return;
    }
    let group: CompiledTargetGroup | undefined;
    let setCookie: string | undefined;
    if (listener.testGroup !== undefined) {
      group = listener.testGroup;
    } else {
      const choice = pickTargetGroup(service, req.headers, ctx.random);
      group = choice.group;
      setCookie = choice.setCookie;
    }
    const target = group === undefined ? undefined : pickTarget(group);
    if (group === undefined || target === undefined) {
      (group?.metrics ?? service.serviceMetrics).recordElbError(503);
      if (group !== undefined) group.metrics.requestCount++;
      sendRouterError(res, 503, service.noTargetBody);
      logRouterAnswer(ctx, req, startedMs, service.environment, service.service, group?.id ?? '', 503);
      return;
    }
    const body = hasBody(req);
    const headers = forwardRequestHeaders(req);
    const mirror = service.mirror;
    let tap: PrimaryTap | undefined;
    // Test traffic and requests already sent to the mirror group are not copied.
    if (mirror !== undefined && group !== mirror.group && listener.testGroup === undefined && ctx.random() < mirror.fraction) {
      tap = startMirror(req, headers, mirror, body, ctx.clock);
    }
    new Exchange(req, res, service, group, target, headers, body, setCookie, ctx, startedMs, tap).start();
  };
}
