import { describe, expect, it } from 'vitest';
import { peerOf } from './span-columns.js';

describe('peerOf', () => {
  it.each([
    // GIVEN a client span's attributes THEN the service map's leaf node it calls
    ['a database named after its service stays apart from the service', { 'db.system': 'sqlite', 'db.name': 'catalog' }, 'sqlite:catalog'],
    ['a database with only a system', { 'db.system': 'postgresql' }, 'postgresql'],
    ['a database with only a name', { 'db.name': 'orders' }, 'orders'],
    ['an HTTP call by server address', { 'server.address': 'api.stripe.com', 'url.full': 'https://x.example/y' }, 'api.stripe.com'],
    ['an HTTP call by URL host', { 'http.url': 'https://hooks.example.com:8443/a' }, 'hooks.example.com:8443'],
  ])('%s', (_name, attrs, expected) => {
    expect(peerOf('Client', attrs)).toBe(expected);
  });

  it('is undefined for spans that call nothing', () => {
    expect(peerOf('Server', { 'db.system': 'sqlite' })).toBeUndefined();
    expect(peerOf('Internal', { 'server.address': 'x' })).toBeUndefined();
  });
});
