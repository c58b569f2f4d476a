import { describe, expect, it } from 'vitest';
import { flagCredentials } from './credentials.js';

describe('flagCredentials', () => {
  const check = flagCredentials([
    { token: 'gateway-token-0123456789', caller: { service: 'gateway', environment: 'production' } },
    { token: 'orders-token-0123456789', caller: { service: 'orders', environment: 'staging' } },
  ]);

  it('names the caller of a listed token, and nobody for any other', () => {
    expect(check('orders-token-0123456789')).toEqual({ service: 'orders', environment: 'staging' });
    expect(check('orders-token-012345678')).toBeUndefined();
    expect(check('')).toBeUndefined();
  });

  it('refuses short or repeated tokens when built', () => {
    expect(() => flagCredentials([{ token: 'short', caller: { service: 'a', environment: undefined } }])).toThrow('flag credential of a: expected a token of at least 16 characters');
    const t = { token: 'same-token-0123456789', caller: { service: 'a', environment: undefined } };
    expect(() => flagCredentials([t, t])).toThrow('the same token is listed twice');
  });
});
