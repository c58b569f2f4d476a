import type { Db } from '../../core/index.js';
import { NotFoundError } from '../../shared/index.js';
import type { ActionRecord, ApprovalDecision, PipelineStatus, PipelineVariables, PlannedStage, RunPosition, RunRecord, StageRecord, TriggerKind } from './model.js';
import { actionConfiguration } from './model.js';

interface RunRow {
  id: number;
  status: string;
  trigger: string;
  ref: string | null;
  branch: string | null;
  commit_sha: string;
  commit_message: string | null;
  plan: string;
  position_stage: number;
  position_phase: string;
  variables: string;
  artifact: string | null;
  images: string;
  reason: string | null;
  created_ms: number;
  started_ms: number | null;
  ended_ms: number | null;
}

interface StageRow {
  run_id: number;
  idx: number;
  name: string;
  status: string;
  attempt: number;
  started_ms: number | null;
  ended_ms: number | null;
  reason: string | null;
}

interface ActionRow {
  id: number;
  run_id: number;
  stage_idx: number;
  stage_name: string;
  name: string;
  type: string;
  run_order: number;
  status: string;
  attempt: number;
  owner: string | null;
  started_ms: number | null;
  ended_ms: number | null;
  deadline_ms: number | null;
  reason: string | null;
  configuration: string;
  output: string;
  decision: string | null;
}

/** What a new run is created with. */
export interface NewRun {
  readonly trigger: TriggerKind;
  readonly ref: string | undefined;
  readonly branch: string | undefined;
  readonly commitSha: string;
  readonly commitMessage: string | undefined;
  readonly plan: readonly PlannedStage[];
  readonly variables: PipelineVariables;
  readonly nowMs: number;
}

/** Columns of a run that change as it moves. */
export type RunPatch = Partial<Pick<RunRecord, 'status' | 'position' | 'variables' | 'artifact' | 'images' | 'reason' | 'startedAtMs' | 'endedAtMs'>>;
/** Columns of a stage that change. */
export type StagePatch = Partial<Pick<StageRecord, 'status' | 'attempt' | 'reason' | 'startedAtMs' | 'endedAtMs'>>;
/** Columns of an action that change. */
export type ActionPatch = Partial<Pick<ActionRecord, 'status' | 'attempt' | 'owner' | 'reason' | 'startedAtMs' | 'endedAtMs' | 'deadlineMs' | 'configuration' | 'output' | 'decision'>>;

/** Filters of {@link RunStore.listRuns}. */
export interface RunFilter {
  readonly status?: PipelineStatus;
  readonly beforeId?: number;
  /** @default 50 */
  readonly limit?: number;
}

/** What masks secrets in what the store writes (the engine's `Redactor`). */
export interface WriteMasking {
  text(value: string): string;
  deep<T>(value: T): T;
}

const NO_MASKING: WriteMasking = { text: (v) => v, deep: (v) => v };

const nul = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const und = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/**
 * Runs, stages and actions in SQLite: the engine's only memory. Every
 * transition is written before anything acts on it, so a new control plane
 * resumes from what is stored. `guard` is called before every write; it
 * throws once the engine that owns this store is closed, so a closed engine's
 * late callbacks cannot overwrite what its successor does. `masking` masks
 * secrets in every reason, configuration, output, decision and variable
 * written.
 */
export class RunStore {
  readonly #db: Db;
  readonly #guard: () => void;
  readonly #mask: WriteMasking;

  constructor(db: Db, guard: () => void = () => {}, masking: WriteMasking = NO_MASKING) {
    this.#db = db;
    this.#guard = guard;
    this.#mask = masking;
  }

