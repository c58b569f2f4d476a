import { describe, expect, it } from 'vitest';
import type { ResolvedRum } from '../shared/index.js';
import { IngestKeys } from '../telemetry/index.js';
import { ingestStartEnv } from './ingest-start-env.js';

const keys = new IngestKeys('k'.repeat(64));
const task = (service: string, environment = 'production') => ({ environment, service, revision: 'r1', taskId: `${service}-1`, port: 3000, portEnv: 'PORT' });
const rum: ResolvedRum = { origins: ['http://127.0.0.1:8080'], serviceName: 'shop-web', servedBy: ['gateway'] };

describe('ingestStartEnv', () => {
  it('gives a service that serves pages the receiver, the browser key of its environment and the browser name', () => {
    // GIVEN rum served by gateway WHEN a staging gateway task starts
    const env = ingestStartEnv(keys, { rum: () => rum, endpoint: 'http://127.0.0.1:4318' })(task('gateway', 'staging'), {});
    // THEN its own service key, and for its pages the browser key of staging's shop-web
    expect(env).toEqual({
      OTEL_EXPORTER_OTLP_HEADERS: `x-slipway-ingest-key=${keys.serviceKey('staging', 'gateway')}`,
      SLIPWAY_RUM_ENDPOINT: 'http://127.0.0.1:4318',
      SLIPWAY_RUM_INGEST_KEY: keys.browserKey('staging', 'shop-web'),
      SLIPWAY_RUM_SERVICE_NAME: 'shop-web',
    });
    expect(keys.identify(env.SLIPWAY_RUM_INGEST_KEY)).toEqual({ kind: 'Valid', principal: { kind: 'Browser', environment: 'staging', service: 'shop-web' } });
  });

  it.each([
    ['a service that serves no pages', () => rum, 'catalog'],
    ['a model without rum', () => undefined, 'gateway'],
  ])('gives %s only its service key', (_name, model, service) => {
    const env = ingestStartEnv(keys, { rum: model, endpoint: 'http://127.0.0.1:4318' })(task(service), {});
    expect(Object.keys(env)).toEqual(['OTEL_EXPORTER_OTLP_HEADERS']);
  });
});
