import { describe, expect, it } from 'vitest';
import { buildTaskEnv } from './task-env.js';

describe('buildTaskEnv', () => {
  it('passes PATH, HOME and NODE_* only, adds the spec, and lets nothing override the task variables', () => {
    // GIVEN a control plane environment full of things a task must not inherit
    const parent = { PATH: '/bin', HOME: '/home/u', NODE_OPTIONS: '--enable-source-maps', AWS_SECRET_ACCESS_KEY: 'x', SLIPWAY_TOKEN: 't' };
    // WHEN the task environment is built
    const env = buildTaskEnv(parent, { OTEL_SERVICE_NAME: 'api', PORT: '1', SLIPWAY_ENV: 'evil' }, { environment: 'prod', service: 'api', revision: 'r7', taskId: 'api-1', port: 4100, portEnv: 'PORT' });
    // THEN exactly these variables are set
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/home/u',
      NODE_OPTIONS: '--enable-source-maps',
      OTEL_SERVICE_NAME: 'api',
      PORT: '4100',
      SLIPWAY_ENV: 'prod',
      SLIPWAY_SERVICE: 'api',
      SLIPWAY_REVISION: 'r7',
      SLIPWAY_TASK_ID: 'api-1',
    });
  });

  it('adds what is given at start over the spec, but never over the task variables', () => {
    // GIVEN a spec with its own OTLP headers and a start variable that tries to change the task's identity
    const specEnv = { OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=a' };
    const startEnv = { OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=a,x-slipway-ingest-key=k', SLIPWAY_SERVICE: 'other', PORT: '1' };
    // WHEN the task environment is built
    const env = buildTaskEnv({}, specEnv, { environment: 'prod', service: 'api', revision: 'r7', taskId: 'api-1', port: 4100, portEnv: 'PORT' }, startEnv);
    // THEN the start variables win over the spec, and the task's own win over both
    expect([env.OTEL_EXPORTER_OTLP_HEADERS, env.SLIPWAY_SERVICE, env.PORT]).toEqual(['x-tenant=a,x-slipway-ingest-key=k', 'api', '4100']);
  });
});
