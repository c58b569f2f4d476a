import type { ResolvedApp } from '../../shared/index.js';

/** The environments whose `rollbackOn` lists `alarm`: where an alarm that names no environment acts. */
export function rollbackEnvironments(app: ResolvedApp | undefined, alarm: string): string[] {
  if (app === undefined) return [];
  return Object.entries(app.environments)
    .filter(([, env]) => env.rollbackOn.includes(alarm))
    .map(([name]) => name);
}
