import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildspec, pipelineHarness, type Harness } from './pipelines-harness.js';
import { cliInProcess } from '../support/cli-in-process.js';

let h: Harness;
let url: string;

beforeAll(async () => {
  h = await pipelineHarness({
    files: { 'buildspec.yml': buildspec(['mkdir -p out', 'echo hello > out/a.txt', 'echo built it'], 'artifacts:\n  files:\n    - out/**/*\n') },
    pipeline: { stages: [{ name: 'Build', actions: [{ type: 'build' }] }, { name: 'Approve', actions: [{ type: 'approval' }] }] },
  });
  url = await h.server.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await h.close();
});

const cli = (...args: string[]) => cliInProcess(url, ...args);

describe('slipway pipeline / artifacts', () => {
  it('starts, shows, approves and lists runs, prints logs and artifacts', async () => {
    // GIVEN a run started from the CLI
    const started = await cli('pipeline', 'run', '--json');
    expect(started.code).toBe(0);
    const id = (JSON.parse(started.out) as { id: number }).id;
    await h.waitFor((e) => e.type === 'pipeline.approval.requested' && e.data.runId === id);
    // WHEN it is shown THEN the stage view names stages, actions and the approval hint
    const shown = await cli('pipeline', 'show', String(id));
    expect(shown.out).toContain(`run #${id}  InProgress`);
    expect(shown.out).toMatch(/✔ Build\s+Succeeded/);
    expect(shown.out).toContain(`(slipway pipeline approve ${id})`);
    // WHEN it is approved from the CLI THEN it succeeds, and follow prints plain lines off a TTY
    expect((await cli('pipeline', 'approve', String(id), '--comment', 'ok', '--by', 'dana')).out).toBe(`run #${id}: approved\n`);
    const followed = await cli('pipeline', 'show', String(id), '--follow');
    expect(followed.out).toContain(`run #${id} Succeeded`);
    // AND list, logs and artifacts show it
    expect((await cli('pipeline', 'list')).out).toMatch(new RegExp(`#${id}\\s+Succeeded\\s+manual\\s+main`));
    expect((await cli('pipeline', 'logs', String(id), '--action', 'Build.build')).out).toContain('[Build.build] built it');
    const arts = await cli('artifacts', 'list', '--json');
    const [artifact] = JSON.parse(arts.out) as { digest: string }[];
    expect((await cli('artifacts', 'show', `demo:build-${(h.pipelines.getRun(id).stages[0]!.actions[0]!.id)}`)).out).toContain(artifact!.digest);
    expect((await cli('artifacts', 'prune', '--json')).code).toBe(0);
    // AND errors are one line with exit 1
    const missing = await cli('pipeline', 'cancel', '999');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('slipway: no pipeline run 999\n');
  });
});
