import { describe, expect, it } from 'vitest';
import { resolveApp, type FlagMatchValue } from '../../../shared/index.js';
import { appConfigFlagDocument, ruleExpression } from './flag-document.js';
import { cloudWatchPeriod, metricSource } from './metric-source.js';
import { pushFilters } from './pipeline-triggers.js';
import { ALB_HEALTH_LIMITS, appRunnerSize, fitHealthCheck } from './service-limits.js';
import { nodeDockerfile } from './dockerfile.js';
import { limitName, pascalCase } from './names.js';

describe('cloudWatchPeriod', () => {
  it.each([
    [10_000, 60, true],
    [60_000, 60, false],
    [90_000, 120, true],
    [300_000, 300, false],
  ])('%i ms → %i s (changed: %s)', (ms, seconds, changed) => {
    const p = cloudWatchPeriod(ms);
    expect(p.seconds).toBe(seconds);
    expect(p.difference !== undefined).toBe(changed);
  });
});

describe('metricSource', () => {
  it.each([
    ['HTTPCode_Target_5XX_Count', 'AlbTarget'],
    ['TargetResponseTime', 'AlbTarget'],
    ['HTTPCode_ELB_5XX_Count', 'AlbLoadBalancer'],
    ['CPUUtilization', 'Ecs'],
    ['RunningTaskCount', 'ContainerInsights'],
    ['checkout.latency', 'Custom'],
  ])('%s is %s', (metric, source) => expect(metricSource(metric)).toBe(source));
});

describe('pushFilters', () => {
  it('gives the gitflow preset its four branch patterns and tags their own filter', () => {
    const app = resolveApp({
      name: 'a',
      services: { web: { path: 'web', start: 'node s.js' } },
      environments: { prod: { ingressPort: 8080 } },
      pipeline: { trigger: { preset: 'gitflow', tags: ['v*'] }, stages: [{ name: 'Build', actions: [{ type: 'build' }] }] },
    });
    const f = pushFilters(app.pipeline!.trigger);
    expect(f.filters).toEqual([{ branchesIncludes: ['main', 'develop', 'release/*', 'hotfix/*'] }, { tagsIncludes: ['v*'] }]);
    expect(f.defaultBranch).toBe('main');
    expect(f.differences).toEqual([]);
  });
});

