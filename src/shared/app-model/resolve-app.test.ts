import { describe, expect, it } from 'vitest';
import { validDefinition } from '../../../test/fixtures/configs/valid-definition.js';
import { InputError } from '../errors/index.js';
import { resolveApp, validateApp } from './validate-app.js';
import { defineApp } from './define-app.js';

describe('resolveApp', () => {
  const app = resolveApp(validDefinition());

  it('compiles an image: paths from the config folder, defaults filled, the lifecycle policy as ECR text', () => {
    const def = validDefinition() as unknown as { services: Record<string, Record<string, unknown>> };
    def.services.gateway!.runtime = 'container';
    def.services.gateway!.image = {
      context: '.',
      dockerfile: 'docker/Dockerfile.prod',
      target: 'runtime',
      buildArgs: { NODE_ENV: 'production' },
      tagMutability: 'IMMUTABLE',
      lifecyclePolicy: { rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] },
    };
    const svc = resolveApp(def as never).services.gateway!;
    expect(svc.runtime).toBe('container');
    expect(svc.image).toEqual({
      dockerfile: 'services/gateway/docker/Dockerfile.prod',
      context: 'services/gateway',
      target: 'runtime',
      buildArgs: { NODE_ENV: 'production' },
      platforms: [],
      tagMutability: 'IMMUTABLE',
      lifecyclePolicy: '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}',
      scanOnPush: true,
    });
  });

  it('fills service defaults and converts durations to ms', () => {
    // GIVEN a service with a partial health check WHEN resolved THEN every field is set
    expect(app.services.gateway).toEqual({
      name: 'gateway',
      path: 'services/gateway',
      start: 'node server.js',
      runtime: 'process',
      image: undefined,
      portEnv: 'PORT',
      health: { path: '/healthz', intervalMs: 2_000, timeoutMs: 1_000, healthyThreshold: 2, unhealthyThreshold: 3, gracePeriodMs: 10_000 },
      ingressPathPrefix: '/',
      scaling: { min: 2, max: 4, targetCpuPercent: 60, targetRequestsPerTask: undefined, targets: [], schedules: [], scaledByAlarms: [], scaleInCooldownMs: 60_000, scaleOutCooldownMs: 30_000 },
      env: { CATALOG_URL: '${services.catalog.url}' },
      urlReferences: ['catalog'],
      secrets: ['PAYMENT_API_KEY'],
      cpuUnits: 256,
      memoryMiB: 512,
      platform: 'ecs',
      dependsOn: ['catalog'],
      watch: [],
    });
    // AND a service without health or scaling gets the defaults
    expect(app.services.catalog!.health).toEqual({ path: '/healthz', intervalMs: 5_000, timeoutMs: 2_000, healthyThreshold: 2, unhealthyThreshold: 3, gracePeriodMs: 10_000 });
    expect(app.services.catalog!.scaling).toMatchObject({ min: 1, max: 1 });
  });

  it('resolves environments with their strategy and hooks', () => {
    expect(app.environments.production).toEqual({
      name: 'production',
      ingressPort: 8080,
      testPort: undefined,
      strategy: { kind: 'Canary', steps: [5, 25, 50, 100], intervalMs: 30_000, analysis: undefined, codeDeployName: undefined },
      rollbackOn: ['gateway-5xx'],
      hooks: { BeforeAllowTraffic: { kind: 'Command', command: 'npm run smoke', timeoutMs: 120_000 } },
      requiresApproval: false,
      selfHeal: false,
      platform: 'ecs',
    });
    expect(app.environments.staging!.strategy).toEqual({ kind: 'BlueGreen', testTraffic: true, bakeTimeMs: 0, terminateBlueAfterMs: 300_000, codeDeployName: undefined });
  });

  it('names actions and fills pipeline defaults', () => {
    expect(app.pipeline!.trigger).toEqual({ branches: ['main'], tags: [], preset: undefined, pollIntervalMs: 5_000 });
    expect(app.pipeline!.executionMode).toBe('SUPERSEDED');
    expect(app.pipeline!.stages.map((s) => s.actions.map((a) => [a.name, a.timeoutMs]))).toEqual([
      [['build', 3_600_000], ['secrets', 600_000]],
      [['deploy-staging', 3_600_000]],
      [['deploy-production-gateway', 3_600_000]],
    ]);
    expect(app.pipeline!.stages[0]!.actions[0]).toEqual({ type: 'build', name: 'build', runOrder: 1, timeoutMs: 3_600_000, retries: 0, buildspec: 'buildspec.yml', namespace: 'build', minLineCoverage: undefined });
  });

  it('resolves the three kinds of alarm', () => {
    expect(app.alarms['gateway-5xx']).toMatchObject({ kind: 'Metric', stat: 'Sum', periodMs: 10_000, evaluationPeriods: 3, datapointsToAlarm: 2, comparison: 'GreaterThanThreshold', treatMissingData: 'missing' });
    expect(app.alarms['gateway-slow']).toMatchObject({ kind: 'Anomaly', band: 2, stat: 'Average', periodMs: 60_000, evaluationPeriods: 1, datapointsToAlarm: 1, comparison: 'LessThanLowerOrGreaterThanUpperThreshold' });
    expect(app.alarms['gateway-bad']).toMatchObject({ kind: 'Composite', references: ['gateway-5xx', 'gateway-slow'] });
  });

  it('fills the remaining sections', () => {
    expect(app.flags.newCheckout).toEqual({ key: 'newCheckout', defaultValue: false, variants: undefined, rules: [{ percentage: 10, match: {}, value: true }], description: undefined });
    expect(app.artifacts).toEqual({ keepLast: 10, expireUntaggedAfterMs: 604_800_000 });
    expect(app.notifications.oncall).toEqual([{ type: 'webhook', url: 'http://127.0.0.1:9000/hook', secret: undefined }]);
    expect(app.dashboards).toEqual({});
    // Telemetry ingest is closed unless the definition opts in.
    const noRetention = { logsMs: undefined, spansMs: undefined, metricsMs: undefined, logGroupsMs: {} };
    expect(app.telemetry).toEqual({ allowUnauthenticated: false, retention: noRetention });
    expect(resolveApp({ ...validDefinition(), telemetry: { allowUnauthenticated: true } }).telemetry).toEqual({ allowUnauthenticated: true, retention: noRetention });
    expect(resolveApp({ ...validDefinition(), telemetry: { retention: { logs: '14d', logGroups: { '/slipway/production/router': '1d' } } } }).telemetry.retention).toEqual({
      ...noRetention,
      logsMs: 14 * 86_400_000,
      logGroupsMs: { '/slipway/production/router': 86_400_000 },
    });
    // Real-user monitoring: origins as browsers send them (no trailing slash, once each); the browser's name and the page servers defaulted.
    expect(app.telemetry.rum).toBeUndefined();
    expect(resolveApp({ ...validDefinition(), telemetry: { rum: { origins: ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080', 'https://shop.example.com'] } } }).telemetry.rum).toEqual({
      origins: ['http://127.0.0.1:8080', 'https://shop.example.com'],
      serviceName: 'shop-web',
      servedBy: ['gateway', 'catalog'],
    });
  });

  it('is deeply frozen', () => {
    expect(Object.isFrozen(app)).toBe(true);
    expect(Object.isFrozen(app.services.gateway!.health)).toBe(true);
    expect(Object.isFrozen(app.pipeline!.stages[0]!.actions)).toBe(true);
    expect(() => {
      (app.services.gateway!.scaling as { min: number }).min = 9;
    }).toThrow(TypeError);
  });

  it('does not share or freeze the definition it was given', () => {
    // GIVEN a definition WHEN resolved THEN the definition stays mutable
    const definition = validDefinition();
    resolveApp(definition);
    expect(Object.isFrozen(definition.services)).toBe(false);
  });

  it('throws an InputError with the issues of an invalid definition', () => {
    const definition = { ...validDefinition(), name: 'Shop' };
    expect(() => resolveApp(definition)).toThrow(InputError);
    expect(() => resolveApp(definition)).toThrow(
      expect.objectContaining({
        code: 'SLW_ERR_CONFIG_INVALID',
        message: 'name: "Shop" is not a valid name: use lowercase letters, digits and hyphens, start with a letter, at most 63 characters',
        issues: [{ path: 'name', message: '"Shop" is not a valid name: use lowercase letters, digits and hyphens, start with a letter, at most 63 characters' }],
      }),
    );
  });

  it('keeps requiresApproval and subscription filters', () => {
    // GIVEN an environment that requires approval and subscriptions with and without filters
    const def = validDefinition();
    def.environments.production!.requiresApproval = true;
    def.notifications = {
      oncall: [
        { type: 'slack', url: 'https://hooks.slack.com/services/x', filter: { events: ['deployment.*', 'incident.opened'], severities: ['critical'] } },
        { type: 'file', path: 'all.jsonl', filter: { severities: ['warning', 'info'] } },
        { type: 'webhook', url: 'http://127.0.0.1:9000/hook' },
      ],
    };
    // WHEN resolved THEN the flag and each filter are in the compiled model, an absent filter stays absent
    const resolved = resolveApp(def);
    expect([resolved.environments.production!.requiresApproval, resolved.environments.staging!.requiresApproval]).toEqual([true, false]);
    expect(resolved.notifications.oncall).toEqual([
      { type: 'slack', url: 'https://hooks.slack.com/services/x', filter: { events: ['deployment.*', 'incident.opened'], severities: ['critical'] } },
      { type: 'file', path: 'all.jsonl', filter: { severities: ['warning', 'info'] } },
      { type: 'webhook', url: 'http://127.0.0.1:9000/hook', secret: undefined },
    ]);
  });

  it('resolves gitflow branches, email subscriptions and widget titles', () => {
    const result = validateApp(
      defineApp({
        ...validDefinition(),
        pipeline: { trigger: { preset: 'gitflow' }, stages: [{ name: 'Build', actions: [{ type: 'build' }] }] },
        notifications: { ...validDefinition().notifications, team: [{ type: 'email', to: 'team@example.com' }] },
        dashboards: { overview: { widgets: [{ type: 'metric', metric: 'RequestCount', service: 'gateway' }, { type: 'alarms', alarms: ['gateway-5xx'] }] } },
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.app.pipeline!.trigger.branches).toEqual(['main', 'develop', 'release/*', 'hotfix/*']);
    expect(result.app.notifications.team).toEqual([{ type: 'email', to: ['team@example.com'], smtp: { host: '127.0.0.1', port: 25, from: 'slipway@localhost' } }]);
    expect(result.app.dashboards.overview!.widgets).toEqual([
      { type: 'metric', title: 'RequestCount', metric: 'RequestCount', service: 'gateway', environment: undefined, stat: 'Average', periodMs: 60_000 },
      { type: 'alarms', title: 'Alarms', alarms: ['gateway-5xx'] },
    ]);
  });
});
