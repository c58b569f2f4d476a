import type { Migration } from '../../../core/index.js';

/**
 * Tables of the local registry's metadata, what ECR keeps beside the images: each repository's tag
 * mutability and lifecycle policy, every image pushed (with its push time, which the registry's own
 * API does not give), the tag → digest map, and when an image expired.
 */
export const imageMigrations: readonly Migration[] = [
  {
    id: 'images-001-repositories',
    sql: `CREATE TABLE image_repositories (
      name TEXT PRIMARY KEY,
      tag_mutability TEXT NOT NULL CHECK (tag_mutability IN ('MUTABLE', 'IMMUTABLE')),
      lifecycle_policy TEXT,
      created_at_ms INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE images (
      repository TEXT NOT NULL,
      digest TEXT NOT NULL,
      pushed_at_ms INTEGER NOT NULL,
      expired_at_ms INTEGER,
      expired_by TEXT,
      PRIMARY KEY (repository, digest)
    ) STRICT;
    CREATE TABLE image_tags (
      repository TEXT NOT NULL,
      tag TEXT NOT NULL,
      digest TEXT NOT NULL,
      PRIMARY KEY (repository, tag)
    ) STRICT;`,
  },
  {
    // The local image id (config digest) behind each pushed digest, so a rebuild of the same image may be
    // pushed again under an immutable tag; and each image's scan on push with its SBOM, stored beside it.
    id: 'images-002-image-ids-and-scans',
    sql: `ALTER TABLE images ADD COLUMN image_id TEXT;
    CREATE TABLE image_scans (
      repository TEXT NOT NULL,
      digest TEXT NOT NULL,
      scan TEXT NOT NULL,
      sbom TEXT,
      scanned_at_ms INTEGER NOT NULL,
      PRIMARY KEY (repository, digest)
    ) STRICT;`,
  },
];
