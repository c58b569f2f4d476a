import { atLeast, type SecretFinding, type SecretRule, type Severity } from './model.js';
import { runNpmAudit, type AuditResult } from './npm-audit.js';
import { scanSecrets } from './scan-secrets.js';

/** Options of {@link runScan}. */
export interface RunScanOptions {
  readonly dir: string;
  /** Lowest severity (of a secret finding or a vulnerability) that fails the scan. @default 'high' */
  readonly failOn?: Severity;
  /** Secret rules. @default DEFAULT_SECRET_RULES */
  readonly rules?: readonly SecretRule[];
  /** Paths (globs) the secret scanner skips. @default [] */
  readonly allowPaths?: readonly string[];
  /** Environment of `npm audit`. @default this process's */
  readonly npmEnv?: NodeJS.ProcessEnv;
  /** Skip `npm audit` (its result is then Skipped). @default false */
  readonly skipAudit?: boolean;
}

/** Result of {@link runScan}. */
export interface ScanResult {
  /** Failed when a finding reaches `failOn`; NotScanned when the audit could not run (never reported as clean). */
  readonly status: 'Passed' | 'Failed' | 'NotScanned';
  readonly findings: readonly SecretFinding[];
  readonly audit: AuditResult;
  readonly reason?: string;
}

/** Scans a directory for planted secrets and vulnerable npm dependencies. */
export async function runScan(options: RunScanOptions): Promise<ScanResult> {
  const failOn = options.failOn ?? 'high';
  const findings = scanSecrets(options.dir, { ...(options.rules ? { rules: options.rules } : {}), ...(options.allowPaths ? { allowPaths: options.allowPaths } : {}) });
  const audit: AuditResult = options.skipAudit
    ? { status: 'Skipped', vulnerabilities: [], counts: {}, reason: 'skipped by request' }
    : await runNpmAudit(options.dir, { failOn, ...(options.npmEnv ? { env: options.npmEnv } : {}) });
  const blocking = findings.filter((f) => atLeast(f.severity, failOn));
  if (blocking.length > 0) return { status: 'Failed', findings, audit, reason: `${blocking.length} secret finding(s) at or above ${failOn}` };
  if (audit.status === 'Failed') return { status: 'Failed', findings, audit, reason: `npm audit found vulnerabilities at or above ${failOn}` };
  if (audit.status === 'NotScanned') return { status: 'NotScanned', findings, audit, ...(audit.reason ? { reason: audit.reason } : {}) };
  return { status: 'Passed', findings, audit };
}
