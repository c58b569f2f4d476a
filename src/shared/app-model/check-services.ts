import type { Issue } from '../errors/index.js';
import { parseDuration } from './duration.js';
import { DEFAULT_HEALTH_INTERVAL } from './compile-app.js';
import { findCycle } from './find-cycle.js';
import { parseLifecyclePolicy } from './lifecycle/parse-policy.js';
import { envReferences } from './interpolation.js';
import { noSuchMessage } from './names.js';
import type { ParsedAppDefinition } from './schema/app.js';

/** Checks what the schema cannot see inside services: references, scaling bounds, cycles, clashes. */
export function checkServices(app: ParsedAppDefinition, issues: Issue[]): void {
  const names = Object.keys(app.services);
  const prefixes = new Map<string, string>();
  for (const [name, service] of Object.entries(app.services)) {
    const at = `services.${name}`;
    for (const [key, value] of Object.entries(service.env ?? {})) {
      for (const ref of envReferences(value)) {
        if (!ref.ok) issues.push({ path: `${at}.env.${key}`, message: `unknown placeholder "${ref.text}": the only form is \${services.<name>.url}` });
        else if (!names.includes(ref.service)) issues.push({ path: `${at}.env.${key}`, message: noSuchMessage('service', ref.service, names) });
      }
    }
    (service.dependsOn ?? []).forEach((dep, i) => {
      if (dep === name) issues.push({ path: `${at}.dependsOn[${i}]`, message: 'a service cannot depend on itself' });
      else if (!names.includes(dep)) issues.push({ path: `${at}.dependsOn[${i}]`, message: noSuchMessage('service', dep, names) });
    });
    const min = service.scaling?.min ?? 1;
    const max = service.scaling?.max;
    if (max !== undefined && min > max) issues.push({ path: `${at}.scaling.max`, message: `max (${max}) must be at least min (${min})` });
    const health = service.health;
    if (health?.timeout !== undefined && parseDuration(health.timeout) >= parseDuration(health.interval ?? DEFAULT_HEALTH_INTERVAL)) {
      issues.push({ path: `${at}.health.timeout`, message: `timeout (${health.timeout}) must be shorter than interval (${health.interval ?? DEFAULT_HEALTH_INTERVAL})` });
    }
    if (service.runtime === 'container' && service.image === undefined) {
      issues.push({ path: `${at}.runtime`, message: "runtime 'container' needs an image: add image: {} (a Dockerfile in the service's folder) or image: { dockerfile, context }" });
    }
    if (service.image?.lifecyclePolicy !== undefined) {
      try {
        parseLifecyclePolicy(service.image.lifecyclePolicy, `${at}.image.lifecyclePolicy`);
      } catch (err) {
        issues.push(...((err as { issues?: Issue[] }).issues ?? [{ path: `${at}.image.lifecyclePolicy`, message: (err as Error).message }]));
      }
    }
    const prefix = service.ingress?.pathPrefix;
    if (prefix !== undefined) {
      const other = prefixes.get(prefix);
      if (other !== undefined) issues.push({ path: `${at}.ingress.pathPrefix`, message: `path prefix "${prefix}" is already used by ${other}` });
      else prefixes.set(prefix, `services.${name}.ingress.pathPrefix`);
    }
  }
  checkRum(app, names, issues);
  const cycle = findCycle(names, (n) => (app.services[n]?.dependsOn ?? []).filter((d) => d !== n && names.includes(d)));
  if (cycle !== undefined) issues.push({ path: `services.${cycle[0]}.dependsOn`, message: `services depend on each other in a cycle: ${cycle.join(' → ')}` });
}

// The browser's spans must not pass for a service's own: the name is another node of the service map.
function checkRum(app: ParsedAppDefinition, names: readonly string[], issues: Issue[]): void {
  const rum = app.telemetry?.rum;
  if (rum === undefined) return;
  const serviceName = rum.serviceName ?? `${app.name}-web`;
  if (names.includes(serviceName)) {
    issues.push({ path: 'telemetry.rum.serviceName', message: `"${serviceName}" is the name of one of the app's services: the browser needs a name of its own (serviceName)` });
  }
  (rum.servedBy ?? []).forEach((s, i) => {
    if (!names.includes(s)) issues.push({ path: `telemetry.rum.servedBy[${i}]`, message: noSuchMessage('service', s, names) });
  });
  if (rum.servedBy === undefined && !names.some((n) => app.services[n]?.ingress !== undefined)) {
    issues.push({ path: 'telemetry.rum.servedBy', message: 'no service has an ingress to serve pages: name the services that serve them in servedBy' });
  }
}
