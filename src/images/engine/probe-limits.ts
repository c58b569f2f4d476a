import type { EngineLimits } from './model.js';
import { lastLine, runEngine } from './run-engine.js';
import { PROBE_COMMAND, PROBE_IMAGE, probeReachedExec } from './run-flag-candidates.js';

/** The limits the probe asks for: small, so a machine that grants them at all grants these. */
const CPU_PROBE = ['--cpus', '0.5'];
const MEMORY_PROBE = ['--memory', '64m'];

/**
 * Finds out whether containers started with these flags can be limited: runs the probe container
 * with `--cpus` and `--memory` (both, then each alone when both are refused) and sees whether the
 * runtime still gets as far as exec'ing. Never throws: a limit the engine refuses is `false`, with
 * what the engine said.
 */
export async function probeLimits(engine: { command: string; globalArgs: readonly string[]; runArgs: readonly string[] }): Promise<EngineLimits> {
  const tryWith = async (args: readonly string[]) => {
    const r = await runEngine(engine, ['run', '--rm', '--network', 'host', ...engine.runArgs, ...args, PROBE_IMAGE, PROBE_COMMAND], { timeoutMs: 60_000 }).catch((err: Error) => ({ code: null, stderr: err.message }));
    return { ok: probeReachedExec(r.code, r.stderr), said: lastLine(r.stderr) };
  };
  const both = await tryWith([...CPU_PROBE, ...MEMORY_PROBE]);
  if (both.ok) return { cpus: true, memory: true };
  const cpu = await tryWith(CPU_PROBE);
  const memory = await tryWith(MEMORY_PROBE);
  const refused = [...(cpu.ok ? [] : [`--cpus: ${cpu.said}`]), ...(memory.ok ? [] : [`--memory: ${memory.said}`])];
  return { cpus: cpu.ok, memory: memory.ok, reason: refused.join('; ') || both.said };
}

/** One phrase for the engine's description: which limits containers get. */
export function describeLimits(limits: EngineLimits): string {
  if (limits.cpus && limits.memory) return 'CPU and memory limits apply';
  const missing = [...(limits.cpus ? [] : ['CPU']), ...(limits.memory ? [] : ['memory'])].join(' and ');
  return `${missing} limits cannot be applied here (${limits.reason ?? 'refused'})`;
}
