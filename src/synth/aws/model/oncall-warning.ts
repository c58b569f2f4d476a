import type { ResolvedApp } from '../../../shared/index.js';
import type { SynthWarnings } from './synth-warnings.js';

/** Reports an `oncall` block: paging and escalation run in the local control plane only (docs/oncall.md). */
export function warnOncall(app: ResolvedApp, warnings: SynthWarnings, counterpart: string): void {
  const o = app.oncall;
  if (o === undefined || Object.keys(o.schedules).length + Object.keys(o.escalationPolicies).length + Object.keys(o.users).length === 0) return;
  warnings.add('oncall', `schedules and escalation policies page from the slipway control plane only; ${counterpart}`);
}
