import type { FastifyInstance } from 'fastify';
import { onCallQuerySchema, parseInput, type OnCallDto, type ResolvedOncall } from '../../shared/index.js';
import { whoIsOnCall } from './who-is-on-call.js';

/** Who is on call on every schedule at `atMs` (the API's answer). */
export function onCallAt(oncall: ResolvedOncall | undefined, atMs: number): OnCallDto {
  const schedules = Object.values(oncall?.schedules ?? {}).map((s) => {
    const o = whoIsOnCall(s, atMs);
    return { schedule: s.name, timeZone: s.timeZone, user: o.user ?? null, source: o.source, layer: o.layer ?? null, sinceMs: o.sinceMs ?? null, untilMs: o.untilMs ?? null };
  });
  const policyBySeverity = Object.fromEntries(Object.entries(oncall?.policyBySeverity ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
  return { atMs, schedules, policyBySeverity };
}

/** `GET /api/v1/oncall[?at=]`: who is on call per schedule (docs/oncall.md). */
export function onCallRoutes(oncall: () => ResolvedOncall | undefined, now: () => number): (app: FastifyInstance) => void {
  return (app) => {
    app.get('/api/v1/oncall', { config: { auth: 'session' } }, async (request) => {
      const q = parseInput(onCallQuerySchema, request.query, 'query');
      return onCallAt(oncall(), q.at ?? now());
    });
  };
}
