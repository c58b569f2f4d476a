/** Where a detected service came from. */
export type ServiceSource = 'package.json' | 'Procfile' | 'compose' | 'Dockerfile';

/** A service `slipway init` found in a repository, before it is written as config. */
export interface DetectedService {
  /** DNS-safe name, unique in the app. */
  readonly name: string;
  /** Folder relative to the repository root, `.` for the root. */
  readonly path: string;
  /** The command that starts one task, run in `path`. */
  readonly start: string;
  /** Where the start command came from. */
  readonly source: ServiceSource;
  /** Whether the code reads `PORT` (then slipway hands each task its port). */
  readonly readsPort: boolean;
  /** The fixed port the code listens on when it does not read `PORT`. */
  readonly fixedPort?: number;
  /** HTTP path answered by a healthy task, when one was found. */
  readonly healthPath?: string;
  /** Environment variables to set (compose `environment`), values rewritten to service URLs where they name one. */
  readonly env: Readonly<Record<string, string>>;
  /** Services to start (and find healthy) first. */
  readonly dependsOn: readonly string[];
  /** `install` and `test` commands for the buildspec, run in `path`; empty when there is nothing to run. */
  readonly build: { readonly install?: string; readonly test?: string };
  /** What was read from files, one line each (for the report). */
  readonly found: readonly string[];
  /** What was guessed, one line each (for the report). */
  readonly guessed: readonly string[];
}

/** A compose service slipway cannot run as a local process (an image without a build). */
export interface ExternalService {
  readonly name: string;
  readonly image: string;
  /** Environment variables of detected services that point at it. */
  readonly referencedBy: readonly string[];
}

/** Everything `slipway init` found. */
export interface Detection {
  readonly services: readonly DetectedService[];
  readonly external: readonly ExternalService[];
  /** Things found and left out, one line each (e.g. a Procfile worker with no HTTP port). */
  readonly skipped: readonly string[];
  /** The repository has a package-lock.json (or npm-shrinkwrap.json) at the root. */
  readonly rootLockfile: boolean;
  /** The root package.json declares workspaces: install once at the root. */
  readonly workspaces: boolean;
}
