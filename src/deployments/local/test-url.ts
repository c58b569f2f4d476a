import type { LocalContext } from './local-context.js';

/** URL of the router's test listener of the service, when it has one open (the router names it `<environment>.<service>.test`). */
export async function testUrl(ctx: LocalContext, environment: string, service: string): Promise<string | undefined> {
  const table = await ctx.o.router.table().catch(() => undefined);
  const l = table?.status.listeners.find((x) => x.id === `${environment}.${service}.test`);
  return l ? `http://127.0.0.1:${l.port}` : undefined;
}
