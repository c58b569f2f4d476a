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
  };
}
