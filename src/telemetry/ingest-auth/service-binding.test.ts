import { describe, expect, it } from 'vitest';
import type { LogRecordIn, MetricPoint, Span } from '../model/index.js';
import { withIngestKeyHeader } from './otlp-headers.js';
import { bindItems, logMismatch, pointMismatch, spanMismatch } from './service-binding.js';

const b = { environment: 'production', service: 'web' };
const point = (service: string, attributes: Record<string, string> = {}, resource: Record<string, string> = {}): MetricPoint => ({
  name: 'HTTPCode_Target_5XX_Count', unit: '', description: '', kind: 'Sum', service, resource: { 'service.name': service, ...resource }, attributes, timeMs: 1, value: 100,
});
const span = (service: string, resource: Record<string, string> = {}) => ({ service, resource: { 'service.name': service, ...resource } }) as unknown as Span;
const log = (service: string, resource: Record<string, string> = {}) => ({ service, resource: { 'service.name': service, ...resource } }) as unknown as LogRecordIn;

describe('service binding', () => {
  it.each([
    // GIVEN a data point sent with web's production key THEN what it claims beyond the key
    ['its own service', point('web'), undefined],
    ['its own service and environment', point('web', { environment: 'production' }, { 'deployment.environment.name': 'production' }), undefined],
    ['another service.name', point('catalog'), 'service.name "catalog"'],
    ['its own resource but the attribute service of another', point('web', { service: 'catalog' }), 'the attribute service "catalog"'],
    ['another environment attribute', point('web', { environment: 'staging' }), 'the attribute environment "staging"'],
    ['another deployment.environment', point('web', {}, { 'deployment.environment': 'staging' }), 'deployment.environment "staging"'],
    ['the router\'s own name with web\'s dimensions', point('slipway-router', { service: 'web', environment: 'production' }), 'service.name "slipway-router"'],
  ])('a point with %s', (_name, p, expected) => {
    expect(pointMismatch(p, b)).toBe(expected);
  });

  it.each([
    ['a span of its own service', spanMismatch(span('web'), b), undefined],
    ['a span of another service', spanMismatch(span('catalog'), b), 'service.name "catalog"'],
    ['a span of another environment', spanMismatch(span('web', { 'deployment.environment.name': 'staging' }), b), 'deployment.environment.name "staging"'],
    ['a log record of its own group', logMismatch(log('web', { 'slipway.log_group': '/slipway/production/web' }), b), undefined],
    ['a log record aimed at another service\'s group', logMismatch(log('web', { 'slipway.log_group': '/slipway/production/catalog' }), b), 'slipway.log_group "/slipway/production/catalog"'],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('keeps what belongs and counts the rest', () => {
    // GIVEN two points of web and one of catalog WHEN bound to web THEN one is rejected, named by its first claim
    const r = bindItems([point('web'), point('catalog'), point('web')], b, pointMismatch);
    expect([r.accepted.length, r.rejected, r.problem]).toEqual([2, 1, 'service.name "catalog"']);
  });
});

describe('withIngestKeyHeader', () => {
  it.each([
    [undefined, 'x-slipway-ingest-key=k'],
    ['', 'x-slipway-ingest-key=k'],
    ['x-tenant=a', 'x-tenant=a,x-slipway-ingest-key=k'],
    ['X-Slipway-Ingest-Key=stale, x-tenant=a', 'x-tenant=a,x-slipway-ingest-key=k'],
  ])('%j → %s', (existing, expected) => {
    expect(withIngestKeyHeader(existing, 'k')).toBe(expected);
  });
});
