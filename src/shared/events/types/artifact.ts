import { z } from 'zod';
import { eventSpec } from '../spec.js';
import { nullableString } from './fields.js';

/** A build's artifact was stored (subject `artifact/<digest>`). */
export const ARTIFACT_STORED = 'artifact.stored';
/** A tag of a service's artifacts points at another digest (subject `artifact-tag/<service>:<tag>`). */
export const ARTIFACT_TAG_MOVED = 'artifact.tag.moved';
/** The lifecycle policy removed a tag. */
export const ARTIFACT_TAG_REMOVED = 'artifact.tag.removed';
/** The lifecycle policy deleted an artifact. */
export const ARTIFACT_DELETED = 'artifact.deleted';

/** The `artifact.*` events of the artifact store. */
export const artifactEvents = {
  [ARTIFACT_STORED]: eventSpec(
    'A new content-addressed artifact was stored, with the build that made it.',
    z.object({ digest: z.string(), sizeBytes: z.number().int(), service: z.string(), commitSha: nullableString, buildNumber: z.number().int().nullable() }),
  ),
  [ARTIFACT_TAG_MOVED]: eventSpec('A tag now points at digest `to` (`from` null for a new tag).', z.object({ service: z.string(), tag: z.string(), from: nullableString, to: z.string() })),
  [ARTIFACT_TAG_REMOVED]: eventSpec('The lifecycle policy removed a tag (`keepLast`).', z.object({ service: z.string(), tag: z.string(), digest: z.string() })),
  [ARTIFACT_DELETED]: eventSpec('The lifecycle policy deleted an expired untagged artifact.', z.object({ digest: z.string() })),
} as const;
