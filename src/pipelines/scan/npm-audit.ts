import fs from 'node:fs';
import path from 'node:path';
import { exec } from '../../core/index.js';
import { atLeast, type Severity } from './model.js';

/** One vulnerable package npm reported. */
export interface AuditVulnerability {
  readonly name: string;
  readonly severity: Severity | 'info';
  /** Advisory titles, when npm gave them. */
  readonly titles: readonly string[];
  readonly range: string | undefined;
}

/** Result of {@link runNpmAudit}. Never "clean" unless npm really answered. */
export interface AuditResult {
  /** Skipped: no lockfile. NotScanned: npm or the registry failed; `reason` says why. */
  readonly status: 'Passed' | 'Failed' | 'NotScanned' | 'Skipped';
  readonly vulnerabilities: readonly AuditVulnerability[];
  /** Counts by severity as npm reported them. */
  readonly counts: Readonly<Record<string, number>>;
  readonly reason?: string;
}

/** Options of {@link runNpmAudit}. */
export interface NpmAuditOptions {
  /** Lowest severity that fails. @default 'high' */
  readonly failOn?: Severity;
  /** Environment of npm (e.g. `npm_config_registry`). @default this process's */
  readonly env?: NodeJS.ProcessEnv;
  /** @default 120_000 */
  readonly timeoutMs?: number;
}

const SEVERITY_OF: Record<string, Severity | 'info'> = { info: 'info', low: 'low', moderate: 'medium', high: 'high', critical: 'critical' };

/**
 * Runs `npm audit --json --package-lock-only` when `dir` has a lockfile and
 * reads its JSON (npm 7+ format). npm exits 1 both when it finds
 * vulnerabilities and when it fails; the JSON tells the two apart. Anything
 * npm could not answer is NotScanned with the reason, never Passed.
 */
export async function runNpmAudit(dir: string, options: NpmAuditOptions = {}): Promise<AuditResult> {
  const empty = { vulnerabilities: [], counts: {} };
  if (!['package-lock.json', 'npm-shrinkwrap.json'].some((f) => fs.existsSync(path.join(dir, f)))) {
    return { status: 'Skipped', ...empty, reason: 'no package-lock.json or npm-shrinkwrap.json' };
  }
  let r;
  try {
    r = await exec('npm', ['audit', '--json', '--package-lock-only'], { cwd: dir, env: options.env ?? process.env, timeoutMs: options.timeoutMs ?? 120_000 });
  } catch (err) {
    return { status: 'NotScanned', ...empty, reason: `npm could not be run: ${(err as Error).message}` };
  }
  let report: { error?: { code?: string; summary?: string }; vulnerabilities?: Record<string, { severity?: string; range?: string; via?: unknown[] }>; metadata?: { vulnerabilities?: Record<string, number> } };
  try {
    report = JSON.parse(r.stdout) as typeof report;
  } catch {
    const why = r.signal ? `npm was killed (${r.signal}), probably by the timeout` : (r.stderr.trim().split('\n').pop() ?? `exit ${String(r.code)}`);
    return { status: 'NotScanned', ...empty, reason: `npm audit gave no JSON: ${why}` };
  }
  if (report.error !== undefined || report.vulnerabilities === undefined) {
    const e = report.error;
    return { status: 'NotScanned', ...empty, reason: `npm audit failed: ${[e?.code, e?.summary?.split('\n')[0]].filter(Boolean).join(': ') || 'unexpected output'}` };
  }
  const threshold = options.failOn ?? 'high';
  const vulnerabilities: AuditVulnerability[] = Object.entries(report.vulnerabilities).map(([name, v]) => ({
    name,
    severity: SEVERITY_OF[v.severity ?? ''] ?? 'low',
    titles: (v.via ?? []).flatMap((x) => (typeof x === 'object' && x !== null && typeof (x as { title?: unknown }).title === 'string' ? [(x as { title: string }).title] : [])),
    // npm computes `range` from the package's versions; without its packument it is empty, and the advisories' own ranges say it.
    range: v.range || viaRanges(v.via) || undefined,
  }));
  const failed = vulnerabilities.some((v) => v.severity !== 'info' && atLeast(v.severity, threshold));
  return { status: failed ? 'Failed' : 'Passed', vulnerabilities, counts: report.metadata?.vulnerabilities ?? {} };
}

function viaRanges(via: unknown[] | undefined): string {
  const ranges = (via ?? []).flatMap((x) => (typeof x === 'object' && x !== null && typeof (x as { range?: unknown }).range === 'string' ? [(x as { range: string }).range] : []));
  return [...new Set(ranges)].join(' || ');
}
