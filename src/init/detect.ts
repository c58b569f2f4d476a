import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../shared/index.js';
import { COMPOSE_FILES, parseCompose, parseDockerfile, parseProcfile, readPackage, testScript, workspaceDirs, type ComposeService, type PackageManifest } from './manifests.js';
import type { Detection, DetectedService, ExternalService, ServiceSource } from './model.js';
import { scanSource } from './source-scan.js';

/** Lowercase DNS-safe name from a package or compose name (`@acme/Web_API` → `web-api`). */
export function serviceName(raw: string): string {
  const base = raw.replace(/^@[^/]+\//, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  if (base === '') return 'app';
  return /^[a-z]/.test(base) ? base : `s-${base}`.slice(0, 63);
}

/** The start command of a package: its `start` script itself when it runs node, else `npm start`. */
function startOf(pkg: PackageManifest): string | undefined {
  const script = pkg.scripts.start;
  if (script === undefined) return undefined;
  return /^node\s/.test(script.trim()) ? script.trim() : 'npm start';
}

interface Draft {
  name: string;
  dir: string;
  start: string;
  source: ServiceSource;
  env: Record<string, string>;
  dependsOn: string[];
  composePorts: readonly number[];
  composeHealth?: string;
  found: string[];
  guessed: string[];
}

/**
 * Looks at a repository as `slipway init` does: compose services with a `build:` (their command from
 * compose, the Dockerfile's CMD or package.json), a Procfile's `web` process, package.json `start`
 * scripts (workspaces too), a Dockerfile at the root. Each service's source is scanned for a read of
 * `PORT`, a fixed port and a health route. Image-only compose services are reported as external.
 * Throws `SLW_ERR_INIT_NOTHING_FOUND` when nothing can be run.
 */
export function detectServices(root: string): Detection {
  const rootDir = path.resolve(root);
  if (!fs.existsSync(rootDir) || !fs.statSync(rootDir).isDirectory()) throw new InputError('SLW_ERR_INIT_NOTHING_FOUND', `${rootDir} is not a directory`);
  const drafts: Draft[] = [];
  const skipped: string[] = [];
  const external: { name: string; image: string; referencedBy: string[] }[] = [];
  const taken = (dir: string) => drafts.some((d) => d.dir === dir);
  const uniqueName = (raw: string) => {
    const base = serviceName(raw);
    let name = base;
    for (let i = 2; drafts.some((d) => d.name === name); i += 1) name = `${base}-${i}`;
    return name;
  };
  const rootPkg = readPackage(rootDir);

  const composeFile = COMPOSE_FILES.map((f) => path.join(rootDir, f)).find((f) => fs.existsSync(f));
  const compose = composeFile ? parseCompose(path.basename(composeFile), fs.readFileSync(composeFile, 'utf8')) : [];
  const built = new Set(compose.filter((c) => c.build).map((c) => c.name));
  for (const c of compose) {
    if (!c.build) {
      external.push({ name: c.name, image: c.image ?? '(no image)', referencedBy: [] });
      continue;
    }
    const dir = path.resolve(rootDir, c.build.context);
    const draft = composeDraft(c, dir, path.basename(composeFile!));
    if (!draft) {
      skipped.push(`${c.name} (${path.basename(composeFile!)}): no command to start it — no "command:", no CMD in ${c.build.dockerfile}, no start script in package.json`);
      continue;
    }
    drafts.push({ ...draft, name: uniqueName(c.name) });
  }
  for (const d of drafts) {
    d.dependsOn = d.dependsOn.filter((n) => built.has(n)).map(serviceName);
    d.env = rewriteServiceUrls(d.env, built);
  }

  const procfile = path.join(rootDir, 'Procfile');
  if (fs.existsSync(procfile) && !taken(rootDir)) {
    for (const entry of parseProcfile(fs.readFileSync(procfile, 'utf8'))) {
      if (entry.type !== 'web') {
        skipped.push(`Procfile ${entry.type}: only "web" processes serve HTTP (they get PORT); slipway runs HTTP services — run "${entry.command}" yourself, or give it a port and a health route`);
        continue;
      }
      drafts.push(draft(uniqueName(rootPkg?.name ?? 'web'), rootDir, entry.command, 'Procfile', [`Procfile web: ${entry.command}`]));
    }
  }

  if (rootPkg && rootPkg.workspaces.length > 0) {
    for (const dir of workspaceDirs(rootDir, rootPkg.workspaces)) {
      const pkg = readPackage(dir)!;
      const start = startOf(pkg);
      const rel = path.relative(rootDir, dir);
      if (taken(dir)) continue;
      if (start === undefined) {
        skipped.push(`${rel}: a workspace without a start script (a library?)`);
        continue;
      }
      drafts.push(draft(uniqueName(pkg.name ?? path.basename(dir)), dir, start, 'package.json', [`${rel}/package.json start: ${pkg.scripts.start}`]));
    }
  } else if (rootPkg && !taken(rootDir)) {
    const start = startOf(rootPkg);
    if (start !== undefined) drafts.push(draft(uniqueName(rootPkg.name ?? path.basename(rootDir)), rootDir, start, 'package.json', [`package.json start: ${rootPkg.scripts.start}`]));
  }

  const dockerfile = path.join(rootDir, 'Dockerfile');
  if (drafts.length === 0 && fs.existsSync(dockerfile)) {
    const facts = parseDockerfile(fs.readFileSync(dockerfile, 'utf8'));
    if (facts.command) drafts.push({ ...draft(uniqueName(path.basename(rootDir)), rootDir, facts.command, 'Dockerfile', [`Dockerfile CMD: ${facts.command}`]), composePorts: facts.exposed });
  }

  if (drafts.length === 0) {
    const what = external.length > 0 ? ` (only images slipway cannot build or run as processes: ${external.map((e) => e.name).join(', ')})` : '';
    throw new InputError('SLW_ERR_INIT_NOTHING_FOUND', `found nothing to run in ${rootDir}${what}: expected a package.json with a "start" script, a Procfile with a web process, a compose file with built services, or a Dockerfile with a CMD`);
  }

  const serviceDirs = drafts.map((d) => d.dir);
  const services = drafts.map((d) => finish(d, rootDir, rootPkg, serviceDirs));
  for (const e of external) {
    for (const s of services) for (const [k, v] of Object.entries(s.env)) if (mentionsHost(v, e.name)) e.referencedBy.push(`${s.name}.${k}`);
  }
  return {
    services,
    external: external as ExternalService[],
    skipped,
    rootLockfile: hasLockfile(rootDir),
    workspaces: (rootPkg?.workspaces.length ?? 0) > 0,
  };
}

/** Whether npm would install from a lockfile in `dir` (`npm ci`). */
function hasLockfile(dir: string): boolean {
  return ['package-lock.json', 'npm-shrinkwrap.json'].some((f) => fs.existsSync(path.join(dir, f)));
}

function draft(name: string, dir: string, start: string, source: ServiceSource, found: string[]): Draft {
  return { name, dir, start, source, env: {}, dependsOn: [], composePorts: [], found, guessed: [] };
}

function composeDraft(c: ComposeService, dir: string, composeName: string): Omit<Draft, 'name'> | undefined {
  const found = [`${composeName} service ${c.name} (build ${c.build!.context})`];
  const dockerfile = path.join(dir, c.build!.dockerfile);
  const facts = fs.existsSync(dockerfile) ? parseDockerfile(fs.readFileSync(dockerfile, 'utf8')) : undefined;
  const pkg = readPackage(dir);
  const pkgStart = pkg ? startOf(pkg) : undefined;
  let start: string | undefined;
  if (c.command !== undefined) {
    start = c.command;
    found.push(`command: ${c.command}`);
  } else if (pkgStart !== undefined) {
    start = pkgStart;
    found.push(`package.json start: ${pkg!.scripts.start}`);
  } else if (facts?.command !== undefined) {
    start = facts.command;
    found.push(`${c.build!.dockerfile} CMD: ${facts.command}`);
  }
  if (start === undefined) return undefined;
  return {
    dir,
    start,
    source: 'compose',
    env: { ...(facts?.env ?? {}), ...c.environment },
    dependsOn: [...c.dependsOn],
    composePorts: c.ports.length > 0 ? c.ports : (facts?.exposed ?? []),
    ...(c.healthPath === undefined ? {} : { composeHealth: c.healthPath }),
    found,
    guessed: [],
  };
}

/** `http://api:4000/v1` → `${services.api.url}/v1` for a built service; hosts of external services stay. */
function rewriteServiceUrls(env: Record<string, string>, built: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^https?:\/\/([a-zA-Z0-9_-]+)(?::\d+)?(\/.*)?$/.exec(v);
    out[k] = m && built.has(m[1]!) ? `\${services.${serviceName(m[1]!)}.url}${m[2] && m[2] !== '/' ? m[2] : ''}` : v;
  }
  return out;
}

