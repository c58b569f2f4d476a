import { useEffect, useRef, useState } from 'react';
import type { ChangeSet, PipelineActionDto, PipelineLogLineDto, PipelineLogsPageDto, PipelineRunDto, PipelineRunListDto, PipelineRunSummaryDto, PipelineStageDto, TestReportSummaryDto, CoverageCountsDto, CoverageReportSummaryDto } from '../../../src/shared/index.js';
import { ACTIVE_PIPELINE_STATUSES } from '../../../src/shared/api/states.js';
import { sumCoverage } from '../../../src/shared/api/coverage.js';
import { api, qs } from '../lib/api.js';
import { formatDuration, formatTime, shortRev } from '../lib/format.js';
import { useLiveEvents } from '../lib/live-events.js';
import { Link, setQuery, useLocation } from '../lib/router.js';
import { useResource } from '../lib/use-resource.js';
import { ActionButton } from '../components/action-button.js';
import { ChangeSetTable, summaryText } from '../components/change-set.js';
import { FindingsPanel, LoadTestPanel, analysisOf, loadTestOf, plural } from '../components/gate-panels.js';
import { EmptyState, PageHeader, ResourceState } from '../components/states.js';
import { StatusBadge, toneOf } from '../components/status.js';

const RUNNING: ReadonlySet<string> = new Set(ACTIVE_PIPELINE_STATUSES);

/** Whether an event is about the run `id` (by subject or data). */
function aboutRun(id: string) {
  return (e: { subject: string; data: Readonly<Record<string, unknown>> }) => e.subject.split('/').includes(id) || String(e.data.runId) === id;
}

/** An action's test counts, summed from the test reports a build action lists in its output. */
function testsOf(a: PipelineActionDto): { total: number; passed: number; failed: number; skipped: number } | undefined {
  // `output` is open-ended per action type; build actions put their TestReportSummaryDto[] under `reports`.
  const reports = a.type === 'build' ? (a.output.reports as readonly TestReportSummaryDto[] | undefined) : undefined;
  if (reports === undefined || reports.length === 0) return undefined;
  const sum = (pick: (r: TestReportSummaryDto) => number) => reports.reduce((n, r) => n + pick(r), 0);
  const total = sum((r) => r.tests);
  const failed = sum((r) => r.failures + r.errors);
  const skipped = sum((r) => r.skipped);
  return { total, passed: total - failed - skipped, failed, skipped };
}

/** An action's line and branch coverage, summed over the code-coverage reports a build action lists in its output. */
function coverageOf(a: PipelineActionDto): { lines: CoverageCountsDto; branches: CoverageCountsDto } | undefined {
  // Build actions put their CoverageReportSummaryDto[] under `coverage`.
  const reports = a.type === 'build' ? (a.output.coverage as readonly CoverageReportSummaryDto[] | undefined) : undefined;
  return sumCoverage(reports ?? []);
}

/** A plan action's change set and plan id, from its output. */
function planOf(a: PipelineActionDto): { changeSet: ChangeSet; planId: number | undefined } | undefined {
  // Plan actions put the ChangeSet under `plan` and the stored plan's id under `planId`.
  const changeSet = a.type === 'plan' ? (a.output.plan as ChangeSet | undefined) : undefined;
  return changeSet === undefined ? undefined : { changeSet, planId: typeof a.output.planId === 'number' ? a.output.planId : undefined };
}

/** `83.2 % lines · 61.0 % branches`, leaving out what has nothing to cover. */
function CoverageText({ coverage }: { coverage: { lines: CoverageCountsDto; branches: CoverageCountsDto } }) {
  const part = (c: CoverageCountsDto, what: string) => (c.percent === null ? null : `${c.percent.toFixed(1)} % ${what}`);
  const text = [part(coverage.lines, 'lines'), part(coverage.branches, 'branches')].filter((t) => t !== null).join(' · ');
  return text ? (
    <span className="small coverage" title={`${coverage.lines.covered}/${coverage.lines.total} lines, ${coverage.branches.covered}/${coverage.branches.total} branches covered`}>
      coverage {text}
    </span>
  ) : null;
}

/** Pipeline runs: the selected run as stage boxes (live), its build logs, approvals, and the run history. */
export function PipelinesView() {
  const { query } = useLocation();
  const runs = useResource<PipelineRunListDto>('/api/v1/pipeline/runs', { refreshOn: ['pipeline'] });
  const list = runs.data?.runs ?? [];
  const first = list[0]?.id;
  const selected = query.get('run') ?? (first === undefined ? undefined : String(first));
  return (
    <>
      <PageHeader title="Pipelines" subtitle="Each run from source to production, stage by stage." />
      <ResourceState what="pipeline runs" loading={runs.loading} error={runs.error} missing={runs.missing}>
        {list.length === 0 ? (
          <EmptyState title="No pipeline runs yet">A run starts when a commit lands on a trigger branch, or with <code>slipway pipeline run</code>.</EmptyState>
        ) : (
          <>
            {selected ? <RunDetail id={selected} /> : null}
            <RunHistory runs={list} selected={selected} />
          </>
        )}
      </ResourceState>
    </>
  );
}

