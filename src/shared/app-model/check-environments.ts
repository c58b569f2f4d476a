import type { Issue } from '../errors/index.js';
import { actionName } from './action-names.js';
import { checkAnalyze, checkLoadTest } from './check-pipeline-gates.js';
import { noSuchMessage } from './names.js';
import type { ParsedAppDefinition } from './schema/app.js';

/** Checks environments: alarms they name exist, ports do not clash, test traffic has a test port. */
export function checkEnvironments(app: ParsedAppDefinition, issues: Issue[]): void {
  const alarms = Object.keys(app.alarms ?? {});
  const ports = new Map<number, string>();
  const claimPort = (port: number | undefined, path: string): void => {
    if (port === undefined || port === 0) return;
    const owner = ports.get(port);
    if (owner !== undefined) issues.push({ path, message: `port ${port} is already used by ${owner}` });
    else ports.set(port, path);
  };
  for (const [name, env] of Object.entries(app.environments)) {
    const at = `environments.${name}`;
    claimPort(env.ingressPort, `${at}.ingressPort`);
    claimPort(env.testPort, `${at}.testPort`);
    (env.rollbackOn ?? []).forEach((alarm, i) => {
      if (!alarms.includes(alarm)) issues.push({ path: `${at}.rollbackOn[${i}]`, message: noSuchMessage('alarm', alarm, alarms) });
    });
    const strategy = env.strategy;
    if (typeof strategy === 'object') {
      if (strategy.type === 'blueGreen' && strategy.testTraffic === true && env.testPort === undefined) {
        issues.push({ path: `${at}.strategy.testTraffic`, message: 'test traffic needs a testPort in the environment' });
      }
      if ((strategy.type === 'canary' || strategy.type === 'linear') && strategy.analysis?.alarms !== undefined) {
        strategy.analysis.alarms.forEach((alarm, i) => {
          if (!alarms.includes(alarm)) issues.push({ path: `${at}.strategy.analysis.alarms[${i}]`, message: noSuchMessage('alarm', alarm, alarms) });
        });
      }
    }
    if (env.hooks?.AfterAllowTestTraffic !== undefined && env.testPort === undefined) {
      issues.push({ path: `${at}.hooks.AfterAllowTestTraffic`, message: 'the AfterAllowTestTraffic hook needs a testPort in the environment' });
    }
  }
  checkPlatforms(app, issues);
}

/**
 * An EKS environment runs every service in its cluster, so a service-level platform would hold in
 * the ECS environments and silently not in the EKS one: the mix is rejected on the service's field.
 */
function checkPlatforms(app: ParsedAppDefinition, issues: Issue[]): void {
  const eks = Object.entries(app.environments).find(([, env]) => env.platform === 'eks')?.[0];
  if (eks === undefined) return;
  for (const [name, service] of Object.entries(app.services)) {
    if (service.platform === undefined) continue;
    issues.push({
      path: `services.${name}.platform`,
      message: `"${service.platform}" does not apply in environments.${eks}, which runs every service on its EKS cluster (platform "eks"): leave the service's platform unset`,
    });
  }
}

/** Checks the pipeline: unique stage and action names, and the environments, services and alarms it names. */
export function checkPipeline(app: ParsedAppDefinition, issues: Issue[]): void {
  const pipeline = app.pipeline;
  if (pipeline === undefined) return;
  const environments = Object.keys(app.environments);
  const services = Object.keys(app.services);
  const alarms = Object.keys(app.alarms ?? {});
  const stageNames = new Map<string, number>();
  const namespaces = new Map<string, string>();
  pipeline.stages.forEach((stage, s) => {
    const at = `pipeline.stages[${s}]`;
    const firstStage = stageNames.get(stage.name);
    if (firstStage !== undefined) issues.push({ path: `${at}.name`, message: `stage name "${stage.name}" is already used by pipeline.stages[${firstStage}]` });
    else stageNames.set(stage.name, s);
    (stage.beforeEntry?.alarms ?? []).forEach((alarm, i) => {
      if (!alarms.includes(alarm)) issues.push({ path: `${at}.beforeEntry.alarms[${i}]`, message: noSuchMessage('alarm', alarm, alarms) });
    });
    const actionNames = new Map<string, number>();
    stage.actions.forEach((action, a) => {
      const actionAt = `${at}.actions[${a}]`;
      const name = actionName(action);
      const first = actionNames.get(name);
      if (first !== undefined) issues.push({ path: `${actionAt}.name`, message: `action name "${name}" is already used by ${at}.actions[${first}]` });
      else actionNames.set(name, a);
      if (action.type === 'build' && action.namespace !== undefined) {
        const seen = namespaces.get(action.namespace);
        if (action.namespace === 'SourceVariables' || action.namespace === 'codepipeline') issues.push({ path: `${actionAt}.namespace`, message: `namespace "${action.namespace}" is reserved for the pipeline's own variables` });
        else if (seen !== undefined) issues.push({ path: `${actionAt}.namespace`, message: `namespace "${action.namespace}" is already used by ${seen}` });
        else namespaces.set(action.namespace, actionAt);
      }
      if (action.type === 'image') {
        const withImage = services.filter((name) => app.services[name]?.image !== undefined);
        if (action.services === undefined && withImage.length === 0) issues.push({ path: `${actionAt}`, message: 'an image action needs a service with an `image` (a Dockerfile to build); no service of the app has one' });
        (action.services ?? []).forEach((service, i) => {
          if (!services.includes(service)) issues.push({ path: `${actionAt}.services[${i}]`, message: noSuchMessage('service', service, services) });
          else if (app.services[service]?.image === undefined) issues.push({ path: `${actionAt}.services[${i}]`, message: `service "${service}" has no \`image\` to build; give it \`image: {}\` (its folder's Dockerfile) or name one of ${withImage.length > 0 ? withImage.map((n) => `"${n}"`).join(', ') : 'the services once one has an image'}` });
        });
        return;
      }
      if (action.type === 'loadtest') checkLoadTest(app, action, actionAt, issues);
      if (action.type === 'analyze') checkAnalyze(action, actionAt, issues);
      if (action.type !== 'deploy') return;
      if (!environments.includes(action.environment)) issues.push({ path: `${actionAt}.environment`, message: noSuchMessage('environment', action.environment, environments) });
      if (action.service !== undefined && !services.includes(action.service)) issues.push({ path: `${actionAt}.service`, message: noSuchMessage('service', action.service, services) });
    });
  });
}
