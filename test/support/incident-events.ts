import type { SlipwayEvent } from '../../src/core/index.js';

/** Minutes, for hand-built event logs in tests. */
export const MIN = 60_000;

/** Builds event logs by hand for the cause tests: `deploy(...)` writes one deployment's story. */
export function eventLog(t0: number) {
  const events: SlipwayEvent[] = [];
  let seq = 0;
  const at = (minutes: number, type: string, subject: string, data: Record<string, unknown>): SlipwayEvent => {
    const e = { seq: ++seq, timeMs: t0 + minutes * MIN, type, subject, data };
    events.push(e);
    return e;
  };
  return {
    events,
    at,
    /** One deployment: started at `start` minutes, optionally a traffic shift, an end, a rollback by `alarms`. */
    deploy(id: number, service: string, environment: string, o: { start: number; shift?: number; end?: number; rollback?: { at: number; alarms: readonly string[]; restored: number }; from?: string; to?: string; kind?: string }) {
      const from = o.from ?? 'r1';
      const to = o.to ?? 'r2';
      const base = { deploymentId: id, kind: o.kind ?? 'Normal', service, environment, fromRevision: from, toRevision: to, reason: null };
      const subject = `deployment/${id}`;
      at(o.start, 'deployment.started', subject, { ...base, strategy: 'Canary', plan: [{}, {}, {}, {}], stepIndex: 0, weights: { [from]: 100 } });
      if (o.shift !== undefined) at(o.shift, 'deployment.traffic.shifted', subject, { ...base, stepIndex: 1, weights: { [from]: 75, [to]: 25 }, to: { [from]: 75, [to]: 25 } });
      if (o.rollback !== undefined) {
        at(o.rollback.at, 'deployment.rollback.started', subject, { ...base, stepIndex: 1, trigger: 'alarm', alarms: [...o.rollback.alarms] });
        at(o.rollback.restored, 'deployment.traffic.shifted', subject, { ...base, stepIndex: 1, to: { [from]: 100 }, trafficRestoredAtMs: t0 + o.rollback.restored * MIN });
        at(o.rollback.restored + 0.5, 'deployment.rolled_back', subject, { ...base, stepIndex: 1, trigger: 'alarm' });
      } else if (o.end !== undefined) at(o.end, 'deployment.succeeded', subject, { ...base, stepIndex: 4, weights: { [to]: 100 } });
    },
    /** One flag rollout of `key`: started at `start` minutes at 5 %, a step to 25 % at `step`, then reverted by `alarms` or succeeded at `end`. */
    flagRollout(id: number, key: string, environment: string, o: { start: number; step?: number; end?: number; revert?: { at: number; alarms: readonly string[] } }) {
      const base = { rolloutId: id, environment, key, fromVersion: 3, actor: 'ana', reason: null };
      const subject = `flag-rollout/${id}`;
      at(o.start, 'flag.rollout.started', subject, { ...base, state: 'InProgress', stepIndex: 0, percent: 5, strategy: 'Canary', plan: [{ percent: 5, bakeMs: 60_000 }, { percent: 25, bakeMs: 60_000 }, { percent: 100, bakeMs: 0 }], watchedAlarms: ['gateway-5xx'] });
      if (o.step !== undefined) at(o.step, 'flag.rollout.step', subject, { ...base, state: 'InProgress', stepIndex: 1, percent: 25, previousPercent: 5 });
      if (o.revert !== undefined) {
        at(o.revert.at, 'flag.rollout.rolled_back', subject, { ...base, state: 'RolledBack', stepIndex: 1, percent: 0, trigger: 'alarm', alarms: [...o.revert.alarms], revertMs: 0.4, revertedAtMs: t0 + o.revert.at * MIN, reachedPercent: 25 });
      } else if (o.end !== undefined) at(o.end, 'flag.rollout.succeeded', subject, { ...base, state: 'Succeeded', stepIndex: 2, percent: 100, version: 4, durationMs: 1 });
    },
    /** One flag change applied at once (`flag.changed`, `Updated`) at `minutes`. */
    flagChange(key: string, environment: string, minutes: number, version = 2) {
      at(minutes, 'flag.changed', `flag/${environment}/${key}`, { environment, key, version, previousVersion: version - 1, change: 'Updated', enabled: true, actor: 'bo', definition: { defaultValue: true, variants: null, rules: [] } });
    },
  };
}
