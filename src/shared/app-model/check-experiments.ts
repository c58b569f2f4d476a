import type { Issue } from '../errors/index.js';
import { servableValues } from './compile-experiment.js';
import { compileFlag } from './compile-flag.js';
import { noSuchMessage } from './names.js';
import type { ParsedAppDefinition } from './schema/app.js';

/**
 * Checks experiments: the flag exists; the control and every variant are values it can serve
 * (variant names for a flag with variants), each listed once; the environments and services named
 * exist.
 */
export function checkExperiments(app: ParsedAppDefinition, issues: Issue[]): void {
  const flags = Object.keys(app.flags ?? {});
  const services = Object.keys(app.services);
  const environments = Object.keys(app.environments);
  for (const [name, e] of Object.entries(app.experiments ?? {})) {
    const at = `experiments.${name}`;
    const def = app.flags?.[e.flag];
    if (def === undefined) {
      issues.push({ path: `${at}.flag`, message: noSuchMessage('flag', e.flag, flags) });
    } else {
      const servable = servableValues(compileFlag(e.flag, def));
      const what = def.variants === undefined ? `value flag "${e.flag}" serves` : `variant of flag "${e.flag}"`;
      const check = (value: unknown, path: string): void => {
        if (!servable.includes(value as never)) issues.push({ path, message: `${JSON.stringify(value)} is no ${what} (it serves ${servable.map((v) => JSON.stringify(v)).join(', ')})` });
      };
      check(e.control, `${at}.control`);
      const variants = e.variants ?? [];
      variants.forEach((v, i) => {
        check(v, `${at}.variants[${i}]`);
        const first = variants.indexOf(v);
        if (first !== i) issues.push({ path: `${at}.variants[${i}]`, message: `variant ${JSON.stringify(v)} is listed twice (first at [${first}])` });
      });
      if (e.variants !== undefined && !variants.includes(e.control)) issues.push({ path: `${at}.variants`, message: `the variants must include the control ${JSON.stringify(e.control)}` });
      if (e.variants === undefined && servable.length < 2) issues.push({ path: `${at}.flag`, message: `flag "${e.flag}" serves only ${JSON.stringify(servable[0])}: an experiment needs at least 2 variants` });
    }
    (e.environments ?? []).forEach((env, i) => {
      if (!environments.includes(env)) issues.push({ path: `${at}.environments[${i}]`, message: noSuchMessage('environment', env, environments) });
    });
    const selectors: [string, string | undefined][] =
      e.primary.kind === 'conversion' ? [[`${at}.primary.exposure.service`, e.primary.exposure.service], [`${at}.primary.conversion.service`, e.primary.conversion.service]] : [[`${at}.primary.of.service`, e.primary.of.service]];
    for (const [g, guardrail] of Object.entries(e.guardrails ?? {})) selectors.push([`${at}.guardrails.${g}.service`, guardrail.service]);
    if (e.primary.kind === 'mean' && 'log' in e.primary.of && e.primary.attribute === undefined) {
      issues.push({ path: `${at}.primary.attribute`, message: 'a mean of log records needs the numeric attribute to average (log records have no duration)' });
    }
    for (const [path, service] of selectors) {
      if (service !== undefined && !services.includes(service)) issues.push({ path, message: noSuchMessage('service', service, services) });
    }
  }
}
