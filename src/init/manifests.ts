import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../shared/index.js';

/** The parts of a package.json `slipway init` reads. */
export interface PackageManifest {
  readonly dir: string;
  readonly name?: string;
  readonly scripts: Readonly<Record<string, string>>;
  readonly workspaces: readonly string[];
}

/** npm's placeholder test script: `npm test` with it fails, so it counts as no test. */
const NPM_PLACEHOLDER_TEST = /no test specified/;

/** Reads `<dir>/package.json`; undefined when there is none. A file that is not JSON is an error naming it. */
export function readPackage(dir: string): PackageManifest | undefined {
  const file = path.join(dir, 'package.json');
  if (!fs.existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError('SLW_ERR_INIT_MANIFEST_INVALID', `${file}: not valid JSON (${(err as Error).message})`);
  }
  const o = (json ?? {}) as { name?: unknown; scripts?: unknown; workspaces?: unknown };
  const scripts: Record<string, string> = {};
  if (o.scripts && typeof o.scripts === 'object') {
    for (const [k, v] of Object.entries(o.scripts)) if (typeof v === 'string') scripts[k] = v;
  }
  const ws = Array.isArray(o.workspaces) ? o.workspaces : o.workspaces && typeof o.workspaces === 'object' ? (o.workspaces as { packages?: unknown }).packages : undefined;
  return { dir, ...(typeof o.name === 'string' ? { name: o.name } : {}), scripts, workspaces: Array.isArray(ws) ? ws.filter((w): w is string => typeof w === 'string') : [] };
}

/** The test script of a package, unless it is npm's placeholder. */
export function testScript(pkg: PackageManifest): string | undefined {
  const t = pkg.scripts.test;
  return t === undefined || NPM_PLACEHOLDER_TEST.test(t) ? undefined : t;
}

/** The folders (absolute) a root package's `workspaces` patterns name that hold a package.json. */
export function workspaceDirs(root: string, patterns: readonly string[]): string[] {
  const dirs = globSync(patterns.map((p) => p.replace(/\/+$/, '')), { cwd: root, onlyDirectories: true, absolute: true, ignore: ['**/node_modules/**'] });
  return [...new Set(dirs.map((d) => d.replace(/\/+$/, '')))].filter((d) => fs.existsSync(path.join(d, 'package.json'))).sort();
}

/** One process type of a Procfile. */
export interface ProcfileEntry {
  readonly type: string;
  readonly command: string;
}

/** Parses a Procfile (`type: command` per line; `#` comments). */
export function parseProcfile(text: string): ProcfileEntry[] {
  const out: ProcfileEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z0-9_-]+):\s*(.+?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith('#')) out.push({ type: m[1]!, command: m[2]! });
  }
  return out;
}

/** What a Dockerfile says about running its image. */
export interface DockerfileFacts {
  /** CMD (after ENTRYPOINT, if any) as a shell command. */
  readonly command?: string;
  readonly exposed: readonly number[];
  /** `ENV` values, last wins. */
  readonly env: Readonly<Record<string, string>>;
}

/** Reads CMD/ENTRYPOINT, EXPOSE and ENV of the Dockerfile's last stage. */
export function parseDockerfile(text: string): DockerfileFacts {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  let entrypoint: string | undefined;
  let cmd: string | undefined;
  let exposed: number[] = [];
  let env: Record<string, string> = {};
  for (const line of lines) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, instr, rest] = [m[0], m[1]!.toUpperCase(), m[2]!];
    if (instr === 'FROM') {
      entrypoint = cmd = undefined;
      exposed = [];
      env = {};
    } else if (instr === 'CMD') cmd = shellForm(rest);
    else if (instr === 'ENTRYPOINT') entrypoint = shellForm(rest);
    else if (instr === 'EXPOSE') exposed.push(...rest.split(/\s+/).map((p) => Number.parseInt(p, 10)).filter((p) => Number.isInteger(p) && p > 0));
    else if (instr === 'ENV') Object.assign(env, parseEnvInstruction(rest));
  }
  const command = [entrypoint, cmd].filter((x) => x !== undefined).join(' ') || undefined;
  return { ...(command === undefined ? {} : { command }), exposed, env };
}

