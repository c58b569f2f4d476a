import { describe, expect, it } from 'vitest';
import { resolveApp } from '../../../shared/index.js';
import { flagdDocument } from './flagd-flags.js';

describe('flagdDocument', () => {
  it('maps conditions, segments and stickiness to JSONLogic and flagd operators', () => {
    // GIVEN rules with operators, a segment and a split by accountId
    const app = resolveApp({
      name: 'a',
      services: { web: { path: 'web', start: 'node s.js' } },
      environments: { prod: { ingressPort: 8080 } },
      segments: { beta: { match: { email: { endsWith: '@acme.io' } } } },
      flags: {
        f: {
          default: false,
          rules: [
            { segment: 'beta', match: { country: { in: ['de', 'fr'] }, appVersion: { semverGte: '2.1.0' } }, value: true },
            { match: { age: { gte: 18 }, ref: { notExists: true } }, percentage: 20, stickiness: 'accountId', value: true },
          ],
        },
      },
    });
    // WHEN translated THEN one if chain with the terms in order
    const targeting = flagdDocument(app.flags).flags.f!.targeting as { if: unknown[] };
    expect(targeting.if[0]).toEqual({ and: [{ ends_with: [{ var: 'email' }, '@acme.io'] }, { in: [{ var: 'country' }, ['de', 'fr']] }, { sem_ver: [{ var: 'appVersion' }, '>=', '2.1.0'] }] });
    expect(targeting.if[2]).toEqual({
      and: [{ '>=': [{ var: 'age' }, 18] }, { '==': [{ var: 'ref' }, null] }, { '==': [{ fractional: [{ cat: [{ var: '$flagd.flagKey' }, { var: 'accountId' }] }, ['in', 20], ['out', 80]] }, 'in'] }],
    });
  });
});
