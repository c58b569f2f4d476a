// A pipeline over a real git repository, a real SQLite file and the real API server, for the
// pipelines integration tests. Waits are on events of the event log, never on sleeps.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { EventLog, eventMigrations, exec, openDatabase, silentLogger, type Db, type SlipwayEvent } from '../../src/core/index.js';
import { SqliteSecretStore, createPipelines, pipelineMigrations, type AlarmStates, type DeployRequest, type DeployResult, type Deployer, type Pipelines, type PipelinesOptions } from '../../src/pipelines/index.js';
import { buildServer } from '../../src/server/index.js';
import { resolveApp, type PipelineDefinition, type PipelineRunDto, type ResolvedApp } from '../../src/shared/index.js';
import { TEST_TOKEN } from '../support/server.js';

/** A deployer that records its calls and answers with `answer` (default Succeeded). */
export class FakeDeployer implements Deployer {
  readonly calls: DeployRequest[] = [];
  answer: (req: DeployRequest) => Promise<DeployResult> | DeployResult = () => ({ status: 'Succeeded', deploymentIds: [`d-${this.calls.length}`] });

  async deploy(req: DeployRequest): Promise<DeployResult> {
    this.calls.push(req);
    return this.answer(req);
  }
}

/** Options of {@link pipelineHarness}. */
export interface HarnessOptions {
  /** The pipeline definition (the app around it has a `web` service, `staging` and `production`). */
  readonly pipeline?: PipelineDefinition;
  /** A whole app definition instead. */
  readonly app?: unknown;
  /** An already resolved app (e.g. the shop's, loaded from its slipway.config.ts). */
  readonly resolvedApp?: ResolvedApp;
  /** Files of the first commit. */
  readonly files?: Readonly<Record<string, string>>;
  /** A directory to copy into the repository instead of `files`. */
  readonly copyFrom?: string;
  /** Where the temporary folder is made. @default the OS temp dir */
  readonly parentDir?: string;
  readonly deployer?: Deployer;
  readonly alarms?: AlarmStates;
  readonly webhookSecret?: string;
  /** @default 0 (no polling; tests call pollNow or use webhooks) */
  readonly pollIntervalMs?: number;
  /** Secrets in the secret store. */
  readonly secrets?: Readonly<Record<string, string>>;
}

/** A running pipeline over a temporary repository. */
export interface Harness {
  readonly root: string;
  readonly repo: string;
  readonly dataDir: string;
  readonly db: Db;
  readonly events: EventLog;
  pipelines: Pipelines;
  server: FastifyInstance;
  readonly deployer: Deployer;
  /** Writes files, commits them on `branch` (created from HEAD when new) and returns the sha. */
  commit(files: Readonly<Record<string, string>>, message?: string, branch?: string): Promise<string>;
  git(...args: string[]): Promise<string>;
  /** Resolves with the first event (from `afterSeq`) matching; rejects after `timeoutMs`. */
  waitFor(match: (e: SlipwayEvent) => boolean, options?: { afterSeq?: number; timeoutMs?: number }): Promise<SlipwayEvent>;
  /** Waits for the run to end (`pipeline.run.<status>` after `afterSeq`), returns it. */
  waitForEnd(runId: number, options?: { timeoutMs?: number; afterSeq?: number }): Promise<PipelineRunDto>;
  /** Closes the facade without cleanup (a crash, as the run engine sees it) and starts a new one over the same database. */
  restart(): Promise<void>;
  request(method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

const ENDED = /^pipeline\.run\.(succeeded|failed|stopped|superseded)$/;

/** Builds a repository, a store, the pipelines facade and the API server. */
export async function pipelineHarness(options: HarnessOptions): Promise<Harness> {
  const root = fs.mkdtempSync(path.join(options.parentDir ?? os.tmpdir(), 'slipway-pipeline-'));
  const repo = path.join(root, 'repo');
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(repo, { recursive: true });
  const git = async (...args: string[]) => {
    const r = await exec('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=dev', '-c', 'commit.gpgsign=false', ...args], { cwd: repo });
    if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  if (options.copyFrom) fs.cpSync(options.copyFrom, repo, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) && !src.endsWith(`${path.sep}.slipway`) });
  for (const [f, text] of Object.entries(options.files ?? {})) writeFile(repo, f, text);
  await git('init', '--quiet', '-b', 'main');
  await git('add', '-A');
  await git('commit', '--quiet', '--allow-empty', '-m', 'initial');

