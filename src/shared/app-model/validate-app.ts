import { InputError, formatIssues, type Issue } from '../errors/index.js';
import { checkAlarms, checkDashboards, checkFlags } from './check-alarms.js';
import { checkEnvironments, checkPipeline } from './check-environments.js';
import { checkServices } from './check-services.js';
import { checkAlarmScaling, checkScaling } from './check-scaling.js';
import { checkExperiments } from './check-experiments.js';
import { checkOncall } from './check-oncall.js';
import { checkShape } from './check-shape.js';
import { compileApp } from './compile-app.js';
import type { ResolvedApp } from './resolved.js';
import { appDefinitionSchema, type ParsedAppDefinition } from './schema/app.js';
import { zodToIssues } from './zod-to-issues.js';

/** The outcome of {@link validateApp}: the resolved app, or every problem found. */
export type AppValidation = { ok: true; app: ResolvedApp } | { ok: false; issues: Issue[] };

/**
 * Checks the references between the parts of a definition that passed the schema
 * (names that must exist, ports that must not clash, cycles, M of N, ...).
 * @returns the problems found; empty when there are none.
 */
export function checkReferences(app: ParsedAppDefinition): Issue[] {
  const issues: Issue[] = [];
  checkServices(app, issues);
  checkEnvironments(app, issues);
  checkPipeline(app, issues);
  checkAlarms(app, issues);
  checkScaling(app, issues);
  checkAlarmScaling(app, issues);
  checkFlags(app, issues);
  checkExperiments(app, issues);
  checkDashboards(app, issues);
  checkOncall(app, issues);
  return issues;
}

/**
 * Validates an app definition of unknown shape: its shape first (bounded nesting, no
 * reserved key such as `__proto__` anywhere), then the schema, then the references
 * between its parts; when all pass, compiles it into the resolved form. Never throws
 * for bad input, however deep. This is the one gate of every way a definition
 * arrives (a .ts or .js module, JSON, YAML), so each gets the same checks.
 */
export function validateApp(input: unknown): AppValidation {
  const shapeIssues = checkShape(input);
  if (shapeIssues.length > 0) return { ok: false, issues: shapeIssues };
  const parsed = appDefinitionSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, issues: zodToIssues(parsed.error) };
  const issues = checkReferences(parsed.data);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, app: compileApp(parsed.data) };
}

/**
 * Validates and compiles an app definition into its resolved, deeply frozen form.
 * @throws {InputError} `SLW_ERR_CONFIG_INVALID` with one issue per problem.
 */
export function resolveApp(definition: unknown): ResolvedApp {
  const result = validateApp(definition);
  if (!result.ok) throw new InputError('SLW_ERR_CONFIG_INVALID', formatIssues(result.issues), { issues: result.issues });
  return result.app;
}
