import type { z } from 'zod';
import type { ResolvedSubscription } from './resolved.js';
import type { subscriptionSchema } from './schema/notification.js';

type SubscriptionDef = z.output<typeof subscriptionSchema>;

/** Compiles a notification subscription: its target with defaults filled in, and its filter. */
export function compileSubscription(s: SubscriptionDef): ResolvedSubscription {
  const base = compileTarget(s);
  if (s.filter === undefined) return base;
  const { events, severities } = s.filter;
  return { ...base, filter: { ...(events === undefined ? {} : { events: [...events] }), ...(severities === undefined ? {} : { severities: [...severities] }) } };
}

function compileTarget(s: SubscriptionDef): ResolvedSubscription {
  switch (s.type) {
    case 'webhook':
      return { type: 'webhook', url: s.url, secret: s.secret };
    case 'slack':
      return { type: 'slack', url: s.url };
    case 'email':
      return {
        type: 'email',
        to: typeof s.to === 'string' ? [s.to] : [...s.to],
        smtp: { host: s.smtp?.host ?? '127.0.0.1', port: s.smtp?.port ?? 25, from: s.smtp?.from ?? 'slipway@localhost' },
      };
    case 'file':
      return { type: 'file', path: s.path };
  }
}