/** `ENV A=1 B="two words"` (several pairs) or the legacy `ENV A one value`. */
function parseEnvInstruction(rest: string): Record<string, string> {
  const out: Record<string, string> = {};
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=]*)$/.exec(rest);
  if (legacy) {
    out[legacy[1]!] = legacy[2]!.trim();
    return out;
  }
  for (const m of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
    const v = m[2]!;
    out[m[1]!] = /^["']/.test(v) ? v.slice(1, -1) : v;
  }
  return out;
}

/** `["node", "server.js"]` → `node server.js`; a shell form is kept as it is. */
function shellForm(arg: string): string {
  if (!arg.startsWith('[')) return arg;
  try {
    const parts = JSON.parse(arg) as unknown;
    if (Array.isArray(parts)) return parts.map((p) => (/^[\w./:=@%+-]+$/.test(String(p)) ? String(p) : `'${String(p).replace(/'/g, `'\\''`)}'`)).join(' ');
  } catch {
    // not JSON: Docker runs it as a shell command too
  }
  return arg;
}

/** The compose file names Docker Compose looks for, in its order. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

/** One service of a compose file, as far as `init` needs it. */
export interface ComposeService {
  readonly name: string;
  /** The build context relative to the compose file, when the service is built. */
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly image?: string;
  readonly command?: string;
  /** Container ports it publishes or exposes. */
  readonly ports: readonly number[];
  readonly environment: Readonly<Record<string, string>>;
  readonly dependsOn: readonly string[];
  /** The path of an HTTP URL in its healthcheck test, if any. */
  readonly healthPath?: string;
}

/** Parses a compose file; an unreadable one is an error naming the file and what is wrong. */
export function parseCompose(file: string, text: string): ComposeService[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InputError('SLW_ERR_INIT_MANIFEST_INVALID', `${file}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const services = (doc as { services?: unknown } | null)?.services;
  if (!services || typeof services !== 'object') throw new InputError('SLW_ERR_INIT_MANIFEST_INVALID', `${file}: expected a top-level "services" mapping`);
  return Object.entries(services as Record<string, Record<string, unknown> | null>).map(([name, raw]) => {
    const s = raw ?? {};
    const b = s.build;
    const build = typeof b === 'string' ? { context: b, dockerfile: 'Dockerfile' } : b && typeof b === 'object' ? { context: String((b as { context?: unknown }).context ?? '.'), dockerfile: String((b as { dockerfile?: unknown }).dockerfile ?? 'Dockerfile') } : undefined;
    const command = Array.isArray(s.command) ? s.command.map(String).join(' ') : typeof s.command === 'string' ? s.command : undefined;
    const health = s.healthcheck as { test?: unknown } | undefined;
    const test = Array.isArray(health?.test) ? health.test.map(String).join(' ') : typeof health?.test === 'string' ? health.test : '';
    const healthUrl = /https?:\/\/[^/\s'"]+(\/[^\s'"]*)/.exec(test);
    return {
      name,
      ...(build ? { build } : {}),
      ...(typeof s.image === 'string' ? { image: s.image } : {}),
      ...(command === undefined ? {} : { command }),
      ports: [...toList(s.ports).map(containerPort), ...toList(s.expose).map((p) => Number.parseInt(p, 10))].filter((p) => Number.isInteger(p) && p > 0),
      environment: toEnv(s.environment),
      dependsOn: Array.isArray(s.depends_on) ? s.depends_on.map(String) : s.depends_on && typeof s.depends_on === 'object' ? Object.keys(s.depends_on) : [],
      ...(healthUrl ? { healthPath: healthUrl[1]! } : {}),
    };
  });
}

function toList(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((p) => (p && typeof p === 'object' ? String((p as { target?: unknown }).target ?? '') : String(p)));
}

/** `"8080:3000"`, `"127.0.0.1:8080:3000/tcp"`, `"3000"` → 3000 (the container side). */
function containerPort(spec: string): number {
  const last = spec.split(':').at(-1)!.split('/')[0]!;
  return Number.parseInt(last.split('-')[0]!, 10);
}

function toEnv(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v.map(String)) {
      const i = item.indexOf('=');
      if (i > 0) out[item.slice(0, i)] = item.slice(i + 1);
    }
  } else if (v && typeof v === 'object') {
    for (const [k, val] of Object.entries(v)) if (val !== null && val !== undefined) out[k] = String(val);
  }
  return out;
}
