import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoraResponseDto, FlagDto, FlagRolloutDto, IncidentDetailDto, IncidentDto, PostmortemDto } from '../../src/shared/index.js';
import { TestApi } from '../support/api.js';
import { FREE_PORTS, slipway, startSlipway } from '../support/cli.js';
import { killDataPlane } from '../support/data-plane.js';
import type { ApiEvent } from '../support/deployment-harness.js';
import { tempDir, waitFor } from '../support/temp-dir.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');
const ALARM = 'checkout-5xx';
/** Requests per second of the bounded load, and the users it cycles through. */
const RATE = 40;
const USERS = 2000;
const RUNS = 3;

interface Status {
  runtime: { router: { listeners: { kind: string; port: number }[] }; environments: { services: { revisions: { tasks: { state: string }[] }[] }[] }[] };
}

/** Checkouts at a fixed rate, one user after the other; every answer kept with the time it was sent. */
function checkoutLoad(ingress: number) {
  const answers: { sentAtMs: number; user: string; status: number }[] = [];
  const inFlight = new Set<Promise<void>>();
  let n = 0;
  const timer = setInterval(() => {
    const user = `user-${n++ % USERS}`;
    const sentAtMs = Date.now();
    const p = fetch(`http://127.0.0.1:${ingress}/checkout?user=${user}`)
      .then(async (r) => {
        await r.arrayBuffer();
        answers.push({ sentAtMs, user, status: r.status });
      })
      .catch(() => void answers.push({ sentAtMs, user, status: 0 }))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }, 1000 / RATE);
  return {
    answers,
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return answers;
    },
  };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * A flag change rolled out in steps by a real `slipway up`, under a bounded load of checkouts whose new
 * code path (behind the flag) is broken: at step 2 (25 %) the router's 5xx count trips the real alarm
 * engine's `checkout-5xx`, one of production's `rollbackOn`, and the flag must be back on its previous
 * version in under 250 ms (median of the runs) from the alarm's transition to ALARM — measured from the
 * `alarm.state.changed` event's time to the `flag.rollout.rolled_back` event's. The incident the alarm
 * opens must name the flag rollout as its likely cause, and DORA must count it as a failed change.
 */