describe('appConfigFlagDocument', () => {
  it('writes boolean flags as enabled states and rules as variants before the default', () => {
    const app = resolveApp({
      name: 'a',
      services: { web: { path: 'web', start: 'node s.js' } },
      environments: { prod: { ingressPort: 8080 } },
      flags: {
        newCheckout: { default: false, rules: [{ percentage: 10, value: true }] },
        banner: { default: 'off', description: 'top banner', rules: [{ match: { plan: 'pro' }, value: 'gold' }] },
        plain: { default: true },
      },
    });
    const doc = appConfigFlagDocument(app.flags);
    expect(doc.version).toBe('1');
    expect(doc.flags.newCheckout).toEqual({ name: 'newCheckout' });
    expect(doc.values.newCheckout).toEqual({ _variants: [{ name: 'rule-1', enabled: true, rule: '(split by::$targetingKey pct::10)' }, { name: 'default', enabled: false }] });
    expect(doc.flags.banner).toEqual({ name: 'banner', description: 'top banner', attributes: { value: { constraints: { type: 'string' } } } });
    expect(doc.values.banner).toEqual({
      _variants: [
        { name: 'rule-1', enabled: true, rule: '(eq $plan "pro")', attributeValues: { value: 'gold' } },
        { name: 'default', enabled: true, attributeValues: { value: 'off' } },
      ],
    });
    expect(doc.values.plain).toEqual({ enabled: true });
  });

  it('combines match and percentage with and', () => {
    expect(ruleExpression({ tier: 'gold', beta: true }, 25)).toBe('(and (eq $tier "gold") (eq $beta true) (split by::$targetingKey pct::25))');
  });

  it.each<[Record<string, FlagMatchValue>, string]>([
    // GIVEN a condition WHEN synthesized THEN AppConfig's expression
    [{ country: { in: ['de', 'fr'] } }, '(in $country ["de", "fr"])'],
    [{ country: { notIn: ['de'] } }, '(and (exists key::"country") (not (in $country ["de"])))'],
    [{ email: { startsWith: 'ana' } }, '(begins_with $email "ana")'],
    [{ email: { endsWith: '@acme.io' } }, '(ends_with $email "@acme.io")'],
    [{ promo: { contains: 'WIN' } }, '(contains $promo "WIN")'],
    [{ age: { gte: 18, lt: 65 } }, '(and (gte $age 18) (lt $age 65))'],
    [{ age: { gt: 1.5, lte: 2 } }, '(and (gt $age 1.5) (lte $age 2))'],
    [{ beta: { exists: true } }, '(exists key::"beta")'],
    [{ beta: { notExists: true } }, '(not (exists key::"beta"))'],
  ])('maps %j', (match, expected) => {
    expect(ruleExpression(match, 100)).toBe(expected);
  });

  it('splits by the rule\'s stickiness attribute', () => {
    expect(ruleExpression({}, 10, 'accountId')).toBe('(split by::$accountId pct::10)');
  });

  it('writes a segment\'s conditions into the rule, and refuses semver comparisons with the path', () => {
    const app = resolveApp({
      name: 'a',
      services: { web: { path: 'web', start: 'node s.js' } },
      environments: { prod: { ingressPort: 8080 } },
      segments: { beta: { match: { email: { endsWith: '@acme.io' } } } },
      flags: {
        a: { default: false, rules: [{ segment: 'beta', match: { plan: 'pro' }, value: true }] },
        b: { default: false, rules: [{ match: { appVersion: { semverGte: '2.1.0' } }, value: true }] },
      },
    });
    expect(appConfigFlagDocument({ a: app.flags.a! }).values.a).toMatchObject({ _variants: [{ rule: '(and (ends_with $email "@acme.io") (eq $plan "pro"))' }, { name: 'default' }] });
    expect(() => appConfigFlagDocument(app.flags, { environment: 'prod' })).toThrow(
      expect.objectContaining({ code: 'SLW_ERR_SYNTH_UNMAPPABLE', message: expect.stringContaining('flags.b.environments.prod.rules[0].match.appVersion.semverGte: AppConfig\'s rule language has no version comparison') }),
    );
  });
});

describe('service limits', () => {
  it('fits a 2s/1s health check into the ALB limits and names both changes', () => {
    const fitted = fitHealthCheck({ path: '/healthz', intervalMs: 2000, timeoutMs: 1000, healthyThreshold: 2, unhealthyThreshold: 3, gracePeriodMs: 10_000 }, ALB_HEALTH_LIMITS);
    expect(fitted).toMatchObject({ intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 3 });
    expect(fitted.differences).toHaveLength(2);
  });

  it.each([
    [256, 512, '0.25 vCPU', '0.5 GB', true],
    [1024, 2048, '1 vCPU', '2 GB', true],
    [512, 2048, '1 vCPU', '2 GB', false],
    [16384, 32768, '4 vCPU', '12 GB', false],
  ])('App Runner size of %i/%i MiB is %s/%s (exact: %s)', (cpuUnits, memoryMiB, cpu, memory, exact) => {
    const size = appRunnerSize({ cpuUnits, memoryMiB });
    expect([size.cpu, size.memory]).toEqual([cpu, memory]);
    expect(size.differences.length === 0).toBe(exact);
  });
});

describe('names and the Dockerfile', () => {
  it('makes ids and bounded names', () => {
    expect(pascalCase('gateway-5xx')).toBe('Gateway5xx');
    expect(limitName('a'.repeat(40), 32)).toHaveLength(32);
    expect(limitName('short', 32)).toBe('short');
  });

  it('runs a Node service from its folder as the node user on the container port', () => {
    const app = resolveApp({ name: 'a', services: { web: { path: 'services/web', start: 'node server.js', portEnv: 'HTTP_PORT' } }, environments: { prod: { ingressPort: 8080 } } });
    const file = nodeDockerfile(app.services.web!);
    expect(file).toContain('WORKDIR /app/services/web');
    expect(file).toContain('USER node');
    expect(file).toContain('ENV HTTP_PORT=8080');
    expect(file).toContain('CMD ["/bin/sh", "-c", "exec node server.js"]');
  });
});
