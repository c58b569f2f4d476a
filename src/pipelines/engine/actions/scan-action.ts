import path from 'node:path';
import { prepareWorkspace } from '../../build/index.js';
import { runScan, type Severity } from '../../scan/index.js';
import type { ActionExecutor } from './action-context.js';

/**
 * A scan action: secrets and (when enabled) `npm audit` over a fresh checkout
 * of the run's commit. Findings at or above `failOn` fail it. An audit that
 * could not run does not fail it but is recorded as `NotScanned`, never clean.
 */
export const executeScan: ActionExecutor = async (ctx) => {
  const { services, run, action } = ctx;
  const { prefix } = await services.repo.location();
  const ws = await prepareWorkspace({ repoDir: services.repo.dir, revision: run.commitSha, workspacesDir: services.workspacesDir, buildId: `r${run.id}-a${action.id}-t${ctx.attempt}` });
  try {
    const failOn = (action.configuration.failOn ?? 'high') as Severity;
    const result = await runScan({ dir: path.join(ws.dir, prefix), failOn, skipAudit: !services.scanAudit });
    for (const f of result.findings) ctx.log(`${f.severity.toUpperCase()} ${f.file}:${f.line} ${f.rule}: ${f.excerpt}`, 'system');
    ctx.log(`npm audit: ${result.audit.status}${result.audit.reason ? ` (${result.audit.reason})` : ''}`, 'system');
    const output = {
      scan: result.status,
      findings: result.findings.map((f) => ({ file: f.file, line: f.line, rule: f.rule, severity: f.severity })),
      audit: { status: result.audit.status, counts: result.audit.counts, ...(result.audit.reason ? { reason: result.audit.reason } : {}) },
    };
    if (result.status === 'Failed') return { status: 'Failed', reason: result.reason ?? 'the scan failed', output };
    return { status: 'Succeeded', output };
  } finally {
    ws.remove();
  }
};
