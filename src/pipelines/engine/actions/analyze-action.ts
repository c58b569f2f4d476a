import fs from 'node:fs';
import path from 'node:path';
import { analysisLines, type AnalysisFindingDto, type AnalysisOutputDto } from '../../../shared/index.js';
import { prepareWorkspace } from '../../build/index.js';
import { lintForSecurity } from '../../scan/eslint-security.js';
import { GATING_LEVELS, levelAtLeast, readSarif } from '../../scan/sarif.js';
import { abortedOutcome, type ActionExecutor } from './action-context.js';
import { runShellCommand } from './run-shell-command.js';

const MAX_STORED_FINDINGS = 1000;
const MAX_LOGGED_FINDINGS = 200;
const MAX_SARIF_BYTES = 64 * 1024 * 1024;
const LEVEL_ORDER = ['error', 'warning', 'note', 'none'] as const;

/**
 * A static analysis action over a fresh checkout of the run's commit: ESLint with the security rule
 * set, or `command` and the SARIF log it writes. Findings at or above `failOn` fail the action; all
 * are stored with the run (the first 1000, most severe first). A command's exit status does not
 * decide (SARIF tools exit non-zero when they find something): its log does, and a missing or
 * malformed log fails the action naming the file and what was wrong.
 */
export const executeAnalyze: ActionExecutor = async (ctx) => {
  const { services, run, action } = ctx;
  const cfg = action.configuration as { command?: string; sarif?: string; paths?: string[]; failOn?: (typeof GATING_LEVELS)[number] };
  const failOn = cfg.failOn ?? 'error';
  const { prefix } = await services.repo.location();
  const ws = await prepareWorkspace({ repoDir: services.repo.dir, revision: run.commitSha, workspacesDir: services.workspacesDir, buildId: `r${run.id}-a${action.id}-t${ctx.attempt}` });
  const configDir = `${ws.dir}.eslint`;
  try {
    const root = path.join(ws.dir, prefix);
    let tool: string;
    let findings: AnalysisFindingDto[];
    if (cfg.command !== undefined && cfg.sarif !== undefined) {
      const r = await runShellCommand(ctx, cfg.command, root);
      if (r.aborted) return abortedOutcome(ctx.signal, ctx.timeoutMs);
      ctx.log(`the command ${r.signal ? `was killed by ${r.signal}` : `exited with status ${String(r.code)}`}`, 'system');
      const file = path.resolve(root, cfg.sarif);
      if (path.relative(root, file).startsWith('..')) return { status: 'Failed', reason: `the SARIF file ${cfg.sarif} is outside the checkout` };
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (stat === undefined || !stat.isFile()) return { status: 'Failed', reason: `the command wrote no SARIF file at ${cfg.sarif}` };
      if (stat.size > MAX_SARIF_BYTES) return { status: 'Failed', reason: `the SARIF file ${cfg.sarif} is ${stat.size} bytes, more than the ${MAX_SARIF_BYTES} read` };
      const read = readSarif(fs.readFileSync(file, 'utf8'), root);
      if (!read.ok) return { status: 'Failed', reason: `the SARIF file ${cfg.sarif} ${read.message}` };
      tool = read.tool;
      findings = read.findings;
    } else {
      ctx.log(`ESLint with the security rule set over ${(cfg.paths ?? ['.']).join(' ')}`, 'system');
      const r = await lintForSecurity(root, cfg.paths ?? ['.'], configDir, Math.max(1000, ctx.remainingMs));
      if (ctx.signal.aborted) return abortedOutcome(ctx.signal, ctx.timeoutMs);
      if (!r.ok) return { status: 'Failed', reason: r.message };
      for (const s of r.skipped) ctx.log(`not analysed: ${s}`, 'system');
      tool = 'ESLint';
      findings = r.findings;
    }
    findings.sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || a.file.localeCompare(b.file) || a.line - b.line);
    const counts = { error: 0, warning: 0, note: 0, none: 0 };
    for (const f of findings) counts[f.level]++;
    const gating = findings.filter((f) => levelAtLeast(f.level, failOn)).length;
    const analysis: AnalysisOutputDto = { tool, failOn, counts, findings: findings.slice(0, MAX_STORED_FINDINGS), findingsOmitted: Math.max(0, findings.length - MAX_STORED_FINDINGS) };
    for (const line of analysisLines(analysis, MAX_LOGGED_FINDINGS)) ctx.log(line, 'system');
    ctx.emit('pipeline.analysis.completed', { tool, error: counts.error, warning: counts.warning, note: counts.note, failOn, passed: gating === 0 });
    if (gating > 0) {
      const levels = GATING_LEVELS.filter((l) => levelAtLeast(l, failOn) && counts[l] > 0).map((l) => `${counts[l]} ${l}${counts[l] === 1 ? '' : 's'}`);
      return { status: 'Failed', reason: `static analysis (${tool}) found ${levels.join(', ')} at or above ${failOn}`, output: { analysis } };
    }
    return { status: 'Succeeded', output: { analysis } };
  } finally {
    ws.remove();
    fs.rmSync(configDir, { recursive: true, force: true });
  }
};
