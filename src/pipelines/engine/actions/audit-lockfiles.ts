import fs from 'node:fs';
import path from 'node:path';
import { runNpmAudit, type Severity } from '../../scan/index.js';

/** The dependency audit of an image: `npm audit` over each of its lockfiles, summed. */
export interface LockfileAudit {
  /** Skipped: no lockfile. Failed: one at or above `failOn`. NotScanned: npm could not answer for one (never reported clean). */
  readonly status: 'Passed' | 'Failed' | 'NotScanned' | 'Skipped';
  readonly counts: Readonly<Record<string, number>>;
  readonly reason?: string;
}

/**
 * Runs `npm audit --package-lock-only` over each lockfile an image holds (written one per folder
 * under `dir`, which the caller removes), and sums the counts by severity.
 */
export async function auditLockfiles(dir: string, lockfiles: Readonly<Record<string, string>>, failOn: Severity): Promise<LockfileAudit> {
  const entries = Object.entries(lockfiles);
  if (entries.length === 0) return { status: 'Skipped', counts: {}, reason: 'no package-lock.json in the image' };
  const counts: Record<string, number> = {};
  const notScanned: string[] = [];
  let failed = false;
  for (const [i, [file, text]] of entries.entries()) {
    const at = path.join(dir, `lock-${i}`);
    fs.mkdirSync(at, { recursive: true });
    fs.writeFileSync(path.join(at, 'package-lock.json'), text);
    const r = await runNpmAudit(at, { failOn });
    for (const [k, n] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + n;
    if (r.status === 'Failed') failed = true;
    if (r.status === 'NotScanned') notScanned.push(`${file}: ${r.reason ?? 'not scanned'}`);
  }
  if (failed) return { status: 'Failed', counts, reason: `vulnerabilities at or above ${failOn}` };
  if (notScanned.length > 0) return { status: 'NotScanned', counts, reason: notScanned.join('; ') };
  return { status: 'Passed', counts };
}
