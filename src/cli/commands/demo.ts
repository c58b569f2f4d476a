import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createLogger, isAlive } from '../../core/index.js';
import { startControlPlane, type ControlPlane } from '../../server/index.js';
import { startLoad, type Load } from '../demo/load-generator.js';
import { progressLine } from '../demo/progress.js';
import { commitChange, demoPaths, prepareDemoRepo, shopNodeModules, type DemoContainers, type DemoPaths } from '../demo/workspace.js';
import { buildHostNodeImage, detectEngine, hostNodeImageName } from '../../images/index.js';
import { println } from '../output.js';
import { ApiClient } from '../client.js';
import { printExperiment } from './experiments.js';
import { definitionFromOptions, flagPath } from './flag-input.js';
import { rolloutSummary, strategyFromOptions } from './flag-rollouts.js';
import type { ExperimentDetailDto, FlagRolloutDto } from '../../shared/index.js';

interface DemoOptions {
  dir: string;
  port: string;
  rate: string;
  approveAfter: string;
  containers?: boolean;
}

const DEFAULT_DIR = '.slipway/demo';

/** `slipway demo [break|fix|reset]`: the example shop from commit to production, on this machine. */
export function demoCommand(program: Command): void {
  const demo = program
    .command('demo')
    .description('run the example shop from commit to production, with live traffic (Ctrl-C stops it)')
    .option('--dir <dir>', 'where the demo keeps its repository and data', DEFAULT_DIR)
    .option('--port <port>', 'API and dashboard port', '4400')
    .option('--rate <n>', 'shoppers\' requests per second', '20')
    .option('--approve-after <seconds>', 'auto-approve production after this many seconds (0: wait for a person)', '10')
    .option('--containers', 'run every service as a container: the pipeline builds, scans and pushes their images first (needs podman or docker)')
    .action(async (opts: DemoOptions) => runDemo(opts));
  demo
    .command('break')
    .description('commit a change that makes payments fail for a share of requests, and watch it roll back')
    .action(async (_opts: unknown, cmd: Command) => {
      const sha = await commitChange(demoPaths(demoDir(cmd)), 'services/payments/app.js', /export const FAILURE_RATE = 0;/, 'export const FAILURE_RATE = 1;', 'payments: switch to the new card processor client');
      println(`committed ${sha}: the new payments revision fails every charge, so whatever share of checkouts its canary takes fails.`);
      println('Watch: the pipeline builds and tests it, staging takes it, production starts a canary;');
      println('the gateway-5xx alarm fires, traffic returns to the stable revision, and an incident opens');
      println('with the deployment on its timeline (dashboard: Deployments, Incidents; CLI: slipway incidents list).');
    });
  demo
    .command('fix')
    .description('commit the missing index for the slow catalog query, and watch p99 latency drop')
    .action(async (_opts: unknown, cmd: Command) => {
      const sha = await commitChange(demoPaths(demoDir(cmd)), 'services/catalog/db.js', /export const ADD_REVIEWS_INDEX = false;/, 'export const ADD_REVIEWS_INDEX = true;', 'catalog: index reviews by product');
      println(`committed ${sha}: the catalog indexes reviews by product.`);
      println('Watch: once it reaches production, the top slow query disappears (dashboard: Traces → slow queries)');
      println('and gateway p99 latency drops (dashboard: Metrics; CLI: slipway metrics TargetResponseTime --dim service=gateway --stat p99).');
    });
  demo
    .command('rollout')
    .description('roll the newCheckout flag out to everyone in production in steps (an alarm reverts it), then show the new-checkout experiment')
    .option('--steps <percentages>', 'shares of shoppers served the new checkout, increasing and ending at 100', '25,50,100')
    .option('--interval <duration>', 'bake time at each step but the last', '20s')
    .action(async (opts: { steps: string; interval: string }, cmd: Command) => rolloutDemo(demoPaths(demoDir(cmd)), opts));
  demo
    .command('reset')
    .description('delete the demo\'s repository and data (stop the demo first)')
    .action(async (_opts: unknown, cmd: Command) => {
      const paths = demoPaths(demoDir(cmd));
      const lock = path.join(paths.data, 'run', 'control-plane.pid');
      const pid = fs.existsSync(lock) ? Number(fs.readFileSync(lock, 'utf8').trim()) : 0;
      if (pid > 0 && isAlive(pid)) throw new Error(`the demo is running (pid ${pid}); stop it with Ctrl-C first`);
      fs.rmSync(paths.root, { recursive: true, force: true });
      println(`removed ${paths.root}; \`npm start\` begins a fresh demo.`);
    });
}

