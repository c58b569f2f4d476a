import { describe, expect, it } from 'vitest';
import { resolveStrategy } from './resolve-strategy.js';
import { strategySchema } from './schema/strategy.js';

const issues = (input: unknown) => {
  const r = strategySchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the shadow option of a strategy', () => {
  it('GIVEN a canary with a shadow WHEN resolved THEN every default is filled in, durations in ms', () => {
    const s = resolveStrategy(strategySchema.parse({ type: 'canary', steps: [10, 100], interval: '30s', shadow: { duration: '30s', ignore: ['$.timestamp', 'headers.date'] } }), { hasTestPort: false, rollbackOn: [] });
    expect(s.kind === 'Canary' ? s.shadow : undefined).toEqual({
      percent: 100,
      durationMs: 30_000,
      maxDiffPercent: 0,
      maxLatencyRatio: undefined,
      minRequestCount: 10,
      ignore: ['$.timestamp', 'headers.date'],
      methods: ['GET', 'HEAD', 'OPTIONS'],
      maxBodyBytes: 1_048_576,
      maxConcurrent: 32,
      timeoutMs: 10_000,
      compareHeaders: true,
      compareBody: 'auto',
    });
  });

  it('GIVEN no shadow WHEN resolved THEN the strategy has no shadow key (plans and stored strategies stay as they were)', () => {
    const s = resolveStrategy(strategySchema.parse({ type: 'linear', percent: 50, every: '1m' }), { hasTestPort: false, rollbackOn: [] });
    expect('shadow' in s).toBe(false);
  });

  it.each([
    // GIVEN a bad shadow WHEN validated THEN the issue names the field and what is allowed
    [{ type: 'canary', steps: [100], interval: '1s', shadow: { duration: '1s', percent: 120 } }, 'shadow.percent: Too big: expected number to be <=100'],
    [{ type: 'canary', steps: [100], interval: '1s', shadow: { duration: '1s', percent: 0 } }, 'shadow.percent: Too small: expected number to be >=1'],
    [{ type: 'canary', steps: [100], interval: '1s', shadow: { percent: 10 } }, 'shadow.duration'],
    [{ type: 'canary', steps: [100], interval: '1s', shadow: { duration: '1s', ignore: ['timestamp'] } }, 'shadow.ignore.0: "timestamp" is not a JSON path: it must start with $'],
    [{ type: 'canary', steps: [100], interval: '1s', shadow: { duration: '1s', ignore: ['$.a[?(@.x)]'] } }, 'shadow.ignore.0: "$.a[?(@.x)]" is not a JSON path'],
    [{ type: 'canary', steps: [100], interval: '1s', shadow: { duration: '1s', methods: ['CONNECT'] } }, 'shadow.methods.0'],
    [{ type: 'canary', steps: [100], interval: '1s', shadow: { duration: '1s', maxDiffPercent: -1 } }, 'shadow.maxDiffPercent'],
    [{ type: 'canary', steps: [100], interval: '1s', shadow: { duration: '1s', mirrorUnsafe: true } }, 'shadow: '],
    [{ type: 'rolling', batchSize: 1, shadow: { duration: '1s' } }, ': shadow needs the new revision running beside the old one before it takes traffic: use canary, linear or blueGreen'],
  ])('%j → %s', (input, expected) => {
    expect(issues(input).join('\n')).toContain(expected);
  });
});
