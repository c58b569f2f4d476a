import { describe, expect, it } from 'vitest';
import type { OtlpSignal } from '../otlp/index.js';
import { authorizeIngest } from './authorize-ingest.js';
import type { IngestCredential } from './ingest-keys.js';

const none: IngestCredential = { kind: 'None' };
const invalid: IngestCredential = { kind: 'Invalid' };
const app: IngestCredential = { kind: 'Valid', principal: { kind: 'App' } };
const web: IngestCredential = { kind: 'Valid', principal: { kind: 'Service', environment: 'production', service: 'web' } };
const browser: IngestCredential = { kind: 'Valid', principal: { kind: 'Browser', environment: 'production', service: 'shop-web' } };

describe('authorizeIngest', () => {
  it.each<[string, IngestCredential, OtlpSignal, boolean, unknown]>([
    // GIVEN a credential, a signal and the app's opt-in THEN the verdict
    ['no key is refused', none, 'metrics', false, { allowed: false, status: 401, reason: 'NoKey' }],
    ['no key is refused for spans too', none, 'traces', false, { allowed: false, status: 401, reason: 'NoKey' }],
    ['no key under the opt-in is anonymous', none, 'metrics', true, { allowed: true, origin: 'Anonymous' }],
    ['a wrong key is refused without the opt-in', invalid, 'logs', false, { allowed: false, status: 401, reason: 'InvalidKey' }],
    ['a wrong key is refused under the opt-in too', invalid, 'metrics', true, { allowed: false, status: 401, reason: 'InvalidKey' }],
    ['the app key writes metrics', app, 'metrics', false, { allowed: true, origin: 'Authenticated' }],
    ['a service key writes bound to its service', web, 'metrics', false, { allowed: true, origin: 'Authenticated', binding: { environment: 'production', service: 'web' } }],
    ['a browser key writes spans bound to its service', browser, 'traces', false, { allowed: true, origin: 'Authenticated', binding: { environment: 'production', service: 'shop-web' } }],
    ['a browser key writes logs bound to its service', browser, 'logs', false, { allowed: true, origin: 'Authenticated', binding: { environment: 'production', service: 'shop-web' } }],
    ['a browser key never writes metrics', browser, 'metrics', true, { allowed: false, status: 403, reason: 'SignalNotAllowed' }],
  ])('%s', (_name, credential, signal, allowUnauthenticated, expected) => {
    // WHEN decided
    expect(authorizeIngest(credential, signal, allowUnauthenticated)).toEqual(expected);
  });
});
