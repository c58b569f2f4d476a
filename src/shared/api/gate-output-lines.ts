import type { AnalysisOutputDto, LoadTestOutputDto } from './pipelines.js';

/**
 * A load test's figures as text: requests, rate and errors by status; the latency percentiles; one
 * `PASS`/`FAIL` line per threshold with the measured value. The run log and `slipway pipeline show`
 * print the same lines.
 */
export function loadTestLines(o: LoadTestOutputDto): string[] {
  const statuses = Object.entries(o.byStatus).map(([s, n]) => `${s}: ${n}`).join(', ');
  const l = o.latencyMs;
  return [
    `requests ${o.requests} in ${o.durationMs} ms (${o.ratePerSecond}/s), errors ${o.errors} (${(o.errorRate * 100).toFixed(2)}%)${statuses ? `, by status ${statuses}` : ''}`,
    l === undefined ? 'latency: no request completed' : `latency ms: min ${l.min}, mean ${l.mean}, p50 ${l.p50}, p90 ${l.p90}, p95 ${l.p95}, p99 ${l.p99}, max ${l.max}`,
    ...o.thresholds.map((t) => `${t.ok ? 'PASS' : 'FAIL'} ${t.threshold} ${t.threshold === 'minRequests' ? '>=' : '<='} ${t.limit}: measured ${t.value ?? 'nothing'}`),
  ];
}

/** A static analysis as text: the counts by level, then the first `shown` findings (`LEVEL file:line rule: message`). */
export function analysisLines(o: AnalysisOutputDto, shown = 10): string[] {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const lines = [`${o.tool}: ${n(o.counts.error, 'error')}, ${n(o.counts.warning, 'warning')}, ${n(o.counts.note, 'note')} (fails on ${o.failOn})`];
  for (const f of o.findings.slice(0, shown)) lines.push(`${f.level.toUpperCase()} ${f.file}${f.line > 0 ? `:${f.line}` : ''} ${f.rule}: ${f.message}`);
  const more = o.findings.length + o.findingsOmitted - Math.min(shown, o.findings.length);
  if (more > 0) lines.push(`... and ${more} more`);
  return lines;
}
