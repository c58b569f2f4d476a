import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../core/index.js';
import type { Task, TaskLogLine } from '../model.js';
import { createRuntimeTestEnv, eventsOf, fixtureSpec, httpGet, taskEventTypes, waitFor, type RuntimeTestEnv } from '../test-fixtures/harness.js';
import { createSupervisor, type Supervisor, type SupervisorOptions } from './supervisor.js';

describe('Supervisor', () => {
  let env: RuntimeTestEnv;
  let sup: Supervisor | undefined;

  beforeEach(() => {
    env = createRuntimeTestEnv();
  });
  afterEach(async () => {
    await sup?.close({ stopTasks: false });
    sup = undefined;
    env.cleanup();
  });

  const make = (options: Partial<SupervisorOptions> = {}) => {
    sup = createSupervisor({ db: env.db, events: env.events, dataDir: env.dir, tickIntervalMs: 40, backoff: { initialMs: 200 }, ...options });
    return sup;
  };

  it('starts N healthy tasks with their own ports and labels, never twice, and scales in gracefully', async () => {
    const healthy: Task[] = [];
    const lines: TaskLogLine[] = [];
    const s = make({ onTaskHealthy: (t) => void healthy.push(t), onLogLine: (l) => void lines.push(l) });
    const spec = fixtureSpec('healthy-server', { desiredCount: 3, env: { EXTRA: 'x1' } });
    // GIVEN a set of 3 WHEN it is applied twice at once
    await Promise.all([s.applyTaskSet(spec), s.applyTaskSet(spec)]);
    // THEN 3 tasks start, each in its own group, and all become Healthy
    const tasks = s.listTasks();
    expect(tasks).toHaveLength(3);
    await waitFor('3 healthy tasks', () => s.healthyTasks('staging', 'api', 'r1').length === 3);
    expect(new Set(tasks.map((t) => t.port)).size).toBe(3);
    expect(tasks.every((t) => t.pid !== null && t.pgid === t.pid && t.restarts === 0)).toBe(true);
    expect(healthy.map((t) => t.id).sort()).toEqual(tasks.map((t) => t.id).sort());
    for (const t of tasks) {
      expect(taskEventTypes(env.events, t.id)).toEqual(['task.started', 'task.health.changed']);
      const [started, changed] = env.events.list({ subject: `task/${t.id}` });
      expect(started?.data).toEqual({ taskId: t.id, environment: 'staging', service: 'api', revision: 'r1', pid: t.pid, port: t.port, restarts: 0 });
      expect(changed?.data).toMatchObject({ taskId: t.id, from: 'Starting', to: 'Healthy', successes: 1 });
      expect(await httpGet(t.port, '/')).toBe(`ok ${t.id}\n`);
    }
    // AND applying again changes nothing
    await s.applyTaskSet(spec);
    expect(eventsOf(env.events, 'task.started')).toHaveLength(3);
    expect(s.getTaskSet({ environment: 'staging', service: 'api', revision: 'r1' })).toMatchObject({ desiredCount: 3, runningCount: 3, healthyCount: 3 });

    // AND each task's stdout and stderr lines arrive with their labels
    const first = tasks[0]!;
    const expected = `listening on ${first.port} task=${first.id} env=staging service=api revision=r1 extra=x1`;
    await waitFor('log lines', () => s.tailLogs({ taskId: first.id }).length >= 2);
    expect(s.tailLogs({ taskId: first.id }).map((l) => [l.stream, l.line]).sort()).toEqual([['stderr', 'ready on stderr'], ['stdout', expected]]);
    expect(lines.find((l) => l.line === expected)).toMatchObject({ taskId: first.id, environment: 'staging', service: 'api', revision: 'r1', stream: 'stdout' });

    // WHEN the set is scaled to 1 THEN the two youngest stop gracefully
    await s.scaleTaskSet({ environment: 'staging', service: 'api', revision: 'r1' }, 1);
    await waitFor('two stopped', () => s.listTasks({ states: ['Stopped'] }).length === 2);
    const stopped = s.listTasks({ states: ['Stopped'] });
    for (const t of stopped) {
      expect(taskEventTypes(env.events, t.id)).toEqual(['task.started', 'task.health.changed', 'task.stop.requested', 'task.exited', 'task.stopped']);
      expect(eventsOf(env.events, 'task.stopped', t.id)[0]?.data).toMatchObject({ reason: 'scaled-in', state: 'Stopped', forced: false });
      expect(eventsOf(env.events, 'task.exited', t.id)[0]?.data).toMatchObject({ code: 0, signal: null, expected: true });
      expect(s.tailLogs({ taskId: t.id }).map((l) => l.line)).toContain('got SIGTERM');
      expect(isAlive(t.pid!)).toBe(false);
    }
    expect(s.listTasks({ states: ['Healthy'] }).map((t) => t.id)).toEqual([first.id]);

    // WHEN the supervisor closes with stopTasks THEN nothing is left running
    await s.close({ stopTasks: true });
    expect(s.listTasks().map((t) => t.state)).toEqual(['Stopped', 'Stopped', 'Stopped']);
    expect(tasks.some((t) => isAlive(t.pid!))).toBe(false);
  });

  it('gives each start the variables of startEnv, from the task\'s identity, without storing them', async () => {
    // GIVEN a supervisor that hands each task a per-service value at start (as the ingest key is)
    const seen: string[] = [];
    const s = make({ startEnv: (task, specEnv) => (seen.push(`${task.environment}/${task.service}/${specEnv.EXTRA ?? ''}`), { EXTRA: `secret-of-${task.service}` }) });
    // WHEN a task of a spec with its own EXTRA starts
    await s.applyTaskSet(fixtureSpec('healthy-server', { env: { EXTRA: 'from-spec' } }));
    const [task] = await waitFor('a healthy task', () => (s.healthyTasks('staging', 'api', 'r1').length === 1 ? s.healthyTasks('staging', 'api', 'r1') : undefined));
    // THEN the process got the start value over the spec's, and the stored spec never holds it
    await waitFor('its first line', () => s.tailLogs({ taskId: task!.id }).some((l) => l.line.startsWith('listening')));
    expect(s.tailLogs({ taskId: task!.id }).find((l) => l.line.startsWith('listening'))?.line).toMatch(/extra=secret-of-api$/);
    expect(seen).toEqual(['staging/api/from-spec']);
    const stored = env.db.prepare<[], { spec: string }>('SELECT spec FROM runtime_task_sets').all().map((r) => r.spec).join('\n');
    expect([stored.includes('from-spec'), stored.includes('secret-of-api')]).toEqual([true, false]);
  });

  it('gives a task the secrets its set pins, masks them in its lines and in its raw log file, and stores names and versions only', async () => {
    // GIVEN a store with two versions of EXTRA and a masker that blanks the exact value
    const values: Record<string, string> = { 'EXTRA@1': 'old-secret-value', 'EXTRA@2': 'new-secret-value' };
    const secrets = {
      resolve: (pins: Readonly<Record<string, number>>) =>
        Object.fromEntries(
          Object.entries(pins).map(([name, version]) => {
            const value = values[`${name}@${version}`];
            if (value === undefined) throw new Error(`secret ${name} version ${version} is not in the secret store`);
            return [name, value];
          }),
        ),
      redaction: (vs: readonly string[]) => ({ mask: (line: string) => vs.reduce((l, v) => l.split(v).join('***'), line), literals: vs }),
    };
    const s = make({ secrets });
    // WHEN a set pinned to EXTRA version 2 starts
    await s.applyTaskSet(fixtureSpec('healthy-server', { secrets: { EXTRA: 2 } }));
    const [task] = await waitFor('a healthy task', () => (s.healthyTasks('staging', 'api', 'r1').length === 1 ? s.healthyTasks('staging', 'api', 'r1') : undefined));
    // THEN the process saw version 2 (it prints it), and every copy of that line is masked
    await waitFor('its first line', () => s.tailLogs({ taskId: task!.id }).some((l) => l.line.startsWith('listening')));
    expect(s.tailLogs({ taskId: task!.id }).find((l) => l.line.startsWith('listening'))?.line).toMatch(/extra=\*\*\*$/);
    const raw = fs.readFileSync(path.join(env.dir, 'runtime', 'logs', `${task!.id}.stdout.log`), 'utf8');
    expect(raw).toMatch(/extra=\*{16}\n/);
    expect(raw).not.toContain('new-secret-value');
    // AND the stored spec holds the name and version, never the value
    const stored = env.db.prepare<[], { spec: string }>('SELECT spec FROM runtime_task_sets').all().map((r) => r.spec).join('\n');
    expect(stored).toContain('"secrets":{"EXTRA":2}');
    expect(stored).not.toContain('secret-value');
  });

  it('fails the start of a task whose pinned secret is gone, naming it', async () => {
    // GIVEN a store without version 3 WHEN a set pinned to it is applied THEN the start fails with the name and version
    const s = make({ secrets: { resolve: (pins) => { throw new Error(`secret ${Object.keys(pins).join(', ')} version 3 is not in the secret store`); }, redaction: () => ({ mask: (l) => l, literals: [] }) } });
    await s.applyTaskSet(fixtureSpec('healthy-server', { secrets: { EXTRA: 3 } }));
    const [failed] = await waitFor('a failed start', () => (eventsOf(env.events, 'task.start.failed').length > 0 ? eventsOf(env.events, 'task.start.failed') : undefined));
    expect(failed?.data).toMatchObject({ error: 'secret EXTRA version 3 is not in the secret store' });
    expect(s.listTasks({ states: ['Healthy', 'Starting'] })).toEqual([]);
  });

  it('retires one particular task without starting a replacement (rolling replacement)', async () => {
    const s = make();
    const key = { environment: 'staging', service: 'api', revision: 'r1' };
    await s.applyTaskSet(fixtureSpec('healthy-server', { desiredCount: 2 }));
    await waitFor('2 healthy', () => s.healthyTasks('staging', 'api', 'r1').length === 2);
    // GIVEN two healthy tasks, scaled out to three so a replacement runs
    const [oldest] = s.listTasks();
    await s.scaleTaskSet(key, 3);
    await waitFor('3 healthy', () => s.healthyTasks('staging', 'api', 'r1').length === 3);
    // WHEN the oldest is retired
    await s.retireTask(oldest!.id);
    // THEN it stopped as replaced, the set wants 2 again, and no fourth task started
    expect(s.getTask(oldest!.id)).toMatchObject({ state: 'Stopped', reason: 'replaced' });
    expect(s.getTaskSet(key)).toMatchObject({ desiredCount: 2, runningCount: 2 });
    expect(eventsOf(env.events, 'task.started')).toHaveLength(3);
    expect(s.healthyTasks('staging', 'api', 'r1').map((t) => t.id)).not.toContain(oldest!.id);
  });

  it('replaces a task killed with SIGKILL after the backoff and says so', async () => {
    const s = make();
    await s.applyTaskSet(fixtureSpec('healthy-server'));
    const [old] = await waitFor('healthy', () => s.healthyTasks('staging', 'api', 'r1').length === 1 && s.healthyTasks('staging', 'api', 'r1'));
    // WHEN the task is killed from outside
    process.kill(old!.pid!, 'SIGKILL');
    // THEN it is Failed with the signal, and a replacement becomes Healthy
    const [fresh] = await waitFor('replacement', () => {
      const h = s.healthyTasks('staging', 'api', 'r1');
      return h.length === 1 && h[0]!.id !== old!.id && h;
    });
    expect(s.getTask(old!.id)).toMatchObject({ state: 'Failed', reason: 'exited', exitCode: null, exitSignal: 'SIGKILL', replacedBy: fresh!.id });
    expect(fresh!.restarts).toBe(1);
    expect(taskEventTypes(env.events, old!.id)).toEqual(['task.started', 'task.health.changed', 'task.exited', 'task.replaced']);
    const exited = eventsOf(env.events, 'task.exited', old!.id)[0]!;
    expect(exited.data).toMatchObject({ code: null, signal: 'SIGKILL', expected: false, previousState: 'Healthy', reason: 'exited', backoffMs: 200 });
    expect(eventsOf(env.events, 'task.replaced', old!.id)[0]?.data).toMatchObject({ replacementTaskId: fresh!.id, reason: 'exited', backoffMs: 200 });
    const started = eventsOf(env.events, 'task.started', fresh!.id)[0]!;
    expect(started.timeMs - exited.timeMs).toBeGreaterThanOrEqual(195);
  });

  it('backs off a crash loop 200, 400, 800 ms, capped, and keeps the failure on record', async () => {
    const s = make({ backoff: { initialMs: 200, maxMs: 800 } });
    await s.applyTaskSet(fixtureSpec('exit-immediately'));
    // GIVEN a command that exits at once WHEN it has failed four times
    const exits = await waitFor('4 exits', () => {
      const e = eventsOf(env.events, 'task.exited');
      return e.length >= 4 && e;
    });
    // THEN each failure pushed the next start out further, up to the cap
    expect(exits.slice(0, 4).map((e) => e.data.backoffMs)).toEqual([200, 400, 800, 800]);
    expect(exits[0]?.data).toMatchObject({ code: 3, signal: null, previousState: 'Starting', reason: 'exited-during-start', expected: false });
    const starts = eventsOf(env.events, 'task.started');
    for (let i = 0; i < 3; i++) {
      expect(starts[i + 1]!.timeMs - exits[i]!.timeMs).toBeGreaterThanOrEqual((exits[i]!.data.backoffMs as number) - 5);
    }
    expect(starts.slice(0, 4).map((e) => e.data.restarts)).toEqual([0, 1, 2, 3]);
    const firstId = starts[0]!.data.taskId as string;
    expect(s.tailLogs({ taskId: firstId })).toMatchObject([{ stream: 'stderr', line: 'fatal: missing configuration' }]);
    expect(s.getTaskSet({ environment: 'staging', service: 'api', revision: 'r1' }).failureStreak).toBeGreaterThanOrEqual(4);
    expect(eventsOf(env.events, 'task.health')).toEqual([]);
  });

  it('marks a task whose health check hangs Unhealthy after the timeout, stops it and replaces it', async () => {
    const s = make();
    const spec = fixtureSpec('hanging-health', { env: { HANG_AFTER: '1' }, health: { path: '/healthz', timeoutMs: 200, unhealthyThreshold: 2, intervalMs: 100, gracePeriodMs: 1000 } });
    await s.applyTaskSet(spec);
    const [first] = s.listTasks();
    // WHEN /healthz stops answering THEN two timed-out checks make the task Unhealthy and it is replaced
    await waitFor('stopped as unhealthy', () => s.getTask(first!.id).state === 'Failed', 10_000);
    await waitFor('replacement', () => s.getTask(first!.id).replacedBy !== null);
    // (the replacement waits for the backoff, the stop does not: their events may interleave either way)
    const types = taskEventTypes(env.events, first!.id);
    expect(types.slice(0, 4)).toEqual(['task.started', 'task.health.changed', 'task.health.changed', 'task.stop.requested']);
    expect(types.slice(4).sort()).toEqual(['task.exited', 'task.replaced', 'task.stopped']);
    const changes = eventsOf(env.events, 'task.health.changed', first!.id).map((e) => e.data);
    expect(changes[0]).toMatchObject({ from: 'Starting', to: 'Healthy' });
    expect(changes[1]).toMatchObject({ from: 'Healthy', to: 'Unhealthy', failures: 2, lastError: 'timed out after 200 ms', everHealthy: true, backoffMs: 200 });
    expect(eventsOf(env.events, 'task.stopped', first!.id)[0]?.data).toMatchObject({ reason: 'unhealthy', state: 'Failed' });
    expect(s.getTask(first!.id)).toMatchObject({ reason: 'unhealthy', lastHealthError: 'timed out after 200 ms' });
  });

  it('reports a service that never opens its port once the grace period is over', async () => {
    const s = make();
    await s.applyTaskSet(fixtureSpec('never-listens', { health: { path: '/healthz', gracePeriodMs: 400, unhealthyThreshold: 2, intervalMs: 100 } }));
    const [task] = s.listTasks();
    const change = await waitFor('unhealthy', () => eventsOf(env.events, 'task.health.changed', task!.id)[0]);
    // THEN the only health change is Starting → Unhealthy, after the grace period, with a clear message
    expect(change.data).toMatchObject({ from: 'Starting', to: 'Unhealthy', failures: 2, everHealthy: false, message: `never passed a health check on port ${task!.port}` });
    expect(String(change.data.lastError)).toContain('ECONNREFUSED');
    expect(change.timeMs - task!.startedAtMs).toBeGreaterThanOrEqual(400);
    await waitFor('failed', () => s.getTask(task!.id).state === 'Failed');
  });

  it('drains, then SIGKILLs a task that ignores SIGTERM after stopTimeoutMs, and says so', async () => {
    const seenAtHook: { state: string; alive: boolean }[] = [];
    const s = make({
      beforeTaskStop: async (t) => {
        seenAtHook.push({ state: t.state, alive: isAlive(t.pid!) });
      },
    });
    await s.applyTaskSet(fixtureSpec('ignores-sigterm', { drainMs: 200, stopTimeoutMs: 500 }));
    const [task] = await waitFor('healthy', () => s.healthyTasks('staging', 'api', 'r1').length === 1 && s.healthyTasks('staging', 'api', 'r1'));
    // WHEN the set is stopped
    await s.stopTaskSet('staging', 'api', 'r1');
    // THEN the hook ran first, then drain, SIGTERM (ignored), SIGKILL after 500 ms
    expect(seenAtHook).toEqual([{ state: 'Stopping', alive: true }]);
    expect(taskEventTypes(env.events, task!.id)).toEqual(['task.started', 'task.health.changed', 'task.stop.requested', 'task.killed', 'task.exited', 'task.stopped']);
    const requested = eventsOf(env.events, 'task.stop.requested', task!.id)[0]!;
    const killed = eventsOf(env.events, 'task.killed', task!.id)[0]!;
    expect(killed.data).toMatchObject({ signal: 'SIGKILL', stopTimeoutMs: 500, message: 'did not exit within 500 ms of SIGTERM' });
    expect(killed.timeMs - requested.timeMs).toBeGreaterThanOrEqual(700);
    expect(eventsOf(env.events, 'task.exited', task!.id)[0]?.data).toMatchObject({ signal: 'SIGKILL', expected: true });
    expect(eventsOf(env.events, 'task.stopped', task!.id)[0]?.data).toMatchObject({ reason: 'task-set-stopped', state: 'Stopped', forced: true });
    expect(s.tailLogs({ taskId: task!.id }).map((l) => l.line)).toEqual(['up', 'ignoring SIGTERM']);
    expect(s.getTask(task!.id).state).toBe('Stopped');
    expect(isAlive(task!.pid!)).toBe(false);
    expect(s.listTaskSets()).toEqual([]);
  });

  it('stores binary garbage, long and unterminated lines as safe text', async () => {
    const s = make();
    await s.applyTaskSet(fixtureSpec('binary-garbage'));
    const [task] = s.listTasks();
    await waitFor('the last terminated line', () => s.tailLogs({ taskId: task!.id }).some((l) => l.line === 'windows line'));
    await s.stopTaskSet('staging', 'api', 'r1');
    expect(s.tailLogs({ taskId: task!.id }).map((l) => l.line)).toEqual([
      'foo\uFFFD\uFFFD\uFFFD\uFFFDbar',
      'x'.repeat(16_384),
      'x'.repeat(16_384),
      'x'.repeat(40_000 - 2 * 16_384),
      'windows line',
      'no newline at the end',
    ]);
  });

  it('refuses an invalid spec with every problem and its path', async () => {
    const s = make();
    const good = fixtureSpec('healthy-server');
    // GIVEN a spec with wrong values, and one missing what the app model fills in (the runtime defaults nothing)
    const { drainMs: _drain, ...withoutDrain } = good;
    // WHEN it is applied THEN it is refused with each problem at its path
    await expect(s.applyTaskSet({ ...good, desiredCount: -1, health: { ...good.health, path: 'healthz' } })).rejects.toMatchObject({
      code: 'SLW_ERR_RUNTIME_SPEC_INVALID',
      issues: [
        { path: 'desiredCount', message: 'must be an integer >= 0 (got -1)' },
        { path: 'health.path', message: 'must start with "/" (got "healthz")' },
      ],
    });
    await expect(s.applyTaskSet(withoutDrain as typeof good)).rejects.toMatchObject({ code: 'SLW_ERR_RUNTIME_SPEC_INVALID', issues: [{ path: 'drainMs', message: 'must be an integer >= 0 (got undefined)' }] });
    await expect(s.applyTaskSet({ ...good, scaling: { min: 3, max: 2, scaleInCooldownMs: 0, scaleOutCooldownMs: 0 } })).rejects.toMatchObject({
      issues: [
        { path: 'scaling.max', message: 'must be >= min (3) (got 2)' },
        { path: 'scaling', message: 'needs targetCpuPercent, targetRequestsPerTask, targets, schedules or scaledByAlarms' },
      ],
    });
    expect(s.listTaskSets()).toEqual([]);
    expect(() => s.getTask('nope')).toThrow('no task "nope"');
  });
});
