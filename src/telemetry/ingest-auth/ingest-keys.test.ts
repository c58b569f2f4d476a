import { describe, expect, it } from 'vitest';
import { IngestKeys } from './ingest-keys.js';

const SECRET = 'a'.repeat(64);
const keys = new IngestKeys(SECRET);
const other = new IngestKeys('b'.repeat(64));

describe('IngestKeys', () => {
  it.each([
    // GIVEN a presented key THEN who it belongs to
    ['no key', undefined, { kind: 'None' }],
    ['an empty key', '', { kind: 'None' }],
    ['the app key', SECRET, { kind: 'Valid', principal: { kind: 'App' } }],
    ['a service key', keys.serviceKey('production', 'web'), { kind: 'Valid', principal: { kind: 'Service', environment: 'production', service: 'web' } }],
    ['a browser key', keys.browserKey('production', 'shop-web'), { kind: 'Valid', principal: { kind: 'Browser', environment: 'production', service: 'shop-web' } }],
    ['a browser key renamed to a service', keys.browserKey('production', 'shop-web').replace('.shop-web.', '.gateway.'), { kind: 'Invalid' }],
    ['a service key passed off as a browser key', keys.serviceKey('production', 'shop-web').replace('svc.', 'rum.'), { kind: 'Invalid' }],
    ['another app\'s key', other.appKey, { kind: 'Invalid' }],
    ['another app\'s service key', other.serviceKey('production', 'web'), { kind: 'Invalid' }],
    ['another app\'s browser key', other.browserKey('production', 'shop-web'), { kind: 'Invalid' }],
    ['a service key renamed to another service', keys.serviceKey('production', 'catalog').replace('.catalog.', '.web.'), { kind: 'Invalid' }],
    ['a service key moved to another environment', keys.serviceKey('staging', 'web').replace('svc.staging.', 'svc.production.'), { kind: 'Invalid' }],
    ['a service key with a name that is not DNS-safe', `svc.production.We_b.${keys.serviceKey('production', 'web').split('.')[3]}`, { kind: 'Invalid' }],
    ['a truncated app key', SECRET.slice(0, 63), { kind: 'Invalid' }],
    ['a very long key', 'x'.repeat(10_000), { kind: 'Invalid' }],
  ])('%s', (_name, presented, expected) => {
    // WHEN it is identified
    expect(keys.identify(presented)).toEqual(expected);
  });

  it('derives the same keys from the same secret (tasks keep theirs across restarts)', () => {
    const again = new IngestKeys(SECRET);
    expect([again.serviceKey('production', 'web'), again.browserKey('production', 'web')]).toEqual([keys.serviceKey('production', 'web'), keys.browserKey('production', 'web')]);
    expect(keys.serviceKey('production', 'web')).toMatch(/^svc\.production\.web\.[A-Za-z0-9_-]{43}$/);
    expect(keys.serviceKey('staging', 'web')).not.toBe(keys.serviceKey('production', 'web'));
  });

  it('refuses a short secret and names that are not DNS-safe', () => {
    expect(() => new IngestKeys('short')).toThrow(/at least 32/);
    expect(() => keys.serviceKey('production', 'a.b')).toThrow(/DNS-safe/);
  });
});
