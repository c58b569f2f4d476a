import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../core/index.js';
import { runMigrations } from '../engine/migrations.js';
import { claimHead, forgetHead, recordedHead, wasBuilt } from './source-heads.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const MAIN = 'refs/heads/main';

let db: Db | undefined;
afterEach(() => db?.close());
const fresh = () => (db = openDatabase(':memory:', { migrations: runMigrations }));

describe('claimHead', () => {
  it('moves the head by compare-and-set and records each commit once per ref', () => {
    const d = fresh();
    // GIVEN no head WHEN A is claimed THEN it is the head and built
    expect(claimHead(d, { ref: MAIN, sha: A, expectedHead: undefined, nowMs: 1 })).toBe(true);
    expect([recordedHead(d, MAIN), wasBuilt(d, MAIN, A)]).toEqual([A, true]);
    // WHEN a claim expects no head, or a head that is not the recorded one THEN nothing changes
    expect(claimHead(d, { ref: MAIN, sha: B, expectedHead: undefined, nowMs: 2 })).toBe(false);
    expect(claimHead(d, { ref: MAIN, sha: B, expectedHead: C, nowMs: 2 })).toBe(false);
    expect([recordedHead(d, MAIN), wasBuilt(d, MAIN, B)]).toEqual([A, false]);
    // WHEN B is claimed from A THEN it moves
    expect(claimHead(d, { ref: MAIN, sha: B, expectedHead: A, nowMs: 3 })).toBe(true);
    // AND A, built before, cannot be claimed again from B, for this ref
    expect(claimHead(d, { ref: MAIN, sha: A, expectedHead: B, nowMs: 4 })).toBe(false);
    expect(recordedHead(d, MAIN)).toBe(B);
    // BUT another ref may build A
    expect(claimHead(d, { ref: 'refs/heads/release/1', sha: A, expectedHead: undefined, nowMs: 5 })).toBe(true);
  });

  it('keeps built commits when a deleted ref is forgotten, and forgets only the named head', () => {
    const d = fresh();
    claimHead(d, { ref: MAIN, sha: A, expectedHead: undefined, nowMs: 1 });
    // GIVEN head A WHEN a deletion names another head THEN nothing is forgotten
    expect(forgetHead(d, MAIN, B)).toBe(false);
    expect(recordedHead(d, MAIN)).toBe(A);
    // WHEN it names A THEN the head goes, the built commit stays
    expect(forgetHead(d, MAIN, A)).toBe(true);
    expect([recordedHead(d, MAIN), wasBuilt(d, MAIN, A)]).toEqual([undefined, true]);
    expect(claimHead(d, { ref: MAIN, sha: A, expectedHead: undefined, nowMs: 2 })).toBe(false);
  });

  it('an upgraded database counts the commits earlier runs and heads recorded as built', () => {
    // GIVEN a database with the runs tables only, a webhook run of A, a manual run of B, and head C
    const d = (db = openDatabase(':memory:', { migrations: runMigrations.slice(0, 1) }));
    const insert = d.prepare("INSERT INTO pipeline_runs (status, trigger, ref, commit_sha, plan, created_ms) VALUES ('Succeeded', ?, ?, ?, '[]', 1)");
    insert.run('webhook', MAIN, A);
    insert.run('manual', MAIN, B);
    d.prepare('INSERT INTO pipeline_source_heads (ref, sha, updated_ms) VALUES (?, ?, 1)').run(MAIN, C);
    // WHEN the new migration runs
    migrate(d, runMigrations);
    // THEN the webhook run's commit and the recorded head are built for main; the manual run's is not
    expect([wasBuilt(d, MAIN, A), wasBuilt(d, MAIN, B), wasBuilt(d, MAIN, C)]).toEqual([true, false, true]);
  });
});
