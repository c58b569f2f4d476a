import type { Clock, EventLog, EventQuery, SlipwayEvent } from '../core/index.js';
import { DORA_DEFAULT_WINDOWS, parseDuration, type DoraResponseDto, type DoraWindowDto } from '../shared/index.js';
import { computeDora } from './compute-dora.js';
import { deriveDeployments, type DerivedDeployment } from './derive-deployments.js';
import { deriveFlagRollouts } from './derive-flag-rollouts.js';
import { deriveIncidents } from './derive-incidents.js';
import { GitCommits } from './git-commits.js';
import type { DoraDeployment, DoraIncident } from './model.js';

/** What a DORA report is asked for. */
export interface DoraReportRequest {
  /** One window such as `30d`. @default `7d`, `30d` and `90d` */
  readonly window?: string;
  /** Only this service. @default every service */
  readonly service?: string;
  /** The end of the windows (exclusive), ms. @default now */
  readonly endMs?: number;
}

/** The DORA inputs derived from the event log (and git), for one end time. */
export interface DoraInputs {
  readonly deployments: readonly DoraDeployment[];
  readonly incidents: readonly DoraIncident[];
  readonly warnings: readonly string[];
}

/** Options of {@link DoraService}. */
export interface DoraServiceOptions {
  readonly events: EventLog;
  /** The git repository revisions are commits of; without it, only commits listed in deployment events count. */
  readonly repoDir: string | undefined;
  readonly clock: Clock;
  /** The environment measured. */
  readonly environment: string;
  /** The State of DevOps report year of the bands. @default DEFAULT_DORA_YEAR */
  readonly thresholdsYear: string | undefined;
}

const DAY_MS = 86_400_000;
/** How far before the longest window deployments' start events are looked for. */
const START_MARGIN_MS = 7 * DAY_MS;
const PAGE = 5000;

/** Derives DORA's inputs from the event log and git, and computes the four keys per window and service. */
export class DoraService {
  readonly #git: GitCommits | undefined;

  constructor(private readonly o: DoraServiceOptions) {
    this.#git = o.repoDir === undefined ? undefined : new GitCommits(o.repoDir);
  }

  /** The four keys for each window, overall (or for `service`) and per service. */
  async report(request: DoraReportRequest = {}): Promise<DoraResponseDto> {
    const endMs = request.endMs ?? this.o.clock.now();
    const windows = (request.window === undefined ? [...DORA_DEFAULT_WINDOWS] : [request.window]).map((w) => ({ name: w, ms: parseDuration(w) }));
    const longestMs = Math.max(...windows.map((w) => w.ms));
    const inputs = await this.inputs(endMs - longestMs - START_MARGIN_MS, endMs);
    const base = { deployments: inputs.deployments, incidents: inputs.incidents, environment: this.o.environment, ...(this.o.thresholdsYear === undefined ? {} : { thresholdsYear: this.o.thresholdsYear }) };
    const services = request.service === undefined ? serviceNames(inputs, this.o.environment) : [request.service];
    const out: DoraWindowDto[] = windows.map((w) => {
      const window = { startMs: endMs - w.ms, endMs };
      const overall = computeDora({ ...base, window, ...(request.service === undefined ? {} : { service: request.service }) });
      const perService = Object.fromEntries(services.map((s) => [s, s === request.service ? overall : computeDora({ ...base, window, service: s })]));
      return { window: w.name, windowMs: w.ms, overall, services: perService };
    });
    return { environment: this.o.environment, endMs, windows: out, warnings: inputs.warnings };
  }

  /** Deployments (with their commits) and incidents from the log between `sinceMs` and `untilMs`. */
  async inputs(sinceMs: number, untilMs: number): Promise<DoraInputs> {
    const warnings: string[] = [];
    // Flag rollouts are deployments too: for deployment frequency and change failure rate (not lead time: they ship no commit).
    const derived = [...deriveDeployments(this.#read({ type: 'deployment', sinceMs, untilMs })), ...deriveFlagRollouts(this.#read({ type: 'flag.rollout', sinceMs, untilMs }))].sort((a, b) => a.finishedAtMs - b.finishedAtMs || a.id.localeCompare(b.id));
    const deployments = await Promise.all(derived.map((d) => this.#withCommits(d, warnings)));
    const incidents = deriveIncidents(this.#read({ type: 'incident', sinceMs, untilMs }), this.o.environment);
    return { deployments, incidents, warnings };
  }

  async #withCommits(d: DerivedDeployment, warnings: string[]): Promise<DoraDeployment> {
    const base = { id: d.id, service: d.service, environment: d.environment, status: d.status, startedAtMs: d.startedAtMs, finishedAtMs: d.finishedAtMs };
    if (d.commits !== undefined) return { ...base, commits: d.commits };
    // Lead time reads commits of successful deployments of the measured environment only.
    if (d.status !== 'Succeeded' || d.environment !== this.o.environment) return { ...base, commits: [] };
    if (this.#git === undefined) {
      warnings.push(`deployment ${d.id}: its events list no commits and no repository is configured; its lead time is unknown`);
      return { ...base, commits: [] };
    }
    const shipped = await this.#git.shipped(d.fromRevision, d.toRevision);
    if (!shipped.ok) warnings.push(`deployment ${d.id}: ${shipped.reason}; its lead time is unknown`);
    return { ...base, commits: shipped.ok ? shipped.commits : [] };
  }

  #read(query: EventQuery): SlipwayEvent[] {
    const out: SlipwayEvent[] = [];
    for (let after = 0; ; ) {
      const page = this.o.events.list({ ...query, afterSeq: after, limit: PAGE });
      out.push(...page);
      if (page.length < PAGE) return out;
      after = page.at(-1)!.seq;
    }
  }
}

function serviceNames(inputs: DoraInputs, environment: string): string[] {
  const names = new Set<string>();
  for (const d of inputs.deployments) if (d.environment === environment) names.add(d.service);
  for (const i of inputs.incidents) if (i.service !== undefined) names.add(i.service);
  return [...names].sort();
}