function mentionsHost(value: string, host: string): boolean {
  return new RegExp(`(^|[/@])${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+)?([/?]|$)`).test(value);
}

function finish(d: Draft, rootDir: string, rootPkg: PackageManifest | undefined, serviceDirs: readonly string[]): DetectedService {
  const facts = scanSource(d.dir, serviceDirs.filter((x) => x !== d.dir && x.startsWith(d.dir + path.sep)));
  const found = [...d.found, ...facts.evidence];
  const guessed = [...d.guessed];
  const fixedPort = facts.readsPort ? undefined : (facts.fixedPort ?? d.composePorts[0]);
  if (!facts.readsPort) {
    guessed.push(fixedPort === undefined ? 'no read of PORT found: assuming it reads PORT (slipway gives every task its own port)' : `no read of PORT found; it seems to listen on ${fixedPort}`);
  }
  let healthPath = d.composeHealth ?? facts.healthPath;
  if (d.composeHealth !== undefined) found.push(`healthcheck: ${d.composeHealth}`);
  if (healthPath === undefined) {
    healthPath = '/';
    guessed.push('no health route found: checking "/" (any 2xx answer counts); add a /healthz route and set health.path');
  }
  // The runtime sets PORT per task: a fixed PORT from compose or a Dockerfile would make every task fight for one port.
  const env = Object.fromEntries(Object.entries(d.env).filter(([k]) => k !== 'PORT'));
  const pkg = readPackage(d.dir);
  const inWorkspace = (rootPkg?.workspaces.length ?? 0) > 0 && d.dir !== rootDir;
  const hasLock = hasLockfile(d.dir);
  const test = pkg ? testScript(pkg) : undefined;
  const build = pkg ? { ...(inWorkspace ? {} : { install: hasLock ? 'npm ci' : 'npm install --no-audit --no-fund' }), ...(test === undefined ? {} : { test: 'npm test' }) } : {};
  return {
    name: d.name,
    path: path.relative(rootDir, d.dir).split(path.sep).join('/') || '.',
    start: d.start,
    source: d.source,
    readsPort: facts.readsPort || fixedPort === undefined,
    ...(fixedPort === undefined ? {} : { fixedPort }),
    healthPath,
    env,
    dependsOn: d.dependsOn,
    build,
    found,
    guessed,
  };
}
