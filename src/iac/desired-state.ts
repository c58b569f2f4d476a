import type { AttributeValue, ResolvedAlarm, ResolvedApp, ResolvedFlag, ResolvedService, ResolvedStrategy, Resource } from '../shared/index.js';

/** Stable resource ids; the same in live and desired states, plans and drift reports. */
export const resourceId = {
  environment: (env: string) => `env/${env}`,
  service: (env: string, service: string) => `service/${env}/${service}`,
  listener: (env: string) => `listener/${env}`,
  alarm: (name: string) => `alarm/${name}`,
  topic: (name: string) => `topic/${name}`,
  pipeline: () => 'pipeline/main',
  flag: (env: string, key: string) => `flag/${env}/${key}`,
  oncall: () => 'oncall/main',
} as const;

/** A value as an attribute: undefined fields dropped, so live and desired states compare equal. */
export function toAttribute(value: unknown): AttributeValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toAttribute);
  const out: Record<string, AttributeValue> = {};
  for (const key of Object.keys(value as object).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = toAttribute(v);
  }
  return out;
}

/** The attributes of a strategy a plan compares (its kind and its parameters). */
export function strategyAttribute(s: ResolvedStrategy): AttributeValue {
  return toAttribute(s);
}

/** A service's attributes in one environment. */
export function serviceAttributes(s: ResolvedService, env: string): Resource['attributes'] {
  return {
    start: s.start,
    path: s.path,
    portEnv: s.portEnv,
    env: toAttribute(s.env),
    secrets: [...s.secrets].sort(),
    health: toAttribute(s.health),
    ingressPathPrefix: s.ingressPathPrefix ?? null,
    scaling: toAttribute(s.scaling),
    environment: env,
  };
}

/** A flag's attributes in one environment: the definition it serves there (overrides merged in). */
export function flagAttributes(f: ResolvedFlag): Resource['attributes'] {
  return { default: f.defaultValue, variants: toAttribute(f.variants), rules: toAttribute(f.rules), description: f.description ?? null };
}

function alarmAttributes(a: ResolvedAlarm): Resource['attributes'] {
  // The parsed rule tree is derived from `rule`; comparing the rule text is enough.
  const { ruleTree: _tree, ...rest } = a as ResolvedAlarm & { ruleTree?: unknown };
  return toAttribute(rest) as Resource['attributes'];
}

/**
 * The desired state: the resources a resolved app model asks for. Pure, so a plan of 150
 * services costs only the diff. Dependencies: services need their environment (and the
 * services they depend on), listeners their environment, alarms their topics and the service
 * they watch, the pipeline every environment it deploys to, flags their environment (a flag is
 * a resource per environment, with that environment's override merged in), on-call (one resource:
 * users, schedules, policies and the severity map) the topics its users and levels post to.
 */
export function desiredResources(app: ResolvedApp): Resource[] {
  const out: Resource[] = [];
  for (const [name, subs] of Object.entries(app.notifications)) {
    out.push({ id: resourceId.topic(name), type: 'topic', attributes: { subscriptions: toAttribute(subs) }, dependsOn: [] });
  }
  for (const env of Object.values(app.environments)) {
    out.push({
      id: resourceId.environment(env.name),
      type: 'environment',
      attributes: { strategy: strategyAttribute(env.strategy), rollbackOn: [...env.rollbackOn], requiresApproval: env.requiresApproval, selfHeal: env.selfHeal, hooks: toAttribute(env.hooks) },
      dependsOn: [],
    });
    out.push({
      id: resourceId.listener(env.name),
      type: 'listener',
      attributes: { ingressPort: env.ingressPort, testPort: env.testPort ?? null, rules: toAttribute(ingressRules(app)) },
      dependsOn: [resourceId.environment(env.name)],
    });
    for (const s of Object.values(app.services)) {
      out.push({
        id: resourceId.service(env.name, s.name),
        type: 'service',
        attributes: serviceAttributes(s, env.name),
        dependsOn: [resourceId.environment(env.name), ...s.dependsOn.map((d) => resourceId.service(env.name, d))],
      });
    }
    for (const f of Object.values(app.flagsByEnvironment[env.name] ?? {})) {
      out.push({ id: resourceId.flag(env.name, f.key), type: 'flag', attributes: flagAttributes(f), dependsOn: [resourceId.environment(env.name)] });
    }
  }
  const o = app.oncall;
  // An app without on-call (the model's empty default) has no such resource.
  if (o !== undefined && Object.keys(o.users).length + Object.keys(o.schedules).length + Object.keys(o.escalationPolicies).length > 0) {
    const topics = new Set([...Object.values(o.users).flatMap((u) => u.topics), ...Object.values(o.escalationPolicies).flatMap((p) => p.levels.flatMap((l) => l.targets.flatMap((t) => (t.kind === 'topic' ? [t.topic] : []))))]);
    out.push({ id: resourceId.oncall(), type: 'oncall', attributes: toAttribute({ users: o.users, schedules: o.schedules, escalationPolicies: o.escalationPolicies, policyBySeverity: o.policyBySeverity }) as Resource['attributes'], dependsOn: [...topics].sort().map(resourceId.topic) });
  }
  for (const a of Object.values(app.alarms)) {
    const deps = a.notify.map(resourceId.topic);
    if (a.kind === 'Composite') deps.push(...a.references.map(resourceId.alarm));
    else if (a.service !== undefined) {
      for (const env of Object.keys(app.environments)) if (a.environment === undefined || a.environment === env) deps.push(resourceId.service(env, a.service));
    }
    out.push({ id: resourceId.alarm(a.name), type: 'alarm', attributes: alarmAttributes(a), dependsOn: deps });
  }
  if (app.pipeline) {
    const envs = new Set(app.pipeline.stages.flatMap((st) => st.actions.flatMap((a) => (a.type === 'deploy' ? [a.environment] : []))));
    out.push({ id: resourceId.pipeline(), type: 'pipeline', attributes: { trigger: toAttribute(app.pipeline.trigger), executionMode: app.pipeline.executionMode, stages: toAttribute(app.pipeline.stages) }, dependsOn: [...envs].map(resourceId.environment) });
  }
  return out;
}

/** The ingress rules of an environment's listener: path prefix → service, longest first. */
export function ingressRules(app: ResolvedApp): { pathPrefix: string; service: string }[] {
  return Object.values(app.services)
    .flatMap((s) => (s.ingressPathPrefix === undefined ? [] : [{ pathPrefix: s.ingressPathPrefix, service: s.name }]))
    .sort((a, b) => b.pathPrefix.length - a.pathPrefix.length || a.pathPrefix.localeCompare(b.pathPrefix));
}
