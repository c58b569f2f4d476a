import type { ShadowDiffSampleDto, ShadowReportDto, ShadowSkippedDto } from '../../shared/index.js';
import { LatencyHistogram } from '../metrics/histogram.js';

/** Why a request chosen for mirroring was not compared. */
export type ShadowSkipReason = keyof ShadowSkippedDto;

/** Differing requests kept as examples. */
export const MAX_SHADOW_SAMPLES = 20;
/** Distinct differing fields counted. */
export const MAX_SHADOW_FIELDS = 50;

/** One compared pair, as the recorder takes it. */
export interface ShadowOutcome {
  readonly method: string;
  readonly url: string;
  readonly primaryStatus: number;
  readonly primarySeconds: number;
  readonly shadowStatus: number | null;
  readonly shadowSeconds: number | null;
  readonly fields: readonly string[];
  readonly error: string | null;
}

/**
 * The running totals of one shadow comparison: counters, latency rings of both sides, the
 * differing fields and the first differing requests. O(1) per pair, bounded memory.
 */
export class ShadowRecorder {
  mirrored = 0;
  compared = 0;
  differing = 0;
  shadowErrors = 0;
  /** Mirrored requests in flight now (bounded by the rule's `maxConcurrent`). */
  inFlight = 0;
  readonly skipped: { -readonly [K in ShadowSkipReason]: number } = { method: 0, bodyTooLarge: 0, concurrency: 0, primaryFailed: 0, noTarget: 0 };
  readonly #statusPairs = new Map<string, number>();
  readonly #fields = new Map<string, number>();
  readonly #samples: ShadowDiffSampleDto[] = [];
  readonly #primary = new LatencyHistogram(4096);
  readonly #shadow = new LatencyHistogram(4096);
  readonly startedAtMs: number;
  #updatedAtMs: number;

  constructor(
    readonly id: string,
    readonly environment: string,
    readonly service: string,
    readonly revision: string,
    nowMs: number,
  ) {
    this.startedAtMs = nowMs;
    this.#updatedAtMs = nowMs;
  }

  /** Counts a request that was chosen for mirroring but not compared. */
  skip(reason: ShadowSkipReason, nowMs: number): void {
    this.skipped[reason]++;
    this.#updatedAtMs = nowMs;
  }

  /** Records one compared pair. */
  record(o: ShadowOutcome, nowMs: number): void {
    this.compared++;
    this.#updatedAtMs = nowMs;
    this.#primary.observe(o.primarySeconds, nowMs);
    if (o.shadowSeconds !== null) this.#shadow.observe(o.shadowSeconds, nowMs);
    if (o.error !== null) this.shadowErrors++;
    if (o.fields.length === 0 && o.error === null) return;
    this.differing++;
    const pair = `${o.primaryStatus}→${o.shadowStatus ?? 'error'}`;
    this.#statusPairs.set(pair, (this.#statusPairs.get(pair) ?? 0) + 1);
    for (const f of o.fields) {
      const n = this.#fields.get(f);
      if (n !== undefined) this.#fields.set(f, n + 1);
      else if (this.#fields.size < MAX_SHADOW_FIELDS) this.#fields.set(f, 1);
    }
    if (this.#samples.length < MAX_SHADOW_SAMPLES) {
      this.#samples.push({
        atMs: nowMs,
        method: o.method,
        path: o.url.split('?')[0] ?? '/',
        primaryStatus: o.primaryStatus,
        shadowStatus: o.shadowStatus,
        fields: [...o.fields],
        primaryMs: round(o.primarySeconds * 1000),
        shadowMs: o.shadowSeconds === null ? null : round(o.shadowSeconds * 1000),
        error: o.error,
      });
    }
  }

  /** The report as the admin API serves it. */
  report(): ShadowReportDto {
    const p = this.#primary.percentiles(this.startedAtMs);
    const s = this.#shadow.percentiles(this.startedAtMs);
    const ms = (v: number | null) => (v === null ? null : round(v * 1000));
    return {
      id: this.id,
      environment: this.environment,
      service: this.service,
      revision: this.revision,
      startedAtMs: this.startedAtMs,
      updatedAtMs: this.#updatedAtMs,
      mirrored: this.mirrored,
      compared: this.compared,
      differing: this.differing,
      shadowErrors: this.shadowErrors,
      skipped: { ...this.skipped },
      statusPairs: Object.fromEntries(this.#statusPairs),
      fields: Object.fromEntries([...this.#fields].sort((a, b) => b[1] - a[1])),
      latency: {
        primaryP50Ms: ms(p.p50Seconds),
        primaryP99Ms: ms(p.p99Seconds),
        shadowP50Ms: ms(s.p50Seconds),
        shadowP99Ms: ms(s.p99Seconds),
        p99Ratio: p.p99Seconds !== null && s.p99Seconds !== null && p.p99Seconds > 0 ? Math.round((s.p99Seconds / p.p99Seconds) * 1000) / 1000 : null,
      },
      samples: [...this.#samples],
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Reports of rules no longer in the table that are kept for the control plane to read. */
const KEEP_FINISHED = 32;

/**
 * The shadow recorders by rule id. A recorder lives while its rule is in the table (so its
 * totals carry over table swaps) and is kept a while after, so a control plane that removes
 * the rule can still read the final report.
 */
export class ShadowRegistry {
  readonly #recorders = new Map<string, ShadowRecorder>();
  #active = new Set<string>();

  /** The recorder of rule `id`, created when it is new. */
  obtain(id: string, environment: string, service: string, revision: string, nowMs: number): ShadowRecorder {
    let r = this.#recorders.get(id);
    if (r === undefined || r.environment !== environment || r.service !== service || r.revision !== revision) {
      r = new ShadowRecorder(id, environment, service, revision, nowMs);
      this.#recorders.delete(id);
      this.#recorders.set(id, r);
    }
    return r;
  }

  /** Marks the rules of the table just compiled; the oldest finished ones beyond a bound are forgotten. */
  retain(active: ReadonlySet<string>): void {
    this.#active = new Set(active);
    const finished = [...this.#recorders.keys()].filter((id) => !this.#active.has(id));
    for (const id of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.#recorders.delete(id);
  }

  /** The recorder of rule `id`, if known. */
  get(id: string): ShadowRecorder | undefined {
    return this.#recorders.get(id);
  }

  /** Every known rule id with whether it is in the served table. */
  list(): { readonly id: string; readonly active: boolean }[] {
    return [...this.#recorders.keys()].map((id) => ({ id, active: this.#active.has(id) }));
  }
}