const ROLLOUT_FLAG = { environment: 'production', key: 'newCheckout', experiment: 'new-checkout' } as const;

/**
 * `slipway demo rollout`: a flag change as a deployment. The demo's newCheckout (10 % of production's
 * shoppers) goes to everyone in steps through the deployment engine, with production's rollbackOn
 * alarms watching; the command follows it to its end, then prints the experiment on the flag.
 */
async function rolloutDemo(paths: DemoPaths, opts: { steps: string; interval: string }): Promise<void> {
  const { environment, key, experiment } = ROLLOUT_FLAG;
  const client = ApiClient.from({ data: paths.data });
  const strategy = strategyFromOptions({ steps: opts.steps, interval: opts.interval });
  const definition = await definitionFromOptions(client, 'rollout', environment, key, { value: 'true' });
  let r = await client.request<FlagRolloutDto>('POST', flagPath(environment, key, '/rollouts'), { definition, strategy, by: 'demo' });
  println(rolloutSummary(r));
  println('Watch: the dashboard\'s Flags view (newCheckout: the rollout\'s progress, evaluations per variant) and Experiments (new-checkout);');
  println(`if one of production's rollbackOn alarms fires during the rollout, the flag is reverted at once.`);
  const deadline = Date.now() + r.plan.reduce((n, s) => n + s.bakeMs, 0) + 60_000;
  while ((r.state === 'InProgress' || r.state === 'Paused') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await client.get<FlagRolloutDto>(`/api/v1/flag-rollouts/${r.id}`);
    if (now.state !== r.state || now.percent !== r.percent) println(`  ${rolloutSummary(now)}`);
    r = now;
  }
  if (r.state === 'InProgress' || r.state === 'Paused') println(`still ${r.state} at ${r.percent}%: follow it with \`slipway flags rollouts show ${r.id}\``);
  println('');
  printExperiment(await client.get<ExperimentDetailDto>(`/api/v1/experiments/${environment}/${experiment}`));
}

/** The demo directory: `--dir` belongs to `demo`, so `demo break --dir D` reaches it through the parent. */
function demoDir(cmd: Command): string {
  return cmd.optsWithGlobals<{ dir?: string }>().dir ?? DEFAULT_DIR;
}

