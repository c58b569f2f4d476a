import { exec } from '../../core/index.js';
import type { HostRuntimes } from './model.js';

/** How to ask the host for a runtime's version: the command, and where the version is in its output. */
interface RuntimeProbe {
  readonly command: string;
  readonly args: readonly string[];
  readonly version: RegExp;
}

/** The runtimes CodeBuild's images offer in `runtime-versions`, and how slipway finds the host's. */
const PROBES: Readonly<Record<string, RuntimeProbe | 'self'>> = {
  nodejs: 'self',
  python: { command: 'python3', args: ['--version'], version: /Python (\d+(?:\.\d+)*)/ },
  java: { command: 'java', args: ['-version'], version: /version "(\d+(?:\.\d+)*)/ },
  ruby: { command: 'ruby', args: ['--version'], version: /ruby (\d+(?:\.\d+)*)/ },
  golang: { command: 'go', args: ['version'], version: /go(\d+(?:\.\d+)*)/ },
  php: { command: 'php', args: ['--version'], version: /PHP (\d+(?:\.\d+)*)/ },
  dotnet: { command: 'dotnet', args: ['--version'], version: /^(\d+(?:\.\d+)*)/m },
};

/** The runtime names slipway knows (CodeBuild's). */
export const KNOWN_RUNTIMES: readonly string[] = Object.keys(PROBES);

/**
 * The host's version of each of `names` that slipway knows: Node.js is this process's; the
 * others come from their tool (`python3 --version`, `java -version`, ...) run with `env`, so
 * the build's PATH decides, as it will for the build's commands. Not installed: undefined.
 */
export async function detectHostRuntimes(names: readonly string[], env: Readonly<Record<string, string>>): Promise<HostRuntimes> {
  const out: Record<string, string | undefined> = {};
  for (const name of names) {
    const probe = PROBES[name];
    if (probe === undefined) continue;
    if (probe === 'self') {
      out[name] = process.versions.node;
      continue;
    }
    try {
      const r = await exec(probe.command, probe.args, { env: { ...env }, timeoutMs: 10_000 });
      out[name] = r.code === 0 ? probe.version.exec(`${r.stdout}\n${r.stderr}`)?.[1] : undefined;
    } catch {
      out[name] = undefined;
    }
  }
  return out;
}

/** `corretto17` → `17`, `3.11` → `3.11`, Java's `1.8.0` → `8`. */
function numbers(version: string): number[] {
  const digits = /(\d+(?:\.\d+)*)/.exec(version)?.[1];
  if (digits === undefined) return [];
  const parts = digits.split('.').map(Number);
  return parts[0] === 1 && parts.length > 1 ? parts.slice(1) : parts;
}

/**
 * Warnings for `runtime-versions` the host does not satisfy, one line each; none when all
 * match. A version matches when its numbers are a prefix of the host's (`nodejs: 20` matches
 * 20.11.1, `python: 3.11` matches 3.11.4, `java: corretto17` matches 17.0.2); `latest` matches
 * any installed version. A build uses the host's tools whatever this says.
 */
export function checkRuntimeVersions(requested: Readonly<Record<string, string>>, host: HostRuntimes): string[] {
  const warnings: string[] = [];
  for (const [name, wanted] of Object.entries(requested)) {
    if (!KNOWN_RUNTIMES.includes(name)) {
      warnings.push(`runtime-versions: unknown runtime "${name}" (slipway knows ${KNOWN_RUNTIMES.join(', ')}); the host's tools are used`);
      continue;
    }
    const have = host[name];
    if (have === undefined) {
      warnings.push(`runtime-versions: ${name} ${wanted} was asked for, but the host has no ${name}`);
      continue;
    }
    if (wanted === 'latest') continue;
    const want = numbers(wanted);
    const got = numbers(have);
    if (want.length === 0) {
      warnings.push(`runtime-versions: ${name} "${wanted}" is not a version; the host's ${name} ${have} is used`);
    } else if (want.some((n, i) => got[i] !== n)) {
      warnings.push(`runtime-versions: ${name} ${wanted} was asked for, but the host has ${name} ${have}, which is used`);
    }
  }
  return warnings;
}
