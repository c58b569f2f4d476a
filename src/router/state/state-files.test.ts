import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../../../test/support/temp-dir.js';
import { createRouter, type Router } from '../router.js';
import { simpleTable } from '../testing.js';
import { parseRoutingTable } from '../table/parse-table.js';
import { appendWeights, loadTable, saveTable, stateFiles } from './state-files.js';

const twoGroups = (version: number) => simpleTable(version, [{ id: 'blue', weightPercent: 100, ports: [1] }, { id: 'green', weightPercent: 0, ports: [2] }]);
const weightsOf = (t: ReturnType<typeof loadTable>) => [t?.version, t?.services[0]?.targetGroups.map((g) => g.weightPercent)];

describe('router state files', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  function setup(persistDelayMs = 60_000): { dir: string; router: Router } {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const router = createRouter({ stateDir: tmp.path, persistDelayMs, drainTimeoutMs: 100 });
    cleanups.push(() => router.close());
    return { dir: tmp.path, router };
  }

  it('GIVEN a weight change answered WHEN the state is read before table.json is rewritten THEN it comes back from the journal', async () => {
    // GIVEN a router whose table.json is rewritten only long after a weight change
    const { dir, router } = setup();
    await router.applyTable(twoGroups(1));
    // WHEN two weight changes are answered
    await router.setWeights({ environment: 'prod', service: 'web', weights: { blue: 50, green: 50 } });
    await router.setWeights({ environment: 'prod', service: 'web', weights: { blue: 0, green: 100 } });
    // THEN table.json still holds version 1, the journal one line per change,
    const files = stateFiles(dir);
    expect(JSON.parse(fs.readFileSync(files.tableFile, 'utf8')).version).toBe(1);
    expect(fs.readFileSync(files.weightsJournal, 'utf8').trim().split('\n')).toHaveLength(2);
    // AND what a restarted router loads is the last answered state
    expect(weightsOf(loadTable(dir))).toEqual([3, [0, 100]]);
    expect(router.verifyWeights('prod', 'web')).toMatchObject({ version: 3, weights: { blue: 0, green: 100 } });
  });

  it('GIVEN journaled weights WHEN the router closes THEN table.json holds them and the journal is gone', async () => {
    const { dir, router } = setup();
    await router.applyTable(twoGroups(1));
    await router.setWeights({ environment: 'prod', service: 'web', weights: { blue: 25, green: 75 } });
    await router.close();
    expect(fs.existsSync(stateFiles(dir).weightsJournal)).toBe(false);
    expect(weightsOf(parseRoutingTable(JSON.parse(fs.readFileSync(stateFiles(dir).tableFile, 'utf8'))))).toEqual([2, [25, 75]]);
    expect(JSON.parse(fs.readFileSync(stateFiles(dir).infoFile, 'utf8')).tableVersion).toBe(2);
  });

  it('GIVEN journaled weights WHEN the persist delay passes THEN table.json is rewritten and the journal emptied', async () => {
    const { dir, router } = setup(0);
    await router.applyTable(twoGroups(1));
    await router.setWeights({ environment: 'prod', service: 'web', weights: { blue: 25, green: 75 } });
    expect(fs.existsSync(stateFiles(dir).weightsJournal)).toBe(true);
    await waitFor('the journal to be emptied', () => (fs.existsSync(stateFiles(dir).weightsJournal) ? undefined : true), 2000, 5);
    expect(JSON.parse(fs.readFileSync(stateFiles(dir).tableFile, 'utf8')).version).toBe(2);
  });

  it('GIVEN journaled weights WHEN a whole table is applied THEN table.json holds it and the journal is emptied', async () => {
    const { dir, router } = setup();
    await router.applyTable(twoGroups(1));
    await router.setWeights({ environment: 'prod', service: 'web', weights: { blue: 25, green: 75 } });
    await router.applyTable(twoGroups(3));
    expect(fs.existsSync(stateFiles(dir).weightsJournal)).toBe(false);
    expect(weightsOf(loadTable(dir))).toEqual([3, [100, 0]]);
  });

  it('GIVEN a journal with lines already in table.json and a last line cut short by a crash WHEN loaded THEN only the newer whole lines apply', () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    // GIVEN table.json at version 2, written after the change to version 2 was journaled
    saveTable(tmp.path, parseRoutingTable({ ...twoGroups(2), services: [{ ...twoGroups(2).services[0]!, targetGroups: twoGroups(2).services[0]!.targetGroups.map((g) => ({ ...g, weightPercent: 50 })) }] }));
    appendWeights(tmp.path, { version: 2, environment: 'prod', service: 'web', weights: { blue: 90, green: 10 } });
    appendWeights(tmp.path, { version: 3, environment: 'prod', service: 'web', weights: { blue: 10, green: 90 } });
    fs.appendFileSync(stateFiles(tmp.path).weightsJournal, '{"version":4,"environment":"prod","serv');
    // THEN version 3 is what comes back: the older line is skipped, the torn one never answered
    expect(weightsOf(loadTable(tmp.path))).toEqual([3, [10, 90]]);
  });
});
