// The benchmark's app model: 50 services × 3 environments, two alarms per gateway-like service,
// a topic, a pipeline through every environment; and the commit that changes it.

export const SERVICES = 50;
export const ENVIRONMENTS = ['dev', 'staging', 'production'];

const health = { path: '/healthz', interval: '5s', timeout: '2s', unhealthyThreshold: 3 };
const name = (i) => `svc-${String(i).padStart(2, '0')}`;

/** The model before the commit, as a user writes it (a plain object: resolveApp validates it). */
export function baseDefinition(canary) {
  const services = {};
  for (let i = 0; i < SERVICES; i++) {
    services[name(i)] = {
      path: `services/${name(i)}`,
      start: 'node server.js',
      health,
      ...(i % 5 === 0 ? { ingress: { pathPrefix: `/${name(i)}` } } : {}),
      scaling: { min: 1, max: 4, targetCpuPercent: 60 },
      env: { LOG_LEVEL: 'info', NEXT_URL: `\${services.${name((i + 1) % SERVICES)}.url}`, INDEX: String(i) },
      ...(i % 3 === 0 ? { secrets: ['API_KEY'] } : {}),
      ...(i > 0 && i % 10 === 0 ? { dependsOn: [name(i - 1)] } : {}),
    };
  }
  const alarms = {};
  for (let i = 0; i < SERVICES; i += 5) {
    alarms[`${name(i)}-5xx`] = { metric: 'HTTPCode_Target_5XX_Count', service: name(i), stat: 'Sum', period: '1m', threshold: 5, evaluationPeriods: 3, datapointsToAlarm: 2, notify: ['oncall'] };
    alarms[`${name(i)}-p99`] = { metric: 'TargetResponseTime', service: name(i), stat: 'p99', period: '1m', threshold: 0.5, evaluationPeriods: 3, notify: ['oncall'] };
  }
  return {
    name: 'bench',
    services,
    environments: {
      dev: { ingressPort: 8082, strategy: 'CodeDeployDefault.AllAtOnce' },
      staging: { ingressPort: 8081, strategy: 'CodeDeployDefault.HalfAtATime' },
      production: { ingressPort: 8080, strategy: canary({ steps: [5, 25, 50, 100], interval: '30s' }), rollbackOn: ['svc-00-5xx', 'svc-00-p99'], requiresApproval: true },
    },
    pipeline: {
      trigger: { branches: ['main'] },
      stages: [
        { name: 'Build', actions: [{ type: 'build', buildspec: 'buildspec.yml' }] },
        { name: 'Dev', actions: [{ type: 'deploy', environment: 'dev' }] },
        { name: 'Staging', actions: [{ type: 'deploy', environment: 'staging' }] },
        { name: 'Approve', actions: [{ type: 'approval', timeout: '1h' }] },
        { name: 'Production', actions: [{ type: 'deploy', environment: 'production' }] },
      ],
    },
    alarms,
    notifications: { oncall: [{ type: 'webhook', url: 'http://127.0.0.1:9000/hook' }] },
  };
}

/** The commit: an alarm added, a service's scaling minimum raised, production's strategy switched. */
export function commitDefinition(canary) {
  const def = baseDefinition(canary);
  def.alarms['svc-07-5xx'] = { metric: 'HTTPCode_Target_5XX_Count', service: 'svc-07', stat: 'Sum', period: '1m', threshold: 3, evaluationPeriods: 3, notify: ['oncall'] };
  def.services['svc-12'].scaling = { ...def.services['svc-12'].scaling, min: 2 };
  def.environments.production.strategy = 'CodeDeployDefault.ECSLinear10PercentEvery1Minutes';
  return def;
}

/** The changes the commit must plan, as `<action> <resource id>`: anything else is a planner bug. */
export const EXPECTED_CHANGES = ['Modify env/production', ...ENVIRONMENTS.map((e) => `Modify service/${e}/svc-12`), 'Add alarm/svc-07-5xx'].sort();
