import { describe, expect, it } from 'vitest';
import { FlagTokens } from './flag-tokens.js';

const SECRET = 'flag-signing-secret-0123456789abcdef';

describe('FlagTokens', () => {
  const tokens = new FlagTokens(SECRET);

  it('issues a token that names its service and environment, and the same one after a restart', () => {
    // GIVEN a token issued for gateway in production
    const token = tokens.tokenFor('production', 'gateway');
    // THEN it checks as that caller, also with a new instance over the same secret (a restarted control plane)
    expect(token).toMatch(/^flg\.production\.gateway\.[A-Za-z0-9_-]{43}$/);
    expect(tokens.check(token)).toEqual({ service: 'gateway', environment: 'production' });
    expect(new FlagTokens(SECRET).check(token)).toEqual({ service: 'gateway', environment: 'production' });
  });

  it.each([
    // GIVEN a token rebound to another environment or service, signed with another secret, malformed or huge THEN nobody
    ['another environment', () => tokens.tokenFor('production', 'gateway').replace('.production.', '.staging.')],
    ['another service', () => tokens.tokenFor('production', 'gateway').replace('.gateway.', '.orders.')],
    ['another secret', () => new FlagTokens(`${SECRET}-rotated`).tokenFor('production', 'gateway')],
    ['a truncated mac', () => tokens.tokenFor('production', 'gateway').slice(0, -1)],
    ['no prefix', () => tokens.tokenFor('production', 'gateway').slice(4)],
    ['extra parts', () => `${tokens.tokenFor('production', 'gateway')}.x`],
    ['a huge token', () => `flg.production.gateway.${'a'.repeat(600)}`],
    ['nothing', () => ''],
  ])('refuses %s', (_what, make) => {
    expect(tokens.check(make())).toBeUndefined();
  });

  it('refuses short secrets and names that are not DNS-safe', () => {
    expect(() => new FlagTokens('short')).toThrow('a flag signing secret has at least 32 characters');
    expect(() => tokens.tokenFor('prod.eu', 'gateway')).toThrow('no flag token for "prod.eu/gateway": names must be DNS-safe');
  });
});
