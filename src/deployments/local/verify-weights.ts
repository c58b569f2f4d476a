import type { VerifiedWeights } from '../target/traffic-target.js';
import type { LocalContext } from './local-context.js';

/**
 * Asks the router what it serves for a service (`GET /admin/verify`) and
 * names its target groups (`<environment>.<service>.<revision>`) by revision.
 */
export async function verifyWeights(ctx: LocalContext, environment: string, service: string): Promise<VerifiedWeights> {
  const v = await ctx.o.router.verifyWeights(environment, service);
  const prefix = `${environment}.${service}.`;
  const weights: Record<string, number> = {};
  for (const [group, percent] of Object.entries(v.weights)) weights[group.startsWith(prefix) ? group.slice(prefix.length) : group] = percent;
  return { version: v.version, weights };
}
