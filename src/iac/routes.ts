import type { FastifyInstance } from 'fastify';
import {
  InputError,
  applyPlanBodySchema,
  createOverrideBodySchema,
  createPlanBodySchema,
  planListQuerySchema,
  formatIssues,
  parseDuration,
  parseInput,
  validateApp,
  type ApplyDto,
  type AppliedVersionDto,
  type DriftReportDto,
  type IacStateDto,
  type OverrideDto,
  type PlanDto,
  type PlanListDto,
} from '../shared/index.js';
import { z } from 'zod';
import type { DriftDetector } from './drift.js';
import { formatChangeSet, summarize } from './format-plan.js';
import type { InfrastructureAsCode } from './iac.js';
import type { LiveModel } from './live-model.js';
import type { AppliedVersion, Override, StoredApply, StoredPlan } from './store/iac-store.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** A scope's applied version as the API shows it. */
export function appliedVersionDto(v: AppliedVersion): AppliedVersionDto {
  return { scope: v.scope, commit: v.commit, appliedAt: iso(v.appliedAtMs), by: v.by, planId: v.planId, runId: v.runId };
}

/** An apply as the API shows it. */
export function applyDto(a: StoredApply): ApplyDto {
  return { id: a.id, planId: a.planId, scope: a.scope, status: a.status, changes: a.changes, applied: a.applied, error: a.error, startedAt: iso(a.startedAtMs), endedAt: a.endedAtMs === null ? null : iso(a.endedAtMs) };
}

/** A plan as the API shows it, with its applies. */
export function planDto(p: StoredPlan, applies: readonly StoredApply[]): PlanDto {
  return { id: p.id, createdAt: iso(p.createdAtMs), commit: p.commit, runId: p.runId, source: p.source, changeSet: p.changeSet, lines: formatChangeSet(p.changeSet), summary: summarize(p.changeSet), applies: applies.map(applyDto) };
}

function overrideDto(o: Override): OverrideDto {
  return { id: o.id, environment: o.environment, resourceId: o.resourceId, reason: o.reason, by: o.by, createdAt: iso(o.createdAtMs), expiresAt: iso(o.expiresAtMs) };
}

/**
 * Validates an app definition for a plan, with the messages `slipway validate` prints.
 * @throws {InputError} `SLW_ERR_CONFIG_INVALID`
 */
export function resolveForPlan(definition: unknown, source: string) {
  const result = validateApp(definition);
  if (!result.ok) throw new InputError('SLW_ERR_CONFIG_INVALID', formatIssues(result.issues, source), { issues: result.issues });
  return result.app;
}

const idParams = z.strictObject({ id: z.coerce.number().int().min(1) });
const driftQuery = z.strictObject({ detect: z.enum(['true', 'false']).optional() });

/** `/api/v1/iac/...`: plans and their applies, the applied state, drift and overrides. */
export function iacRoutes(o: { iac: InfrastructureAsCode; drift: DriftDetector; live: LiveModel }) {
  return (app: FastifyInstance): void => {
    app.post('/api/v1/iac/plans', { config: { auth: 'session' } }, async (request, reply): Promise<PlanDto> => {
      const body = parseInput(createPlanBodySchema, request.body, 'body');
      const model = resolveForPlan(body.definition, body.source);
      const plan = await o.iac.plan(model, { commit: body.commit ?? null, runId: null, source: body.source });
      void reply.code(201);
      return planDto(plan, []);
    });
    app.get('/api/v1/iac/plans', { config: { auth: 'session' } }, async (request): Promise<PlanListDto> => {
      const q = parseInput(planListQuerySchema, request.query, 'query');
      const limit = q.limit ?? 20;
      const plans = o.iac.plans(limit + 1, q.before);
      const page = plans.slice(0, limit);
      return { plans: page.map((p) => planDto(p, o.iac.appliesOf(p.id))), nextBefore: plans.length > limit ? page[page.length - 1]!.id : null };
    });
    app.get('/api/v1/iac/plans/:id', { config: { auth: 'session' } }, async (request): Promise<PlanDto> => {
      const { id } = parseInput(idParams, request.params, 'params');
      return planDto(o.iac.getPlan(id), o.iac.appliesOf(id));
    });
    app.post('/api/v1/iac/plans/:id/apply', { config: { auth: 'session' } }, async (request): Promise<PlanDto> => {
      const { id } = parseInput(idParams, request.params, 'params');
      const body = parseInput(applyPlanBodySchema, request.body ?? {}, 'body');
      await o.iac.apply(id, { by: 'slipway apply', allowDestroy: body.allowDestroy ?? false });
      return planDto(o.iac.getPlan(id), o.iac.appliesOf(id));
    });
    app.get('/api/v1/iac/state', { config: { auth: 'session' } }, async (): Promise<IacStateDto> => ({ scopes: o.iac.versions().map(appliedVersionDto), resources: await o.iac.liveState(), history: o.iac.history().map(applyDto) }));
    app.get('/api/v1/iac/drift', { config: { auth: 'session' } }, async (request): Promise<DriftReportDto> => {
      const query = parseInput(driftQuery, request.query, 'query');
      const { drifts, detectedAtMs } = query.detect === 'true' ? { drifts: await o.drift.detect({ heal: false }), detectedAtMs: Date.now() } : o.drift.last();
      return {
        detectedAt: detectedAtMs === null ? null : iso(detectedAtMs),
        drifts: drifts.map((d) => ({ kind: d.kind, environment: d.environment, resourceId: d.resourceId, message: d.message, expected: d.expected, actual: d.actual, healable: d.healable, overrideId: d.override?.id ?? null })),
        overrides: o.drift.overrides().map(overrideDto),
        selfHeal: Object.values(o.live.view.environments).filter((e) => e.selfHeal).map((e) => e.name),
      };
    });
    app.post('/api/v1/iac/overrides', { config: { auth: 'session' } }, async (request, reply): Promise<OverrideDto> => {
      const body = parseInput(createOverrideBodySchema, request.body, 'body');
      const created = o.drift.recordOverride({ environment: body.environment, ...(body.resourceId ? { resourceId: body.resourceId } : {}), reason: body.reason, by: 'api', ...(body.for ? { durationMs: parseDuration(body.for) } : {}) });
      void reply.code(201);
      return overrideDto(created);
    });
    app.delete('/api/v1/iac/overrides/:id', { config: { auth: 'session' } }, async (request): Promise<OverrideDto> => {
      const { id } = parseInput(idParams, request.params, 'params');
      const ended = o.drift.clearOverride(id);
      if (!ended) throw new InputError('SLW_ERR_IAC_OVERRIDE_INVALID', `no override ${id}`, { issues: [{ path: 'params.id', message: 'unknown override' }] });
      return overrideDto(ended);
    });
  };
}
