import { describe, expect, it } from 'vitest';
import type { ResolvedShadow, ShadowReportDto } from '../../shared/index.js';
import { assessShadow, shadowOutcome } from './assess-shadow.js';

const config: ResolvedShadow = {
  percent: 100,
  durationMs: 1000,
  maxDiffPercent: 1,
  maxLatencyRatio: 2,
  minRequestCount: 10,
  ignore: [],
  methods: ['GET'],
  maxBodyBytes: 1024,
  maxConcurrent: 8,
  timeoutMs: 1000,
  compareHeaders: true,
  compareBody: 'auto',
};

const report = (compared: number, differing: number, p99Ratio: number | null = 1, fields: Record<string, number> = {}): ShadowReportDto => ({
  id: 'x',
  environment: 'e',
  service: 's',
  revision: 'r',
  startedAtMs: 0,
  updatedAtMs: 0,
  mirrored: compared,
  compared,
  differing,
  shadowErrors: 0,
  skipped: { method: 0, bodyTooLarge: 0, concurrency: 0, primaryFailed: 0, noTarget: 0 },
  statusPairs: {},
  fields,
  latency: { primaryP50Ms: 1, primaryP99Ms: 2, shadowP50Ms: 1, shadowP99Ms: p99Ratio === null ? null : 2 * p99Ratio, p99Ratio },
  samples: [],
});

describe('assessShadow', () => {
  it.each([
    // GIVEN a report WHEN judged against maxDiffPercent 1, maxLatencyRatio 2, minRequests 10 THEN this verdict
    ['too few compared', report(9, 0), 'Inconclusive', 0],
    ['nothing compared', report(0, 0), 'Inconclusive', null],
    ['nothing differs', report(100, 0), 'Successful', 0],
    ['exactly at the limit', report(100, 1), 'Successful', 1],
    ['10 % differ', report(100, 10, 1, { '$.price': 10 }), 'Failed', 10],
    ['latency ratio above the limit', report(100, 0, 2.5), 'Failed', 0],
    ['latency unknown is not a failure', report(100, 0, null), 'Successful', 0],
  ] as const)('%s', (_name, r, verdict, differingPercent) => {
    const a = assessShadow(r, config);
    expect([a.verdict, a.differingPercent]).toEqual([verdict, differingPercent]);
  });

  it('names the share and the most frequent differing fields when it fails', () => {
    expect(assessShadow(report(50, 5, 1, { '$.price': 5, status: 1 }), config).reasons).toEqual(['10% of answers differ (5 of 50), more than 1%: $.price ×5, status ×1']);
  });

  it('maps verdicts to outcomes: Inconclusive and Error pause, never guess', () => {
    expect(['Successful', 'Failed', 'Inconclusive', 'Error'].map((v) => shadowOutcome(v as never))).toEqual(['continue', 'rollback', 'pause', 'pause']);
  });
});
