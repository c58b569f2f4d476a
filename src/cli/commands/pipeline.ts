import type { Command } from 'commander';
import { TERMINAL_PIPELINE_STATUSES, analysisLines, loadTestLines, type AnalysisOutputDto, type LoadTestOutputDto, type PipelineLogLineDto, type PipelineRunDto, type PipelineRunSummaryDto, type PipelineStatus } from '../../shared/index.js';
import { renderBuildOutput } from './pipeline-build-output.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { formatAge, printJson, println, table } from '../output.js';

const TERMINAL: ReadonlySet<PipelineStatus> = new Set(TERMINAL_PIPELINE_STATUSES);
const SYMBOL: Record<PipelineStatus, string> = { Pending: '·', InProgress: '▶', Waiting: '⏸', Succeeded: '✔', Failed: '✖', Stopped: '■', Superseded: '↷', Skipped: '↷' };
const RUNS = '/api/v1/pipeline/runs';

function client(cmd: Command): ApiClient {
  return ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
}

function runId(value: string): number {
  const id = Number(value.replace(/^#/, ''));
  if (!Number.isInteger(id) || id < 1) throw new Error(`"${value}" is not a run id`);
  return id;
}

const dur = (ms: number | undefined) => (ms === undefined ? '' : ms < 1000 ? `${ms}ms` : formatAge(ms));

const pct = (c: { covered: number; total: number; percent: number | null }) => (c.percent === null ? 'n/a' : `${c.percent}% (${c.covered}/${c.total})`);

/** The stage view of a run: one line per stage and one per action. */
export function renderRun(run: PipelineRunDto): string[] {
  const head = `run #${run.id}  ${run.status}  ${run.commitSha.slice(0, 12)}${run.branch ? ` (${run.branch})` : ''}  ${run.trigger}${run.durationMs !== undefined ? `  ${dur(run.durationMs)}` : ''}`;
  const lines = [head];
  if (run.commitMessage) lines.push(`  ${run.commitMessage}`);
  for (const s of run.stages) {
    lines.push(`${SYMBOL[s.status]} ${s.name.padEnd(16)} ${s.status.padEnd(11)} ${dur(s.durationMs)}${s.reason ? `  ${s.reason}` : ''}`);
    for (const a of s.actions) {
      const extra = a.type === 'approval' && a.status === 'Waiting' ? '  (slipway pipeline approve ' + run.id + ')' : a.reason ? `  ${a.reason}` : '';
      lines.push(`    ${SYMBOL[a.status]} ${a.name.padEnd(14)} ${a.type.padEnd(8)} ${a.status.padEnd(11)} ${dur(a.durationMs)}${a.attempt > 1 ? `  attempt ${a.attempt}` : ''}${extra}`);
      if (a.type === 'build') lines.push(...renderBuildOutput(a.output).map((l) => `        ${l}`));
      if (a.type === 'loadtest' && a.output.loadTest !== undefined) lines.push(...loadTestLines(a.output.loadTest as LoadTestOutputDto).map((l) => `        ${l}`));
      if (a.type === 'analyze' && a.output.analysis !== undefined) lines.push(...analysisLines(a.output.analysis as AnalysisOutputDto).map((l) => `        ${l}`));
    }
  }
  if (run.tests.total > 0) lines.push(`tests ${run.tests.total}, failures ${run.tests.failures}, errors ${run.tests.errors}, skipped ${run.tests.skipped}`);
  if (run.coverage) lines.push(`coverage lines ${pct(run.coverage.lines)}, branches ${pct(run.coverage.branches)}`);
  if (run.artifact) lines.push(`artifact ${run.artifact}`);
  if (run.reason) lines.push(`reason ${run.reason}`);
  return lines;
}

/** Follows a run to its end: redraws the stage view in place on a TTY, prints one line per change otherwise. */
async function watch(api: ApiClient, id: number): Promise<PipelineRunDto> {
  const tty = process.stdout.isTTY === true;
  let drawn = 0;
  const seen = new Map<string, string>();
  for (;;) {
    const run = await api.get<PipelineRunDto>(`${RUNS}/${id}`);
    if (tty) {
      const lines = renderRun(run);
      process.stdout.write(`${drawn > 0 ? `\x1b[${drawn}A\x1b[0J` : ''}${lines.join('\n')}\n`);
      drawn = lines.length;
    } else {
      for (const s of run.stages) {
        for (const a of s.actions) {
          const key = `${s.name}.${a.name}`;
          if (seen.get(key) !== a.status) {
            if (a.status !== 'Pending') println(`${key} ${a.status}${a.reason ? `: ${a.reason}` : ''}`);
            seen.set(key, a.status);
          }
        }
      }
    }
    if (TERMINAL.has(run.status)) {
      if (!tty) println(`run #${run.id} ${run.status}${run.reason ? `: ${run.reason}` : ''}`);
      return run;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function printLines(lines: readonly PipelineLogLineDto[], json: boolean): void {
  for (const l of lines) println(json ? JSON.stringify(l) : `[${l.action}] ${l.line}`);
}

/** `slipway pipeline list|show|logs|run|approve|reject|cancel|retry`. */
export function pipelineCommand(program: Command): void {
  const pipeline = program.command('pipeline').description('pipeline runs: start, follow, approve, cancel, retry');

  pipeline
    .command('list')
    .description('list runs, newest first')
    .option('--status <status>', 'only runs in this state, e.g. Failed')
    .option('--limit <n>', 'at most this many runs', '20')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; limit: string; json?: boolean }, cmd: Command) => {
      const { runs } = await client(cmd).get<{ runs: PipelineRunSummaryDto[] }>(RUNS, { status: opts.status, limit: opts.limit });
      if (opts.json) return printJson(runs);
      if (runs.length === 0) return println('no pipeline runs yet');
      println(
        table(
          ['RUN', 'STATUS', 'TRIGGER', 'REF', 'COMMIT', 'STAGES', 'STARTED', 'DURATION'],
          runs.map((r) => [
            `#${r.id}`,
            r.status,
            r.trigger,
            r.branch ?? r.ref?.replace(/^refs\/tags\//, 'tag ') ?? '-',
            r.commitSha.slice(0, 12),
            r.stages.map((s) => SYMBOL[s.status]).join(''),
            `${formatAge(Date.now() - r.createdAtMs)} ago`,
            dur(r.durationMs),
          ]),
        ),
      );
    });

  pipeline
    .command('show <run>')
    .description('show a run: stages, actions, states, durations, tests, artifact')
    .option('-f, --follow', 'keep showing it until it ends (live on a terminal)')
    .option('--json', 'print JSON')
    .action(async (run: string, opts: { follow?: boolean; json?: boolean }, cmd: Command) => {
      const api = client(cmd);
      if (opts.follow && !opts.json) {
        await watch(api, runId(run));
        return;
      }
      const dto = await api.get<PipelineRunDto>(`${RUNS}/${runId(run)}`);
      if (opts.json) printJson(dto);
      else for (const l of renderRun(dto)) println(l);
    });

  pipeline
    .command('logs <run>')
    .description("print a run's stored log lines (secrets masked)")
    .option('--action <name>', 'one action: its name or <stage>.<action>')
    .option('-f, --follow', 'keep printing lines until the run ends')
    .option('--json', 'print one JSON object per line')
    .action(async (run: string, opts: { action?: string; follow?: boolean; json?: boolean }, cmd: Command) => {
      const api = client(cmd);
      let after = 0;
      for (;;) {
        const page = await api.get<{ lines: PipelineLogLineDto[]; nextAfter: number; done: boolean }>(`${RUNS}/${runId(run)}/logs`, { action: opts.action, after, limit: 1000, waitMs: opts.follow ? 10_000 : undefined });
        printLines(page.lines, opts.json ?? false);
        after = page.nextAfter;
        if (page.lines.length === 1000) continue;
        if (!opts.follow || (page.done && page.lines.length === 0)) return;
      }
    });

  pipeline
    .command('run')
    .description('start a run by hand')
    .option('--revision <rev>', 'a commit sha, branch or tag (default: the head of the branch)')
    .option('--branch <branch>', 'the branch the run is for (default: the first trigger branch)')
    .option('-f, --follow', 'follow the run until it ends')
    .option('--json', 'print JSON')
    .action(async (opts: { revision?: string; branch?: string; follow?: boolean; json?: boolean }, cmd: Command) => {
      const api = client(cmd);
      const dto = await api.post<PipelineRunDto>(RUNS, { ...(opts.revision ? { revision: opts.revision } : {}), ...(opts.branch ? { branch: opts.branch } : {}) });
      if (opts.json) return printJson(dto);
      println(`run #${dto.id} started for ${dto.commitSha.slice(0, 12)}${dto.branch ? ` (${dto.branch})` : ''}`);
      if (opts.follow) {
        const end = await watch(api, dto.id);
        if (end.status !== 'Succeeded') throw new Error(`run #${end.id} ${end.status}${end.reason ? `: ${end.reason}` : ''}`);
      }
    });

  for (const verb of ['approve', 'reject'] as const) {
    pipeline
      .command(`${verb} <run>`)
      .description(`${verb} the approval a run waits for`)
      .option('--comment <text>', 'why')
      .option('--by <name>', 'who decides', process.env.USER ?? 'cli')
      .option('--action <name>', 'the approval action, when several wait')
      .option('--json', 'print JSON')
      .action(async (run: string, opts: { comment?: string; by?: string; action?: string; json?: boolean }, cmd: Command) => {
        const dto = await client(cmd).post<PipelineRunDto>(`${RUNS}/${runId(run)}/${verb}`, { ...(opts.comment ? { comment: opts.comment } : {}), ...(opts.by ? { by: opts.by } : {}), ...(opts.action ? { action: opts.action } : {}) });
        if (opts.json) printJson(dto);
        else println(`run #${dto.id}: ${verb === 'approve' ? 'approved' : 'rejected'}`);
      });
  }

  for (const verb of ['cancel', 'retry'] as const) {
    pipeline
      .command(`${verb} <run>`)
      .description(verb === 'cancel' ? 'stop a run in progress' : 'run the failed stage of a Failed or Stopped run again')
      .option('--json', 'print JSON')
      .action(async (run: string, opts: { json?: boolean }, cmd: Command) => {
        const dto = await client(cmd).post<PipelineRunDto>(`${RUNS}/${runId(run)}/${verb}`, {});
        if (opts.json) printJson(dto);
        else println(`run #${dto.id}: ${dto.status}`);
      });
  }
}
