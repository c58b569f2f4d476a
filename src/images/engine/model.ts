/** Which container engine slipway drives. */
export type EngineKind = 'podman' | 'docker';

/**
 * The container engine slipway found, compiled once: the command, the global arguments every call
 * takes and the arguments every `run` takes so containers start on this machine. Frozen; built by
 * `detectEngine`.
 */
export interface CompiledEngine {
  readonly kind: EngineKind;
  /** Absolute path of the engine's command. */
  readonly command: string;
  /** The engine's version line, e.g. `podman version 4.3.1`. */
  readonly version: string;
  /** Arguments before the verb of every call, e.g. `['--runtime', 'runc']`. */
  readonly globalArgs: readonly string[];
  /** Arguments every `run` gets (ulimits that this kernel needs), after the verb. */
  readonly runArgs: readonly string[];
  /** The OCI runtime in use, as the engine names it (`crun`, `runc`), or `default`. */
  readonly runtime: string;
  /** One line saying what was chosen and why, for logs and `slipway images engine`. */
  readonly description: string;
  /** Which resource limits a container started this way gets, as the probe found. @default unknown: limits are passed and the engine decides */
  readonly limits?: EngineLimits;
}

/**
 * Whether the engine can limit a container's CPU (`--cpus`) and memory (`--memory`) here: both need
 * their cgroup controller delegated to the engine, which a rootless engine or a container host may
 * not have.
 */
export interface EngineLimits {
  readonly cpus: boolean;
  readonly memory: boolean;
  /** What the engine said when a limit was refused. @default none */
  readonly reason?: string;
}
