import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../core/index.js';
import type { TaskLogLine } from '../model.js';
import { LogLineStore } from './log-line-store.js';
import { runtimeMigrations } from './migrations.js';

const line = (taskId: string, n: number, service = 'api'): TaskLogLine => ({ taskId, environment: 'prod', service, revision: 'r1', stream: n % 2 ? 'stderr' : 'stdout', line: `line ${n}`, timeMs: 1000 + n });

describe('LogLineStore', () => {
  let db: Db;
  let store: LogLineStore;
  beforeEach(() => {
    db = openDatabase(':memory:', { migrations: runtimeMigrations });
    store = new LogLineStore(db);
  });
  afterEach(() => db.close());

  it('keeps only the newest lines of each task and tails them oldest first', () => {
    // GIVEN a cap of 3 lines per task WHEN two tasks write 5 and 2 lines
    store.append([1, 2, 3, 4, 5].map((n) => line('a', n)), 3);
    store.append([1, 2].map((n) => line('b', n, 'web')), 3);
    // THEN a keeps its last 3, b both, each with its labels
    expect(store.tail({ taskId: 'a' }).map((l) => l.line)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(store.tail({ taskId: 'b' })).toEqual([line('b', 1, 'web'), line('b', 2, 'web')]);
    expect(store.tail({ service: 'web', limit: 1 }).map((l) => l.line)).toEqual(['line 2']);
    expect(store.tail().length).toBe(5);
    expect(db.prepare('SELECT COUNT(*) AS n FROM runtime_log_lines').get()).toEqual({ n: 5 });
  });
});
