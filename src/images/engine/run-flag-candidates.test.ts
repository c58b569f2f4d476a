import { describe, expect, it } from 'vitest';
import { probeReachedExec, runFlagCandidates, ULIMIT_ARGS } from './run-flag-candidates.js';

describe('runFlagCandidates', () => {
  it('tries the defaults, then ulimits, then runc on podman when crun is the default', () => {
    // GIVEN podman with crun as default and runc installed WHEN the candidates are listed
    const c = runFlagCandidates('podman', 'crun', true);
    // THEN the defaults come first and runc with ulimits last
    expect(c.map((x) => [x.globalArgs.join(' '), x.runArgs.length > 0])).toEqual([
      ['', false],
      ['', true],
      ['--runtime runc', false],
      ['--runtime runc', true],
    ]);
    expect(c[3]!.runArgs).toEqual(ULIMIT_ARGS);
  });

  it('does not offer runc again when it is the default, nor on docker', () => {
    expect(runFlagCandidates('podman', 'runc', true)).toHaveLength(2);
    expect(runFlagCandidates('docker', 'runc', true)).toHaveLength(2);
    expect(runFlagCandidates('podman', 'crun', false)).toHaveLength(2);
  });
});

describe('probeReachedExec', () => {
  it.each([
    // GIVEN what runc printed WHEN classified THEN only a missing command counts as working
    [127, 'exec: "/slipway-probe-missing": stat /slipway-probe-missing: no such file or directory: OCI runtime attempted to invoke a command that was not found', true],
    [126, 'error setting rlimits for ready process: error setting rlimit type 7: operation not permitted: OCI permission denied', false],
    [127, 'error mounting "cgroup" to rootfs at "/sys/fs/cgroup": no such file or directory: OCI runtime attempted to invoke a command that was not found', false],
    [125, 'Error: something else', false],
  ])('exit %s', (code, stderr, expected) => {
    expect(probeReachedExec(code, stderr)).toBe(expected);
  });
});
