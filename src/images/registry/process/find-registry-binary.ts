import { findCommand } from '../../engine/find-command.js';

/** Names the distribution registry has on PATH: Debian's package, then upstream's. */
export const REGISTRY_COMMANDS = ['docker-registry', 'registry'] as const;

/** The registry binary: `SLIPWAY_REGISTRY_BIN`, else the first of {@link REGISTRY_COMMANDS} on PATH; undefined when none. */
export function findRegistryBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const forced = env.SLIPWAY_REGISTRY_BIN;
  if (forced !== undefined && forced !== '') return forced;
  for (const name of REGISTRY_COMMANDS) {
    const found = findCommand(name, env.PATH);
    if (found !== undefined) return found;
  }
  return undefined;
}
