import { describe, expect, it } from 'vitest';
import type { ResolvedApp } from '../shared/index.js';
import { defaultSeverityRule, type SeverityOptions } from './severity.js';

const app = { environments: { production: { rollbackOn: ['gateway-5xx'] }, staging: { rollbackOn: ['catalog-5xx'] } } } as unknown as ResolvedApp;

describe('defaultSeverityRule', () => {
  // GIVEN the app's rollbackOn alarms, WHEN an alarm opens an incident, THEN its severity
  const cases: [string, string | undefined, SeverityOptions, string][] = [
    ['gateway-5xx', 'production', {}, 'SEV2'],
    ['gateway-5xx', undefined, {}, 'SEV2'],
    ['gateway-5xx', 'staging', {}, 'SEV3'],
    ['catalog-5xx', 'staging', {}, 'SEV3'],
    ['other', 'production', {}, 'SEV3'],
    ['gateway-5xx', 'production', { rollbackOnProduction: 'SEV1' }, 'SEV1'],
    ['other', 'production', { otherwise: 'SEV4' }, 'SEV4'],
    ['other', 'production', { byAlarm: { other: 'SEV1' } }, 'SEV1'],
  ];
  it.each(cases)('%s in %s with %o → %s', (alarm, environment, options, expected) => {
    expect(defaultSeverityRule(app, options)({ alarm, service: 'gateway', environment })).toBe(expected);
  });
});