  const appDefinition = options.app ?? {
    name: 'demo',
    services: { web: { path: '.', start: 'node server.js' } },
    environments: { staging: { ingressPort: 0 }, production: { ingressPort: 0 } },
    pipeline: options.pipeline,
  };
  const app = options.resolvedApp ?? resolveApp(appDefinition);
  const db = openDatabase(path.join(dataDir, 'slipway.db'), { migrations: [...eventMigrations, ...pipelineMigrations] });
  const events = new EventLog(db);
  const secrets = new SqliteSecretStore({ db, keyFile: path.join(dataDir, 'key') });
  for (const [k, v] of Object.entries(options.secrets ?? {})) await secrets.set(k, v);
  const deployer = options.deployer ?? new FakeDeployer();
  const facadeOptions: PipelinesOptions = {
    app,
    repoDir: repo,
    db,
    events,
    dataDir,
    secrets,
    deployer,
    alarms: options.alarms,
    logger: silentLogger,
    webhookSecret: options.webhookSecret,
    pollIntervalMs: options.pollIntervalMs ?? 0,
    scanAudit: false,
  };
  const make = async () => {
    const p = createPipelines(facadeOptions);
    const s = await buildServer({ events, token: TEST_TOKEN, routes: [p.routes] });
    await p.start();
    return { p, s };
  };
  let { p: pipelines, s: server } = await make();

  const waitFor: Harness['waitFor'] = (match, o = {}) =>
    new Promise((resolve, reject) => {
      let done = false;
      const finish = (e: SlipwayEvent | Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        if (e instanceof Error) reject(e);
        else resolve(e);
      };
      const timer = setTimeout(() => finish(new Error(`no matching event within ${o.timeoutMs ?? 20_000} ms`)), o.timeoutMs ?? 20_000);
      const unsubscribe = events.subscribe((e) => {
        if (match(e)) finish(e);
      });
      const past = events.list({ afterSeq: o.afterSeq ?? 0, limit: 10_000 }).find(match);
      if (past) finish(past);
    });

  const h: Harness = {
    root,
    repo,
    dataDir,
    db,
    events,
    deployer,
    get pipelines() {
      return pipelines;
    },
    get server() {
      return server;
    },
    async commit(files, message = 'change', branch) {
      if (branch !== undefined) {
        const exists = await git('branch', '--list', branch);
        await git('checkout', '--quiet', ...(exists ? [branch] : ['-b', branch]));
      }
      for (const [f, text] of Object.entries(files)) writeFile(repo, f, text);
      await git('add', '-A');
      await git('commit', '--quiet', '--allow-empty', '-m', message);
      const sha = await git('rev-parse', 'HEAD');
      if (branch !== undefined) await git('checkout', '--quiet', 'main');
      return sha;
    },
    git,
    waitFor,
    async waitForEnd(runId, o = {}) {
      await waitFor((e) => e.subject === `pipeline-run/${runId}` && ENDED.test(e.type), { timeoutMs: o.timeoutMs ?? 30_000, afterSeq: o.afterSeq });
      return pipelines.getRun(runId);
    },
    async restart() {
      await server.close();
      await pipelines.close();
      ({ p: pipelines, s: server } = await make());
    },
    async request(method, url, body, headers = {}) {
      const res = await server.inject({ method, url, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...headers }, ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }) });
      return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
    },
    async close() {
      await server.close();
      await pipelines.close();
      db.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
  return h;
}

function writeFile(dir: string, rel: string, text: string): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** A buildspec with one build phase running `commands`, optional extra YAML appended. */
export function buildspec(commands: readonly string[], extra = ''): string {
  return `version: 0.2\nphases:\n  build:\n    commands:\n${commands.map((c) => `      - ${JSON.stringify(c)}`).join('\n')}\n${extra}`;
}
