import { describe, expect, it } from 'vitest';
import { renderBuildOutput } from './pipeline-build-output.js';

describe('renderBuildOutput', () => {
  it('prints test reports with their failed cases, coverage, secondary artifacts and warnings', () => {
    // GIVEN a build action's stored output WHEN rendered for `slipway pipeline show` THEN one line per item
    const output = {
      reports: [
        {
          name: 'jest-reports', status: 'Failed', fileFormat: 'JUNITXML', tests: 6, passed: 3, failures: 2, errors: 0, skipped: 1, durationMs: 186,
          failedCases: [{ name: 'rejects 2 > 1 coupons', className: 'api', status: 'Failed', message: 'expected 2 > 1' }],
        },
      ],
      coverage: [{ name: 'cobertura', status: 'Succeeded', fileFormat: 'COBERTURAXML', lines: { covered: 8, total: 10, percent: 80 }, branches: { covered: 0, total: 0, percent: null }, files: [{}, {}], filesOmitted: 3 }],
      secondaryArtifacts: [{ identifier: 'docs', digest: 'sha256:abc', fileCount: 1 }],
      warnings: ['runtime-versions: nodejs 18 was asked for, but the host has nodejs 20.11.1, which is used'],
    };
    expect(renderBuildOutput(output)).toEqual([
      'tests jest-reports: Failed, 6 tests, 3 passed, 2 failed, 0 errors, 1 skipped in 0.2s',
      '  ✖ api › rejects 2 > 1 coupons: expected 2 > 1',
      'coverage cobertura (COBERTURAXML): lines 80% (8/10), branches n/a, 5 files',
      'artifact docs sha256:abc (1 files)',
      'warning runtime-versions: nodejs 18 was asked for, but the host has nodejs 20.11.1, which is used',
    ]);
    expect(renderBuildOutput({})).toEqual([]);
  });
});