describe('reliability: a flag rollout reverted by an alarm', () => {
  const tmp = tempDir();
  const dataDir = path.join(tmp.path, 'data');
  const api = new TestApi(dataDir);
  let cp: ReturnType<typeof startSlipway> | undefined;
  let ingress = 0;
  const summary: string[] = [];

  beforeAll(async () => {
    const health = { path: '/healthz', interval: '1s', timeout: '900ms', healthyThreshold: 1, unhealthyThreshold: 5, gracePeriod: '5s' };
    const config = {
      name: 'flagged',
      services: { checkout: { path: FIXTURES, start: 'node flag-gated-service.mjs', health, ingress: { pathPrefix: '/' } } },
      environments: { production: { ingressPort: 0, rollbackOn: [ALARM] } },
      // At 40 checkouts/s the broken path answers ~20 500s per 10 s at 5 % and ~100 at 25 %: the alarm trips at step 2.
      alarms: { [ALARM]: { metric: 'HTTPCode_Target_5XX_Count', service: 'checkout', stat: 'Sum', period: '10s', threshold: 50, evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'notBreaching' } },
      flags: { newCheckout: { default: false, description: 'the new checkout (broken)' } },
    };
    const file = path.join(tmp.path, 'slipway.config.json');
    fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
    cp = startSlipway(['up', '--config', file, ...FREE_PORTS, '--data', dataDir]);
    await waitFor('the control plane', () => (fs.existsSync(path.join(dataDir, 'server.json')) ? true : undefined), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; slipway up said: ${cp!.output.stderr.slice(-2000)}`);
    });
    const st = await waitFor('the checkout task healthy', async () => {
      const s = await api.ok<Status>('GET', '/api/v1/status');
      const tasks = s.runtime.environments.flatMap((e) => e.services.flatMap((x) => x.revisions.flatMap((r) => r.tasks)));
      return tasks.length === 1 && tasks.every((t) => t.state === 'Healthy') ? s : undefined;
    }, 30_000);
    ingress = st.runtime.router.listeners.find((l) => l.kind === 'ingress')!.port;
    await waitFor('the ingress to route checkouts', async () => ((await fetch(`http://127.0.0.1:${ingress}/checkout?user=warmup`)).status === 200 ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    if (cp?.child.exitCode === null) {
      cp.child.kill('SIGINT');
      await cp.exited;
    }
    killDataPlane(dataDir);
    tmp.cleanup();
    console.log(`flag rollout reverted by an alarm:\n  ${summary.join('\n  ')}`);
  });

  const eventsOf = async (query: string) => (await api.ok<{ events: ApiEvent[] }>('GET', `/api/v1/events?${query}&limit=5000`)).events;
  const alarmState = async () => (await api.ok<{ alarms: { name: string; state: string }[] }>('GET', '/api/v1/alarms')).alarms.find((a) => a.name === ALARM)?.state;

  it(`reverts the flag within 250 ms of the alarm (median of ${RUNS} runs), names the rollout as the incident's cause, and counts it in DORA`, { timeout: 300_000 }, async () => {
    const reverts: number[] = [];
    const ids: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      // GIVEN the alarm is not in ALARM (after a previous run's revert it goes back to OK)
      await waitFor(`${ALARM} out of ALARM`, async () => ((await alarmState()) !== 'ALARM' ? true : undefined), 60_000, 500);
      const load = checkoutLoad(ingress);
      let answers: Awaited<ReturnType<typeof load.stop>>;
      let rollout: FlagRolloutDto;
      let end: ApiEvent;
      try {
        // WHEN the new checkout is rolled out with the CLI, 5 → 25 → 50 → 100 %, 20 s at each step (a step 2 holds a whole alarm period and its evaluation)
        const r = await slipway(['flags', 'rollout', 'production', 'newCheckout', '--value', 'true', '--steps', '5,25,50,100', '--interval', '20s', '--by', 'reliability', '--json', '--data', dataDir]);
        expect(r.code, r.stderr).toBe(0);
        rollout = JSON.parse(r.stdout) as FlagRolloutDto;
        expect(rollout).toMatchObject({ state: 'InProgress', percent: 5, watchedAlarms: [ALARM] });
        ids.push(rollout.id);
        // THEN the alarm reverts it
        end = await waitFor(`flag rollout ${rollout.id} to end`, async () => (await eventsOf(`subject=flag-rollout/${rollout.id}`)).find((e) => e.type === 'flag.rollout.rolled_back' || e.type === 'flag.rollout.succeeded'), 90_000, 50);
        // The load goes on for a second of checkouts after the revert: they must all take the old path.
        const revertedAtMs = typeof end.data.revertedAtMs === 'number' ? end.data.revertedAtMs : end.timeMs;
        await waitFor('checkouts after the revert', () => (load.answers.filter((a) => a.sentAtMs > revertedAtMs + 100).length >= RATE ? true : undefined), 20_000, 50);
      } finally {
        answers = await load.stop();
      }
      expect(end.type).toBe('flag.rollout.rolled_back');
      // at step 2: the share had reached 25 %, not 5 % and not 50 %
      expect(end.data).toMatchObject({ trigger: 'alarm', alarms: [ALARM], state: 'RolledBack', stepIndex: 1, reachedPercent: 25 });
      const alarm = (await eventsOf(`type=alarm.state.changed&subject=alarm/${ALARM}`)).filter((e) => e.data.newState === 'ALARM' && e.seq < end.seq).at(-1)!;
      const revertMs = end.timeMs - alarm.timeMs;
      reverts.push(revertMs);
      const failed = answers.filter((a) => a.status === 500).length;
      summary.push(`run ${run}: rollout ${rollout.id}, ${answers.length} checkouts (${failed} failed on the new path), alarm at ${new Date(alarm.timeMs).toISOString()}, flag reverted ${revertMs} ms later (in process: ${String(end.data.revertMs)} ms)`);
      // AND the flag serves its previous version to everyone, with no rollout left
      const flag = await api.ok<FlagDto>('GET', '/api/v1/flags/production/newCheckout');
      expect(flag).toMatchObject({ version: 1, definition: { default: false } });
      expect(flag.rollout).toBeUndefined();
      expect(failed).toBeGreaterThan(0);
      // AND checkouts sent after the revert (and after the router had answered those in flight) succeed
      const after = answers.filter((a) => a.sentAtMs > (end.data.revertedAtMs as number) + 100);
      expect(after.length).toBeGreaterThan(0);
      expect(after.filter((a) => a.status !== 200)).toEqual([]);
    }
    summary.push(`median revert ${median(reverts)} ms over ${RUNS} runs: [${reverts.join(', ')}]`);
    expect(median(reverts)).toBeLessThan(250);

    // THEN the incident the alarm opened names the first rollout as its likely cause, by the revert fact
    const incident = await waitFor('the incident', async () => (await api.ok<{ incidents: IncidentDto[] }>('GET', '/api/v1/incidents')).incidents.find((i) => i.alarm === ALARM), 30_000);
    const detail = await api.ok<IncidentDetailDto>('GET', `/api/v1/incidents/${incident.id}`);
    expect(detail.likelyCause).toMatchObject({ kind: 'flag', ref: `flag-rollout/${ids[0]}`, rolloutId: ids[0], flagKey: 'newCheckout', environment: 'production', rule: 'rolled-back-by-alarm' });
    expect(detail.timeline.some((e) => e.likelyCause && e.subject === `flag-rollout/${ids[0]}`)).toBe(true);
    const pm = await api.ok<PostmortemDto>('GET', `/api/v1/incidents/${incident.id}/postmortem`);
    expect(pm.markdown).toContain(`Likely cause: flag rollout ${ids[0]} of flag newCheckout in production (version 1 → a new definition, by reliability)`);

    // AND DORA counts every rollout as a deployment, each a failed change
    const dora = await api.ok<DoraResponseDto>('GET', '/api/v1/dora?window=1d');
    const cfr = dora.windows[0]!.overall.changeFailureRate;
    expect(cfr.deploymentIds).toEqual(ids.map((id) => `flag-rollout/${id}`));
    expect(cfr.failedDeploymentIds).toEqual(ids.map((id) => `flag-rollout/${id}`));
    expect(cfr.ratio).toBe(1);
    summary.push(`incident ${incident.id}: likely cause ${detail.likelyCause?.summary ?? '-'} (${detail.likelyCause?.rule ?? '-'}); DORA change failure rate ${cfr.ratio} over ${cfr.deploymentIds.join(', ')}`);
  });
});