async function runDemo(opts: DemoOptions): Promise<void> {
  const paths = demoPaths(opts.dir);
  const startedMs = Date.now();
  const containers = opts.containers ? await demoContainers() : undefined;
  const fresh = await prepareDemoRepo(paths, containers === undefined ? {} : { containers });
  println(fresh ? `made the demo's own git repository of the shop in ${paths.repo}${containers ? ' (as containers)' : ''}` : `resuming the demo in ${paths.root}`);
  if (containers !== undefined) await buildDemoBase(paths, containers);
  const cp = await startControlPlane({
    dataDir: paths.data,
    port: Number(opts.port),
    otlpPort: 0,
    xrayPort: 0,
    configFile: path.join(paths.repo, 'slipway.config.ts'),
    bootstrap: false,
    pollIntervalMs: 1000,
    drainMs: 1000,
    logger: createLogger({ level: 'error' }),
  });
  println(`slipway is up: API ${cp.url}/api/v1; the pipeline watches ${paths.repo} (branch main)`);
  const live = watchProgress(cp, paths, startedMs, Number(opts.rate), Number(opts.approveAfter));
  await new Promise<void>((resolve) => {
    const stop = () => {
      println('\nstopping the demo: shoppers, tasks, router');
      void live.stop().then(() => cp.close({ stopTasks: true })).then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * What `--containers` needs before the repository is made: a container engine (a clear error when
 * there is none) and the shop's installed dependencies to vendor.
 */
async function demoContainers(): Promise<DemoContainers> {
  const engine = await detectEngine();
  println(`containers: ${engine.description}`);
  return { base: hostNodeImageName(), nodeModules: shopNodeModules() };
}

/**
 * Builds the shop's base image from this machine's node (once; seconds), so the vendored native
 * modules (the catalog's better-sqlite3) load in the containers as they do here.
 */
async function buildDemoBase(paths: DemoPaths, containers: DemoContainers): Promise<void> {
  const engine = await detectEngine();
  const addons = findFiles(path.join(paths.repo, 'node_modules'), (f) => f.endsWith('.node'));
  const base = await buildHostNodeImage(engine, { tag: containers.base, force: false, alsoLinking: addons });
  println(base.cached ? `base image ${base.image} (built before)` : `built the base image ${base.image} from this machine's node`);
}

/** Files under `dir` (recursively) that `match`. */
function findFiles(dir: string, match: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && match(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Prints progress, auto-approves after a visible countdown, and starts the shoppers once production is live. */
function watchProgress(cp: ControlPlane, paths: DemoPaths, startedMs: number, rate: number, approveAfterS: number): { stop(): Promise<void> } {
  const services = Object.keys(cp.appModel?.services ?? {});
  const liveIn = new Set<string>();
  let load: Load | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const off = cp.events.subscribe((e) => {
    const line = progressLine(e);
    if (line) println(line);
    const d = e.data as Record<string, unknown>;
    if (e.type === 'pipeline.approval.requested' && approveAfterS > 0) {
      const runId = Number(d.runId);
      println(`    ⏸ approval needed for ${String(d.stage)}: approving in ${approveAfterS} s (approve or reject it sooner in the dashboard: Pipelines)`);
      const t = setTimeout(() => {
        timers.delete(t);
        try {
          cp.delivery?.pipelines?.approve(runId, { by: 'demo', comment: 'auto-approved by the demo' });
          println(`    ✓ approved by the demo`);
        } catch {
          // Approved or rejected by a person in the meantime.
        }
      }, approveAfterS * 1000);
      timers.add(t);
    }
    if (e.type === 'deployment.succeeded' && d.environment === 'production' && load === undefined) {
      liveIn.add(String(d.service));
      if (services.every((s) => liveIn.has(s))) {
        const ingress = cp.appModel!.environments.production!.ingressPort;
        load = startLoad({ baseUrl: `http://127.0.0.1:${ingress}`, ratePerSecond: rate });
        const stagingPort = cp.appModel!.environments.staging?.ingressPort;
        println('');
        println(`production is live after ${((Date.now() - startedMs) / 1000).toFixed(0)} s: http://127.0.0.1:${ingress}/${stagingPort ? `   (staging: http://127.0.0.1:${stagingPort}/)` : ''}`);
        println(`  dashboard   ${cp.loginUrl()}`);
        println(`  shoppers    ${rate} requests/s of browsing and checkouts`);
        println(`  next        slipway demo break --dir ${path.relative(process.cwd(), paths.root) || '.'}   (a bad commit: canary, alarm, rollback, incident)`);
        println(`              slipway demo fix --dir ${path.relative(process.cwd(), paths.root) || '.'}     (the missing index: p99 latency drops)`);
        println(`              slipway demo rollout --dir ${path.relative(process.cwd(), paths.root) || '.'} (newCheckout to everyone in steps; the experiment's result)`);
        println('');
      }
    }
  });
  return {
    async stop() {
      off();
      for (const t of timers) clearTimeout(t);
      await load?.stop();
    },
  };
}
