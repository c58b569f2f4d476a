import type { z } from 'zod';
import type { Issue } from '../errors/index.js';
import { tryParseDuration } from './duration.js';
import { resolveLoadTarget } from './load-target.js';
import type { ParsedAppDefinition } from './schema/app.js';
import { LOAD_TEST_LIMITS, type analyzeActionSchema, type loadTestActionSchema } from './schema/pipeline.js';

type LoadTestDef = z.output<typeof loadTestActionSchema>;
type AnalyzeDef = z.output<typeof analyzeActionSchema>;

/** The default length of a load test; the compiler uses the same. */
export const DEFAULT_LOAD_DURATION = '10s';

/**
 * Checks a load test: its target is one of the app's own ingresses (an environment's, at a path that
 * routes to a service), its duration within the hard limit and shorter than its timeout, and a body
 * only with a method that carries one.
 */
export function checkLoadTest(app: ParsedAppDefinition, action: LoadTestDef, at: string, issues: Issue[]): void {
  const target = resolveLoadTarget(app, action.target);
  if (!target.ok) issues.push({ path: target.key === undefined ? `${at}.target` : `${at}.target.${target.key}`, message: target.message });
  const durationMs = tryParseDuration(action.duration ?? DEFAULT_LOAD_DURATION) ?? 0;
  if (durationMs > LOAD_TEST_LIMITS.maxDurationMs) issues.push({ path: `${at}.duration`, message: `a load test lasts at most 5m, got "${action.duration ?? ''}"` });
  const timeoutMs = action.timeout === undefined ? undefined : tryParseDuration(action.timeout);
  if (timeoutMs !== undefined && timeoutMs <= durationMs) issues.push({ path: `${at}.timeout`, message: `the timeout (${action.timeout ?? ''}) must be longer than the load's duration (${action.duration ?? DEFAULT_LOAD_DURATION})` });
  if (action.body !== undefined && ['GET', 'HEAD'].includes(action.method ?? 'GET')) issues.push({ path: `${at}.body`, message: `a ${action.method ?? 'GET'} request carries no body: use POST, PUT or PATCH, or drop body` });
}

/** Checks a static analysis: `command` and `sarif` go together, and `paths` only with ESLint's default. */
export function checkAnalyze(action: AnalyzeDef, at: string, issues: Issue[]): void {
  if (action.command !== undefined && action.sarif === undefined) issues.push({ path: `${at}.sarif`, message: 'a command must say where it writes its SARIF log: give sarif (a path in the checkout)' });
  if (action.command === undefined && action.sarif !== undefined) issues.push({ path: `${at}.sarif`, message: 'sarif is the file a command writes: give command too, or drop sarif to run ESLint' });
  if (action.command !== undefined && action.paths !== undefined) issues.push({ path: `${at}.paths`, message: 'paths are what the default ESLint run lints; with a command, the command picks its files' });
  if (action.sarif !== undefined) {
    if (action.sarif.startsWith('/') || action.sarif.startsWith('\\')) issues.push({ path: `${at}.sarif`, message: `the SARIF file is a path relative to the checkout, got the absolute ${JSON.stringify(action.sarif)}` });
    else if (action.sarif.split(/[\\/]/).includes('..')) issues.push({ path: `${at}.sarif`, message: `the SARIF file must be inside the checkout, got ${JSON.stringify(action.sarif)}` });
  }
  (action.paths ?? []).forEach((p, i) => {
    if (p.startsWith('/') || p.split(/[\\/]/).includes('..')) issues.push({ path: `${at}.paths[${i}]`, message: `ESLint lints files inside the checkout: expected a relative path, got ${JSON.stringify(p)}` });
  });
}