function RunHistory({ runs, selected }: { runs: readonly PipelineRunSummaryDto[]; selected: string | undefined }) {
  return (
    <section className="card" aria-labelledby="run-history">
      <div className="card-head">
        <h2 id="run-history">Run history</h2>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Commit</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                Line coverage
              </th>
              <th scope="col" className="num">
                Duration
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} className={`clickable${String(r.id) === selected ? ' selected' : ''}`} onClick={() => setQuery({ run: String(r.id) }, { replace: false })}>
                <th scope="row">
                  <a href={`/pipelines?run=${r.id}`} onClick={(e) => e.preventDefault()} className="mono" aria-current={String(r.id) === selected ? 'true' : undefined}>
                    {r.id}
                  </a>
                </th>
                <td>
                  <StatusBadge state={r.status} />
                </td>
                <td className="mono">
                  {shortRev(r.commitSha)} {r.commitMessage ? <span className="muted">{r.commitMessage}</span> : null}
                </td>
                <td>{formatTime(r.startedAtMs)}</td>
                <td className="num">{r.coverage?.lines.percent == null ? '—' : `${r.coverage.lines.percent.toFixed(1)} %`}</td>
                <td className="num">{formatDuration(r.durationMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RunDetail({ id }: { id: string }) {
  const run = useResource<PipelineRunDto>(`/api/v1/pipeline/runs/${encodeURIComponent(id)}`, { refreshOn: ['pipeline'], when: aboutRun(id) });
  const [action, setAction] = useState<string | undefined>();
  const r = run.data;
  const stages = r?.stages ?? [];
  const allActions = stages.flatMap((s) => s.actions);
  const shown = action ?? allActions.find((a) => RUNNING.has(a.status))?.name ?? allActions.filter((a) => a.status !== 'Pending').at(-1)?.name;
  const shownAction = allActions.find((a) => a.name === shown);
  return (
    <section className="card" aria-labelledby="run-title">
      <div className="card-head">
        <h2 id="run-title">
          Run <span className="mono">{id}</span>
        </h2>
        {r ? (
          <span className="row">
            <StatusBadge state={r.status} />
            <span className="muted small">
              {shortRev(r.commitSha)} · {formatDuration(r.durationMs)}
            </span>
            {r.coverage ? <CoverageText coverage={r.coverage} /> : null}
          </span>
        ) : null}
      </div>
      <ResourceState what="this run" loading={run.loading} error={run.error} missing={run.missing}>
        <div className="stages" role="list" aria-label="Stages">
          {stages.map((s, i) => (
            <StageBox key={s.name} stage={s} runId={id} first={i === 0} selected={shown} onSelect={setAction} onChanged={run.reload} />
          ))}
        </div>
        {allActions.map((a) => {
          const plan = planOf(a);
          return plan ? <PlanPanel key={a.name} action={a.name} planId={plan.planId} changeSet={plan.changeSet} /> : null;
        })}
        {allActions.map((a) => {
          const analysis = analysisOf(a);
          const load = loadTestOf(a);
          if (analysis) return <FindingsPanel key={a.name} action={a.name} analysis={analysis} />;
          return load ? <LoadTestPanel key={a.name} action={a.name} load={load} /> : null;
        })}
        {shownAction ? <BuildLog runId={id} action={shownAction} /> : null}
      </ResourceState>
    </section>
  );
}

function StageBox({ stage, runId, first, selected, onSelect, onChanged }: { stage: PipelineStageDto; runId: string; first: boolean; selected: string | undefined; onSelect: (a: string) => void; onChanged: () => void }) {
  const groups = new Map<number, PipelineActionDto[]>();
  for (const a of stage.actions) groups.set(a.runOrder, [...(groups.get(a.runOrder) ?? []), a]);
  return (
    <>
      {first ? null : <span className={`stage-arrow tone-text-${toneOf(stage.status)}`} aria-hidden="true" />}
      <div className={`stage stage-${toneOf(stage.status)}`} role="listitem" aria-label={`Stage ${stage.name}: ${stage.status}`}>
        <div className="stage-head">
          <strong>{stage.name}</strong>
          <StatusBadge state={stage.status} />
        </div>
        {[...groups.entries()]
          .sort(([a], [b]) => a - b)
          .map(([order, actions]) => (
            <div key={order} className="stage-group">
              {actions.map((a) => {
                const tests = testsOf(a);
                const coverage = coverageOf(a);
                const plan = planOf(a);
                const analysis = analysisOf(a);
                const load = loadTestOf(a);
                return (
                  <div key={a.name} className={`stage-action${selected === a.name ? ' on' : ''}`}>
                    <button type="button" className="stage-action-btn" onClick={() => onSelect(a.name)} aria-pressed={selected === a.name} aria-label={`${a.name}: ${a.status}, show its log`}>
                      <span className={`dot tone-${toneOf(a.status)}`} aria-hidden="true" />
                      <span className="stage-action-name">{a.name}</span>
                      <span className="muted small">{formatDuration(a.durationMs)}</span>
                    </button>
                    {tests && tests.total > 0 ? (
                      <span className="small tests">
                        <span className="tone-text-ok">{tests.passed} passed</span>
                        {tests.failed ? <span className="tone-text-fail"> · {tests.failed} failed</span> : null}
                        {tests.skipped ? <span className="muted"> · {tests.skipped} skipped</span> : null}
                      </span>
                    ) : null}
                    {coverage ? <CoverageText coverage={coverage} /> : null}
                    {plan ? <span className="small">{plan.changeSet.changes.length === 0 ? 'no changes' : summaryText(plan.changeSet.changes)}</span> : null}
                    {analysis ? <span className="small">{plural(analysis.counts.error, 'error')} · {plural(analysis.counts.warning, 'warning')} · {plural(analysis.counts.note, 'note')}</span> : null}
                    {load?.latencyMs ? <span className="small">p99 {load.latencyMs.p99} ms · {load.requests} requests · {load.errors} errors</span> : null}
                    {a.reason ? <span className="small muted">{a.reason}</span> : null}
                    {a.type === 'approval' && RUNNING.has(a.status) ? <Approval runId={runId} onDone={onChanged} /> : null}
                  </div>
                );
              })}
            </div>
          ))}
        <div className="stage-foot muted small">{formatDuration(stage.durationMs)}</div>
      </div>
    </>
  );
}

/** The change set a plan action made: what the run's deploy stages apply, shown before the approval. */
function PlanPanel({ action, planId, changeSet }: { action: string; planId: number | undefined; changeSet: ChangeSet }) {
  return (
    <div className="log-panel">
      <div className="card-head">
        <h3 className="log-title">
          Change set of <span className="mono">{action}</span>
        </h3>
        {planId === undefined ? null : <Link to={`/iac?plan=${planId}`}>Plan {planId} in Infrastructure</Link>}
      </div>
      <ChangeSetTable changeSet={changeSet} label={`Change set of ${action}`} />
    </div>
  );
}

function Approval({ runId, onDone }: { runId: string; onDone: () => void }) {
  const [comment, setComment] = useState('');
  const [by, setBy] = useState(() => localStorage.getItem('slipway.approver') ?? '');
  const body = { comment, by: by || 'dashboard' };
  const base = `/api/v1/pipeline/runs/${encodeURIComponent(runId)}`;
  const done = () => {
    if (by) localStorage.setItem('slipway.approver', by);
    onDone();
  };
  return (
    <div className="approval stack">
      <label className="field">
        <span>Your name</span>
        <input value={by} onChange={(e) => setBy(e.target.value)} placeholder="dashboard" />
      </label>
      <label className="field">
        <span>Comment</span>
        <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="Looks good in staging" />
      </label>
      <div className="row">
        <ActionButton label="Approve" path={`${base}/approve`} body={body} variant="ok" onDone={done} />
        <ActionButton label="Reject" path={`${base}/reject`} body={body} variant="danger" onDone={done} />
      </div>
    </div>
  );
}

const FOLLOW_MS = 1000;

/**
 * An action's build log. Log lines are not events, so while the action runs
 * and "follow" is on, the next page is read each second from the last line
 * seen; a finished action is read once.
 */
function BuildLog({ runId, action }: { runId: string; action: PipelineActionDto }) {
  const [lines, setLines] = useState<PipelineLogLineDto[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [follow, setFollow] = useState(true);
  const after = useRef<number | undefined>(undefined);
  const box = useRef<HTMLPreElement>(null);
  const running = RUNNING.has(action.status);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    setLines([]);
    setError(undefined);
    after.current = undefined;
  }, [runId, action.name]);

  useLiveEvents(['pipeline'], (e) => {
    if (aboutRun(runId)(e)) setTick((t) => t + 1);
  });

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      api<PipelineLogsPageDto>(`/api/v1/pipeline/runs/${encodeURIComponent(runId)}/logs${qs({ action: action.name, after: after.current })}`).then(
        (page) => {
          if (cancelled) return;
          const got = page.lines;
          if (got.length > 0) setLines((l) => [...l, ...got]);
          after.current = page.nextAfter;
          if (running && follow) timer = setTimeout(read, FOLLOW_MS);
        },
        (err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)),
      );
    };
    read();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [runId, action.name, running, follow, tick]);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  return (
    <div className="log-panel">
      <div className="card-head">
        <h3 className="log-title">
          Log of <span className="mono">{action.name}</span>
        </h3>
        <label className="row small">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
      </div>
      {error ? (
        <p className="pad error-text">{error}</p>
      ) : (
        <pre className="log" ref={box} tabIndex={0} aria-label={`Log of ${action.name}`}>
          {lines.length === 0 ? <span className="muted">{running ? 'Waiting for output…' : 'No output.'}</span> : null}
          {lines.map((l) => (
            <span key={l.seq} className={l.stream === 'stderr' ? 'stderr' : undefined}>
              {l.line.replace(/\n$/, '')}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
    </div>
  );
}
