import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SlipwayError, UnavailableError } from '../../shared/index.js';
import { findCommand } from './find-command.js';
import type { CompiledEngine, EngineKind } from './model.js';
import { describeLimits, probeLimits } from './probe-limits.js';
import { PROBE_COMMAND, PROBE_IMAGE, probeReachedExec, runFlagCandidates } from './run-flag-candidates.js';
import { lastLine, mustRunEngine, runEngine } from './run-engine.js';

export { PROBE_IMAGE };

/** Options of {@link detectEngine}. */
export interface DetectEngineOptions {
  /**
   * The engine command to use (a name on PATH or a path); otherwise `SLIPWAY_CONTAINER_ENGINE`,
   * else `podman`, else `docker`.
   */
  readonly engine?: string;
  /** Environment to read `SLIPWAY_CONTAINER_ENGINE` and PATH from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

const memo = new Map<string, Promise<CompiledEngine>>();

/**
 * Finds the container engine and how to run containers with it on this machine, once per process
 * (later calls share the answer). It runs a probe container with each candidate set of flags
 * (`runFlagCandidates`) until one gets as far as exec'ing a command, and says which it chose.
 * Throws `SLW_ERR_IMAGES_NO_ENGINE` when there is none, `SLW_ERR_IMAGES_RUNTIME_UNUSABLE` (with
 * what each candidate answered) when no way of running works.
 */
export function detectEngine(options: DetectEngineOptions = {}): Promise<CompiledEngine> {
  const env = options.env ?? process.env;
  const wanted = options.engine ?? env.SLIPWAY_CONTAINER_ENGINE;
  const key = wanted ?? '';
  let found = memo.get(key);
  if (!found) {
    found = detect(wanted, env);
    memo.set(key, found);
    // A failed detection is not remembered: the user may install an engine and try again.
    found.catch(() => memo.delete(key));
  }
  return found;
}

async function detect(wanted: string | undefined, env: NodeJS.ProcessEnv): Promise<CompiledEngine> {
  const names = wanted !== undefined && wanted !== '' ? [wanted] : ['podman', 'docker'];
  let command: string | undefined;
  for (const name of names) {
    command = findCommand(name, env.PATH);
    if (command) break;
  }
  if (!command) {
    throw new UnavailableError(
      'SLW_ERR_IMAGES_NO_ENGINE',
      wanted ? `container engine "${wanted}" (SLIPWAY_CONTAINER_ENGINE) is not an executable on PATH` : 'no container engine found: install podman (apt-get install -y podman runc) or docker, or set SLIPWAY_CONTAINER_ENGINE',
    );
  }
  const kind: EngineKind = path.basename(command).includes('docker') ? 'docker' : 'podman';
  const base = { command, globalArgs: [] as string[] };
  const versionRun = await runEngine(base, ['--version'], { timeoutMs: 15_000 });
  if (versionRun.code !== 0) throw new UnavailableError('SLW_ERR_IMAGES_NO_ENGINE', `${command} --version failed: ${lastLine(versionRun.stderr)}`);
  const version = lastLine(versionRun.stdout);
  // `podman-docker` installs a `docker` that is podman; its version line says so.
  const realKind: EngineKind = /podman/i.test(version) ? 'podman' : kind;
  const info = await runEngine(base, ['info', '--format', realKind === 'podman' ? '{{.Host.OCIRuntime.Name}}' : '{{.DefaultRuntime}}'], { timeoutMs: 30_000 });
  if (info.code !== 0) {
    throw new UnavailableError('SLW_ERR_IMAGES_NO_ENGINE', `${command} info failed${realKind === 'docker' ? ' (is the Docker daemon running?)' : ''}: ${lastLine(info.stderr)}`);
  }
  const defaultRuntime = lastLine(info.stdout) || 'default';
  await ensureProbeImage(base);
  const tried: string[] = [];
  for (const c of runFlagCandidates(realKind, defaultRuntime, findCommand('runc', env.PATH) !== undefined)) {
    const probe = await runEngine({ command, globalArgs: c.globalArgs }, ['run', '--rm', '--network', 'host', ...c.runArgs, PROBE_IMAGE, PROBE_COMMAND], { timeoutMs: 60_000 });
    if (probeReachedExec(probe.code, probe.stderr)) {
      const flags = [...c.globalArgs, 'run', ...c.runArgs].join(' ');
      const limits = await probeLimits({ command, globalArgs: c.globalArgs, runArgs: c.runArgs });
      return Object.freeze({
        limits,
        kind: realKind,
        command,
        version,
        globalArgs: Object.freeze([...c.globalArgs]),
        runArgs: Object.freeze([...c.runArgs]),
        runtime: c.runtime,
        description: `${realKind} (${version}) with runtime ${c.runtime}: ${c.why} — containers run as \`${path.basename(command)} ${flags} --network host …\`; ${describeLimits(limits)}`,
      });
    }
    tried.push(`${[...c.globalArgs, 'run', ...c.runArgs].join(' ')}: exit ${probe.code ?? probe.signal}: ${lastLine(probe.stderr)}`);
  }
  throw new UnavailableError('SLW_ERR_IMAGES_RUNTIME_UNUSABLE', `${command} cannot start a container here; tried:\n  ${tried.join('\n  ')}`);
}

async function ensureProbeImage(engine: { command: string; globalArgs: string[] }): Promise<void> {
  const exists = await runEngine(engine, ['image', 'inspect', '--format', '{{.Id}}', PROBE_IMAGE], { timeoutMs: 30_000 });
  if (exists.code === 0) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-probe-'));
  try {
    fs.writeFileSync(path.join(dir, 'marker'), 'slipway probe image: it only has to exist\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY marker /marker\n');
    await mustRunEngine(engine, ['build', '-q', '-t', PROBE_IMAGE, dir], { timeoutMs: 60_000 });
  } catch (cause) {
    throw new SlipwayError('SLW_ERR_IMAGES_RUNTIME_UNUSABLE', `could not build the probe image ${PROBE_IMAGE}: ${(cause as Error).message}`, { cause });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
