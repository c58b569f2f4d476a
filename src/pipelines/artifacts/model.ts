import type { Migration } from '../../core/index.js';

/** A stored build artifact. */
export interface Artifact {
  /** `sha256:<hex>` of the compressed archive. */
  readonly digest: string;
  readonly sizeBytes: number;
  readonly createdAtMs: number;
  /** The service it was built for (the first one, when the same bytes were stored for two). */
  readonly service: string;
  readonly commitSha: string | undefined;
  readonly buildNumber: number | undefined;
  readonly fileCount: number;
  /** Tags pointing at it, as `<service>:<tag>`, sorted. */
  readonly tags: readonly string[];
}

/** What {@link ArtifactStore.putFiles} records with an artifact. */
export interface ArtifactMeta {
  readonly service: string;
  readonly commitSha?: string;
  readonly buildNumber?: number;
  /**
   * Tags (without the service) to point at the artifact.
   * @default [commitSha, `build-${buildNumber}`, 'latest'] (those that apply)
   */
  readonly tags?: readonly string[];
}

/** One file to archive: where it goes in the artifact and where it is now. */
export interface ArtifactFile {
  /** Path inside the artifact, `/`-separated and relative. */
  readonly path: string;
  /** Absolute path of the file (or symlink) on disk. */
  readonly sourcePath: string;
}

/** Filters of {@link ArtifactStore.list}. */
export interface ArtifactFilter {
  readonly service?: string;
  readonly commitSha?: string;
  /** At most this many, newest first. @default 100 */
  readonly limit?: number;
}

/** The lifecycle policy (the app model's `artifacts`). */
export interface LifecyclePolicy {
  /** Tagged artifacts kept per service, newest first. */
  readonly keepLast: number;
  /** Untagged artifacts older than this are deleted. */
  readonly expireUntaggedAfterMs: number;
}

/** The artifact tables. */
export const artifactMigrations: readonly Migration[] = [
  {
    id: 'pipelines-002-artifacts',
    sql: `CREATE TABLE pipeline_artifacts (
      digest TEXT PRIMARY KEY,
      size_bytes INTEGER NOT NULL,
      created_ms INTEGER NOT NULL,
      service TEXT NOT NULL,
      commit_sha TEXT,
      build_number INTEGER,
      file_count INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX pipeline_artifacts_service ON pipeline_artifacts (service, created_ms);
    CREATE TABLE pipeline_artifact_tags (
      service TEXT NOT NULL,
      tag TEXT NOT NULL,
      digest TEXT NOT NULL REFERENCES pipeline_artifacts (digest),
      updated_ms INTEGER NOT NULL,
      PRIMARY KEY (service, tag)
    ) STRICT;
    CREATE INDEX pipeline_artifact_tags_digest ON pipeline_artifact_tags (digest);`,
  },
];

/** `sha256:` and 64 lower-case hex digits. */
export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
/** A tag: letters, digits, `_.-`, at most 128 characters (as in OCI). */
export const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
