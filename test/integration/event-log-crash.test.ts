import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventLog, eventMigrations, openDatabase, spawnProcess } from '../../src/core/index.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const writerScript = path.resolve(import.meta.dirname, '../fixtures/event-writer.mjs');

describe('event log under SIGKILL', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));
  beforeAll(() => {
    if (!fs.existsSync(path.resolve(import.meta.dirname, '../../dist/src/core/index.js'))) throw new Error('run `npm run build` first: the writer process uses dist/');
  });

  it('loses no acknowledged append and leaves no gap when two writers are killed mid-stream', { timeout: 150_000 }, async () => {
    // GIVEN two processes appending to one log concurrently, acknowledging each append on stdout
    const tmp = tempDir();
    dirs.push(tmp.cleanup);
    const file = path.join(tmp.path, 'slipway.db');
    openDatabase(file, { migrations: eventMigrations }).close();
    const writers = ['a', 'b'].map((name) => {
      const child = spawnProcess(process.execPath, [writerScript, file, name]);
      const acked: number[] = [];
      let partial = '';
      child.stdout?.on('data', (b: Buffer) => {
        const lines = (partial + b.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) acked.push(Number(l));
      });
      return { child, acked, exited: new Promise((r) => child.once('exit', r)) };
    });

    // WHEN each is killed with SIGKILL after it has acknowledged a few hundred appends
    await waitFor('both writers to acknowledge 300 appends', () => (writers.every((w) => w.acked.length >= 300) ? true : undefined), 60_000);
    writers[0]!.child.kill('SIGKILL');
    await writers[0]!.exited;
    await waitFor('writer b to go on alone', () => (writers[1]!.acked.length >= 600 ? true : undefined), 60_000);
    writers[1]!.child.kill('SIGKILL');
    await writers[1]!.exited;

    // THEN every acknowledged sequence number is in the log, and the log is 1..N without gaps
    const db = openDatabase(file, { migrations: eventMigrations });
    const log = new EventLog(db);
    const seqs: number[] = [];
    for (let after = 0; ; ) {
      const page = log.list({ afterSeq: after, limit: 10_000 });
      if (page.length === 0) break;
      seqs.push(...page.map((e) => e.seq));
      after = page.at(-1)!.seq;
    }
    db.close();
    const acked = [...writers[0]!.acked, ...writers[1]!.acked];
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const stored = new Set(seqs);
    expect(acked.filter((s) => !stored.has(s))).toEqual([]);
    expect(new Set(acked).size).toBe(acked.length);
    console.log(`event log crash test: ${acked.length} acknowledged appends, ${seqs.length} stored, 0 lost, 0 gaps`);
  });
});
