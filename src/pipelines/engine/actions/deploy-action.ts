import { materializeSource } from './materialize-source.js';
import { abortedOutcome, type ActionExecutor } from './action-context.js';

/**
 * A deploy action: unpacks the run's artifact and asks the injected Deployer
 * to deploy it to the environment; container services run the images the
 * run's image actions pushed (by digest). `RolledBack` (the deployment undid itself)
 * fails the action. After a restart the call is repeated with `resumed: true`;
 * the deployer makes it idempotent by `(actionId, attempt)`.
 */
export const executeDeploy: ActionExecutor = async (ctx) => {
  const { services, run, action } = ctx;
  const environment = String(action.configuration.environment);
  const service = action.configuration.service === undefined || action.configuration.service === null ? undefined : String(action.configuration.service);
  const sourceDir = await materializeSource(services, run.artifact, run.commitSha);
  const revision = run.commitSha.slice(0, 12);
  ctx.log(`deploying ${revision}${run.artifact ? ` (${run.artifact})` : ''} to ${environment}${service ? ` (${service})` : ''}`, 'system');
  for (const [name, ref] of Object.entries(run.images)) if (service === undefined || service === name) ctx.log(`${name} runs ${ref}`, 'system');
  const images = service === undefined ? { ...run.images } : Object.fromEntries(Object.entries(run.images).filter(([name]) => name === service));
  const base = { environment, service: service ?? null, revision, sourceDir, artifact: run.artifact ?? null, ...(Object.keys(images).length > 0 ? { images } : {}) };
  const result = await services.deployer.deploy({
    environment,
    service,
    revision,
    sourceDir,
    runId: run.id,
    actionId: action.id,
    attempt: ctx.attempt,
    commitSha: run.commitSha,
    artifact: run.artifact,
    images: run.images,
    rollback: false,
    resumed: ctx.resumed,
    signal: ctx.signal,
  });
  const unchanged = result.unchanged ?? [];
  const output = { ...base, deploymentIds: [...result.deploymentIds], deployStatus: result.status, ...(result.message ? { message: result.message } : {}), ...(unchanged.length > 0 ? { unchanged: unchanged.map((u) => ({ ...u })) } : {}) };
  if (ctx.signal.aborted) return { ...abortedOutcome(ctx.signal, ctx.timeoutMs), output };
  for (const u of unchanged) ctx.log(`skipped ${u.service}: unchanged at ${u.revision} (${u.reason.replace(/^unchanged: /, '')})`, 'system');
  ctx.log(`deployment ${result.status}${result.message ? `: ${result.message}` : ''}`, 'system');
  if (result.status === 'Succeeded') return { status: 'Succeeded', output };
  return { status: 'Failed', reason: result.status === 'RolledBack' ? `the deployment rolled back${result.message ? `: ${result.message}` : ''}` : (result.message ?? 'the deployment failed'), output };
};
