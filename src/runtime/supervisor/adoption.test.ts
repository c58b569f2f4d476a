import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAlive } from '../../core/index.js';
import type { TaskLogLine } from '../model.js';
import { createRuntimeTestEnv, eventsOf, fixtureSpec, httpGet, taskEventTypes, waitFor, type RuntimeTestEnv } from '../test-fixtures/harness.js';
import { createSupervisor, type Supervisor } from './supervisor.js';

describe('Supervisor adoption after a control-plane crash', () => {
  let env: RuntimeTestEnv;
  const sups: Supervisor[] = [];

  beforeEach(() => {
    env = createRuntimeTestEnv();
  });
  afterEach(async () => {
    for (const s of sups.splice(0)) await s.close({ stopTasks: false });
    env.cleanup();
  });

  const make = (onLogLine?: (l: TaskLogLine) => void) => {
    const s = createSupervisor({ db: env.db, events: env.events, dataDir: env.dir, tickIntervalMs: 40, backoff: { initialMs: 100 }, ...(onLogLine ? { onLogLine } : {}) });
    sups.push(s);
    return s;
  };

  it('re-attaches to running tasks without starting duplicates, and resumes health checks and log tailing', async () => {
    // GIVEN supervisor A running 2 healthy tasks
    const a = make();
    await a.applyTaskSet(fixtureSpec('healthy-server', { desiredCount: 2 }));
    await waitFor('2 healthy', () => a.healthyTasks('staging', 'api', 'r1').length === 2);
    const before = a.listTasks();
    await waitFor('startup lines stored', () => before.every((t) => a.tailLogs({ taskId: t.id }).length === 2));
    // WHEN A crashes (timers and database handle gone, tasks left running)
    await a.close({ stopTasks: false });
    env.reopen();
    // AND a task writes while no control plane is watching
    await httpGet(before[0]!.port, '/say?line=written-while-down');
    // AND supervisor B starts over the same database and data directory
    const lines: TaskLogLine[] = [];
    const b = make((l) => void lines.push(l));
    const summary = await b.adopt();
    // THEN B adopts the same pids and starts nothing
    expect(summary.adopted.map((t) => [t.id, t.pid]).sort()).toEqual(before.map((t) => [t.id, t.pid]).sort());
    expect(summary.dead).toEqual([]);
    await b.applyTaskSet(fixtureSpec('healthy-server', { desiredCount: 2 }));
    expect(eventsOf(env.events, 'task.started')).toHaveLength(2);
    expect(eventsOf(env.events, 'task.adopted').map((e) => e.data.pid).sort()).toEqual(before.map((t) => t.pid).sort());
    // AND the line written while down arrives, once, and so do new ones
    await waitFor('line written while down', () => lines.some((l) => l.line === 'written-while-down'));
    await httpGet(before[1]!.port, '/say?line=after-adoption');
    await waitFor('line after adoption', () => lines.some((l) => l.line === 'after-adoption' && l.taskId === before[1]!.id));
    expect(b.tailLogs({ taskId: before[0]!.id }).map((l) => l.line).filter((l) => l === 'written-while-down')).toHaveLength(1);
    expect(lines.filter((l) => l.line.startsWith('listening on'))).toEqual([]);
    // AND health checks resumed: an adopted task killed from outside is noticed and replaced
    process.kill(before[0]!.pid!, 'SIGKILL');
    await waitFor('replacement', () => b.getTask(before[0]!.id).replacedBy !== null);
    expect(b.getTask(before[0]!.id)).toMatchObject({ state: 'Failed', reason: 'exited', exitCode: null });
    expect(eventsOf(env.events, 'task.exited', before[0]!.id)[0]?.data).toMatchObject({ exitStatusKnown: false, expected: false, previousState: 'Healthy' });
    await waitFor('2 healthy again', () => b.healthyTasks('staging', 'api', 'r1').length === 2);
    // AND a graceful stop of adopted tasks works
    await b.close({ stopTasks: true });
    expect(before.some((t) => isAlive(t.pid!))).toBe(false);
    expect(taskEventTypes(env.events, before[1]!.id)).toEqual(['task.started', 'task.health.changed', 'task.adopted', 'task.stop.requested', 'task.exited', 'task.stopped']);
  });

  it('marks tasks that died while the control plane was down as exited and replaces them', async () => {
    const a = make();
    await a.applyTaskSet(fixtureSpec('healthy-server', { desiredCount: 1 }));
    const [task] = await waitFor('healthy', () => a.healthyTasks('staging', 'api', 'r1').length === 1 && a.healthyTasks('staging', 'api', 'r1'));
    await a.close({ stopTasks: false });
    env.reopen();
    // GIVEN the task dies while nobody supervises it
    process.kill(task!.pid!, 'SIGKILL');
    await waitFor('dead', () => !isAlive(task!.pid!));
    // WHEN B adopts
    const b = make();
    const summary = await b.adopt();
    // THEN the task is recorded as exited and a replacement comes up
    expect(summary.dead.map((t) => t.id)).toEqual([task!.id]);
    expect(summary.adopted).toEqual([]);
    expect(eventsOf(env.events, 'task.exited', task!.id)[0]?.data).toMatchObject({ exitStatusKnown: false, reason: 'dead-on-adoption', message: 'found dead on adoption', backoffMs: 100 });
    await waitFor('replacement healthy', () => b.healthyTasks('staging', 'api', 'r1').length === 1);
    expect(b.getTask(task!.id)).toMatchObject({ state: 'Failed', reason: 'dead-on-adoption' });
    expect(b.getTask(task!.id).replacedBy).toBe(b.healthyTasks('staging', 'api', 'r1')[0]!.id);
  });

  it('does not adopt a process that merely reuses a recorded pid', async () => {
    const a = make();
    await a.applyTaskSet(fixtureSpec('healthy-server', { desiredCount: 1 }));
    const [task] = await waitFor('healthy', () => a.healthyTasks('staging', 'api', 'r1').length === 1 && a.healthyTasks('staging', 'api', 'r1'));
    await a.close({ stopTasks: false });
    env.reopen();
    // GIVEN the database says the task is this test process (alive, but started at another time)
    env.db.prepare('UPDATE runtime_tasks SET pid = ?, pgid = ? WHERE id = ?').run(process.pid, task!.pid, task!.id);
    const b = make();
    const summary = await b.adopt();
    // THEN it is not adopted, and the test process is left alone
    expect(summary.adopted).toEqual([]);
    expect(summary.dead.map((t) => t.id)).toEqual([task!.id]);
    expect(isAlive(process.pid)).toBe(true);
  });
});
