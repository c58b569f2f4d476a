/** One way of running containers that the probe tries. */
export interface RunFlagCandidate {
  /** Arguments before the verb (`--runtime runc`). */
  readonly globalArgs: readonly string[];
  /** Arguments after `run`. */
  readonly runArgs: readonly string[];
  /** The runtime this candidate uses, as the engine names it, or `default`. */
  readonly runtime: string;
  /** Why this candidate exists, for the description of the chosen one. */
  readonly why: string;
}

/**
 * Some kernels refuse a container raising its rlimits (runc: "error setting rlimits ... operation
 * not permitted"); pinning nofile and nproc to values below the hard limits lets it start.
 */
export const ULIMIT_ARGS: readonly string[] = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];

/**
 * The ways to run containers, in the order they are tried: the engine's defaults first, then the
 * same with pinned ulimits, then (on podman, when runc is installed and is not the default) runc,
 * which works where crun refuses a hybrid cgroup layout, with and without the ulimits.
 */
export function runFlagCandidates(kind: 'podman' | 'docker', defaultRuntime: string, runcAvailable: boolean): RunFlagCandidate[] {
  const out: RunFlagCandidate[] = [
    { globalArgs: [], runArgs: [], runtime: defaultRuntime, why: 'the engine defaults' },
    { globalArgs: [], runArgs: ULIMIT_ARGS, runtime: defaultRuntime, why: 'the defaults refused to start a container; pinned ulimits (nofile, nproc 1024)' },
  ];
  if (kind === 'podman' && runcAvailable && defaultRuntime !== 'runc') {
    out.push({ globalArgs: ['--runtime', 'runc'], runArgs: [], runtime: 'runc', why: `${defaultRuntime} refused to start a container; runc` });
    out.push({ globalArgs: ['--runtime', 'runc'], runArgs: ULIMIT_ARGS, runtime: 'runc', why: `${defaultRuntime} refused to start a container; runc with pinned ulimits (nofile, nproc 1024)` });
  }
  return out;
}

/** The image the probe runs: one file, FROM scratch, so it builds without a registry or a runtime. */
export const PROBE_IMAGE = 'localhost/slipway-probe:1';

/** The command a probe asks the container to run; it does not exist in the probe image. */
export const PROBE_COMMAND = '/slipway-probe-missing';

/**
 * Whether a probe run got as far as the runtime exec'ing the (deliberately missing) command: the
 * container was created and its init ran, so this way of running works. An engine reports that
 * with exit 127 naming the command. A failed mount also says "no such file" with 127, but names a
 * path of its own, so the command's name is required.
 */
export function probeReachedExec(code: number | null, stderr: string): boolean {
  return code === 127 && stderr.includes(PROBE_COMMAND) && /not found|no such file/i.test(stderr);
}
