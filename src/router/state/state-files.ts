import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';
import { parseRoutingTable } from '../table/parse-table.js';
import type { RoutingTable } from '../table/schema.js';

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
export function stateFiles(stateDir: string): { readonly tableFile: string; readonly infoFile: string } {
  return { tableFile: path.join(stateDir, 'table.json'), infoFile: path.join(stateDir, 'router.json') };
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

/** The last applied table, or undefined when the router never had one. */
export function loadTable(stateDir: string): RoutingTable | undefined {
  const json = readJson(stateFiles(stateDir).tableFile);
  return json === undefined ? undefined : parseRoutingTable(json);
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
