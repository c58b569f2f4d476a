import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';
import { parseRoutingTable } from '../table/parse-table.js';
import type { RoutingTable } from '../table/schema.js';
import { withWeights, type SetWeightsRequest } from '../table/weights.js';

/** What a running router writes to `router.json` in its state directory so a control plane can find and adopt it. */
export interface RouterInfo {
  readonly pid: number;
  readonly adminHost: string;
  readonly adminPort: number;
  /** `http://host:port` of the admin API. */
  readonly adminUrl: string;
  readonly startedAtMs: number;
  /** Version of the table being served; -1 when none yet. */
  readonly tableVersion: number;
  /** The ports actually open, by listener id. */
  readonly listeners: readonly { readonly id: string; readonly port: number }[];
}

/** Paths under a router state directory. */
export function stateFiles(stateDir: string): { readonly tableFile: string; readonly infoFile: string; readonly weightsJournal: string } {
  return { tableFile: path.join(stateDir, 'table.json'), infoFile: path.join(stateDir, 'router.json'), weightsJournal: path.join(stateDir, 'weights.jsonl') };
}

/** One line of the weights journal: a weight-only change acknowledged after `table.json` was last written. */
export interface WeightsJournalEntry extends SetWeightsRequest {
  /** The table version this change made. */
  readonly version: number;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SlipwayError('SLW_ERR_ROUTER_STATE', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new SlipwayError('SLW_ERR_ROUTER_STATE', `${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The last applied table, or undefined when the router never had one: `table.json`
 * with the weights journal's newer changes applied in order. A last line without
 * its newline was being written when the process died, so it was never
 * acknowledged: it and anything unreadable after it are ignored.
 */
export function loadTable(stateDir: string): RoutingTable | undefined {
  const json = readJson(stateFiles(stateDir).tableFile);
  if (json === undefined) return undefined;
  let table = parseRoutingTable(json);
  for (const entry of readWeightsJournal(stateDir)) {
    if (entry.version <= table.version) continue;
    table = { ...withWeights(table, entry), version: entry.version };
  }
  return table;
}

function readWeightsJournal(stateDir: string): WeightsJournalEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(stateFiles(stateDir).weightsJournal, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SlipwayError('SLW_ERR_ROUTER_STATE', `cannot read ${stateFiles(stateDir).weightsJournal}: ${(err as Error).message}`, { cause: err });
  }
  const lines = text.split('\n');
  lines.pop(); // after the last newline: empty, or a line cut short by a crash
  const entries: WeightsJournalEntry[] = [];
  for (const line of lines) {
    try {
      entries.push(JSON.parse(line) as WeightsJournalEntry);
    } catch {
      break;
    }
  }
  return entries;
}

/**
 * Records a weight-only change before the router answers it: one appended line
 * (one `write`, no rename), so the change survives the process even though
 * `table.json` is rewritten only later ({@link saveTable} then
 * {@link clearWeightsJournal}).
 */
export function appendWeights(stateDir: string, entry: WeightsJournalEntry): void {
  const line = `${JSON.stringify({ version: entry.version, environment: entry.environment, service: entry.service, weights: entry.weights })}\n`;
  fs.appendFileSync(stateFiles(stateDir).weightsJournal, line, { mode: 0o600 });
}

/** Empties the weights journal once `table.json` holds every change in it. */
export function clearWeightsJournal(stateDir: string): void {
  fs.rmSync(stateFiles(stateDir).weightsJournal, { force: true });
}

/** Persists the applied table (atomic rename, so a crash never leaves half a file). */
export function saveTable(stateDir: string, table: RoutingTable): void {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(stateFiles(stateDir).tableFile, `${JSON.stringify(table, null, 2)}\n`);
}

/** Reads `router.json`, or undefined when absent. */
export function readRouterInfo(stateDir: string): RouterInfo | undefined {
  return readJson(stateFiles(stateDir).infoFile) as RouterInfo | undefined;
}

/** Writes `router.json` atomically. */
export function writeRouterInfo(stateDir: string, info: RouterInfo): void {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(stateFiles(stateDir).infoFile, `${JSON.stringify(info, null, 2)}\n`);
}