  /** Creates a run with its stages and actions, all Pending, in one transaction. */
  createRun(run: NewRun): RunRecord {
    this.#guard();
    const id = this.#db.transaction(() => {
      const r = this.#db
        .prepare(
          `INSERT INTO pipeline_runs (status, trigger, ref, branch, commit_sha, commit_message, plan, variables, created_ms, started_ms)
           VALUES ('InProgress', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(run.trigger, nul(run.ref), nul(run.branch), run.commitSha, nul(run.commitMessage), JSON.stringify(run.plan), JSON.stringify(run.variables), run.nowMs, run.nowMs);
      const runId = Number(r.lastInsertRowid);
      const stage = this.#db.prepare(`INSERT INTO pipeline_stage_runs (run_id, idx, name, status) VALUES (?, ?, ?, 'Pending')`);
      const action = this.#db.prepare(
        `INSERT INTO pipeline_action_runs (run_id, stage_idx, stage_name, name, type, run_order, status, configuration) VALUES (?, ?, ?, ?, ?, ?, 'Pending', ?)`,
      );
      run.plan.forEach((s, i) => {
        stage.run(runId, i, s.name);
        for (const a of s.actions) action.run(runId, i, s.name, a.name, a.type, a.runOrder, JSON.stringify(actionConfiguration(a)));
      });
      return runId;
    }).immediate();
    return this.getRun(id);
  }

  /** A run; throws NotFoundError. */
  getRun(id: number): RunRecord {
    const row = this.#db.prepare<[number], RunRow>('SELECT * FROM pipeline_runs WHERE id = ?').get(id);
    if (row === undefined) throw new NotFoundError('SLW_ERR_PIPELINE_RUN_NOT_FOUND', `no pipeline run ${id}`);
    return toRun(row);
  }

  /** Runs, newest first. */
  listRuns(filter: RunFilter = {}): RunRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.status !== undefined) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.beforeId !== undefined) {
      where.push('id < ?');
      args.push(filter.beforeId);
    }
    const sql = `SELECT * FROM pipeline_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.#db.prepare<(string | number)[], RunRow>(sql).all(...args, filter.limit ?? 50).map(toRun);
  }

  /** Runs that are not finished, oldest first. */
  unfinishedRuns(): RunRecord[] {
    return this.#db.prepare<[], RunRow>("SELECT * FROM pipeline_runs WHERE status IN ('Pending', 'InProgress') ORDER BY id").all().map(toRun);
  }

  /** Updates a run. */
  updateRun(id: number, patch: RunPatch): RunRecord {
    this.#guard();
    const sets: string[] = [];
    const args: (string | number | null)[] = [];
    const set = (col: string, v: string | number | null) => {
      sets.push(`${col} = ?`);
      args.push(v);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.position !== undefined) {
      set('position_stage', patch.position.stageIndex);
      set('position_phase', patch.position.phase);
    }
    if (patch.variables !== undefined) set('variables', JSON.stringify(this.#mask.deep(patch.variables)));
    if ('artifact' in patch) set('artifact', nul(patch.artifact));
    if (patch.images !== undefined) set('images', JSON.stringify(patch.images));
    if ('reason' in patch) set('reason', nul(this.#maskText(patch.reason)));
    if ('startedAtMs' in patch) set('started_ms', nul(patch.startedAtMs));
    if ('endedAtMs' in patch) set('ended_ms', nul(patch.endedAtMs));
    if (sets.length > 0) this.#db.prepare(`UPDATE pipeline_runs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    return this.getRun(id);
  }

  /** The stages of a run, in order. */
  stages(runId: number): StageRecord[] {
    return this.#db.prepare<[number], StageRow>('SELECT * FROM pipeline_stage_runs WHERE run_id = ? ORDER BY idx').all(runId).map(toStage);
  }

  /** One stage of a run. */
  stage(runId: number, index: number): StageRecord {
    const row = this.#db.prepare<[number, number], StageRow>('SELECT * FROM pipeline_stage_runs WHERE run_id = ? AND idx = ?').get(runId, index);
    if (row === undefined) throw new NotFoundError('SLW_ERR_PIPELINE_RUN_NOT_FOUND', `pipeline run ${runId} has no stage ${index}`);
    return toStage(row);
  }

  /** Updates a stage. */
  updateStage(runId: number, index: number, patch: StagePatch): StageRecord {
    this.#guard();
    const sets: string[] = [];
    const args: (string | number | null)[] = [];
    const set = (col: string, v: string | number | null) => {
      sets.push(`${col} = ?`);
      args.push(v);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.attempt !== undefined) set('attempt', patch.attempt);
    if ('reason' in patch) set('reason', nul(this.#maskText(patch.reason)));
    if ('startedAtMs' in patch) set('started_ms', nul(patch.startedAtMs));
    if ('endedAtMs' in patch) set('ended_ms', nul(patch.endedAtMs));
    if (sets.length > 0) this.#db.prepare(`UPDATE pipeline_stage_runs SET ${sets.join(', ')} WHERE run_id = ? AND idx = ?`).run(...args, runId, index);
    return this.stage(runId, index);
  }

  /** The actions of a run (or of one of its stages), by stage, run order and id. */
  actions(runId: number, stageIndex?: number): ActionRecord[] {
    const rows =
      stageIndex === undefined
        ? this.#db.prepare<[number], ActionRow>('SELECT * FROM pipeline_action_runs WHERE run_id = ? ORDER BY stage_idx, run_order, id').all(runId)
        : this.#db.prepare<[number, number], ActionRow>('SELECT * FROM pipeline_action_runs WHERE run_id = ? AND stage_idx = ? ORDER BY run_order, id').all(runId, stageIndex);
    return rows.map(toAction);
  }

  /** One action; throws NotFoundError. */
  action(id: number): ActionRecord {
    const row = this.#db.prepare<[number], ActionRow>('SELECT * FROM pipeline_action_runs WHERE id = ?').get(id);
    if (row === undefined) throw new NotFoundError('SLW_ERR_PIPELINE_RUN_NOT_FOUND', `no pipeline action ${id}`);
    return toAction(row);
  }

  /** Updates an action. */
  updateAction(id: number, patch: ActionPatch): ActionRecord {
    this.#guard();
    const sets: string[] = [];
    const args: (string | number | null)[] = [];
    const set = (col: string, v: string | number | null) => {
      sets.push(`${col} = ?`);
      args.push(v);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.attempt !== undefined) set('attempt', patch.attempt);
    if ('owner' in patch) set('owner', nul(patch.owner));
    if ('reason' in patch) set('reason', nul(this.#maskText(patch.reason)));
    if ('startedAtMs' in patch) set('started_ms', nul(patch.startedAtMs));
    if ('endedAtMs' in patch) set('ended_ms', nul(patch.endedAtMs));
    if ('deadlineMs' in patch) set('deadline_ms', nul(patch.deadlineMs));
    if (patch.configuration !== undefined) set('configuration', JSON.stringify(this.#mask.deep(patch.configuration)));
    if (patch.output !== undefined) set('output', JSON.stringify(this.#mask.deep(patch.output)));
    if ('decision' in patch) set('decision', patch.decision === undefined ? null : JSON.stringify(this.#mask.deep(patch.decision)));
    if (sets.length > 0) this.#db.prepare(`UPDATE pipeline_action_runs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    return this.action(id);
  }

  /** Records an approval decision if the action still waits for one; returns whether it did. */
  decide(actionId: number, decision: ApprovalDecision): boolean {
    this.#guard();
    return this.#db.prepare("UPDATE pipeline_action_runs SET decision = ? WHERE id = ? AND status = 'Waiting' AND decision IS NULL").run(JSON.stringify(this.#mask.deep(decision)), actionId).changes > 0;
  }

  #maskText(value: string | undefined): string | undefined {
    return value === undefined ? undefined : this.#mask.text(value);
  }

  /** The newest Succeeded attempt of a deploy action in another run, for ROLLBACK. */
  lastSucceededDeploy(stageName: string, actionName: string, exceptRunId: number): ActionRecord | undefined {
    const row = this.#db
      .prepare<[string, string, number], ActionRow>(
        "SELECT * FROM pipeline_action_runs WHERE stage_name = ? AND name = ? AND type = 'deploy' AND status = 'Succeeded' AND run_id <> ? ORDER BY ended_ms DESC, id DESC LIMIT 1",
      )
      .get(stageName, actionName, exceptRunId);
    return row === undefined ? undefined : toAction(row);
  }
}

function toRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    status: r.status as PipelineStatus,
    trigger: r.trigger as TriggerKind,
    ref: und(r.ref),
    branch: und(r.branch),
    commitSha: r.commit_sha,
    commitMessage: und(r.commit_message),
    plan: JSON.parse(r.plan) as PlannedStage[],
    position: { stageIndex: r.position_stage, phase: r.position_phase as RunPosition['phase'] },
    variables: JSON.parse(r.variables) as PipelineVariables,
    artifact: und(r.artifact),
    images: JSON.parse(r.images ?? '{}') as Record<string, string>,
    reason: und(r.reason),
    createdAtMs: r.created_ms,
    startedAtMs: und(r.started_ms),
    endedAtMs: und(r.ended_ms),
  };
}

function toStage(r: StageRow): StageRecord {
  return { runId: r.run_id, index: r.idx, name: r.name, status: r.status as PipelineStatus, attempt: r.attempt, startedAtMs: und(r.started_ms), endedAtMs: und(r.ended_ms), reason: und(r.reason) };
}

function toAction(r: ActionRow): ActionRecord {
  return {
    id: r.id,
    runId: r.run_id,
    stageIndex: r.stage_idx,
    stageName: r.stage_name,
    name: r.name,
    type: r.type as ActionRecord['type'],
    runOrder: r.run_order,
    status: r.status as PipelineStatus,
    attempt: r.attempt,
    owner: und(r.owner),
    startedAtMs: und(r.started_ms),
    endedAtMs: und(r.ended_ms),
    deadlineMs: und(r.deadline_ms),
    reason: und(r.reason),
    configuration: JSON.parse(r.configuration) as Record<string, unknown>,
    output: JSON.parse(r.output) as Record<string, unknown>,
    decision: r.decision === null ? undefined : (JSON.parse(r.decision) as ApprovalDecision),
  };
}
