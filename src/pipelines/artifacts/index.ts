export { ArtifactStore, type ArtifactStoreOptions } from './artifact-store.js';
export { planLifecycle, type LifecycleArtifact, type LifecyclePlan } from './plan-lifecycle.js';
export {
  artifactMigrations,
  DIGEST_PATTERN,
  TAG_PATTERN,
  type Artifact,
  type ArtifactMeta,
  type ArtifactFile,
  type ArtifactFilter,
  type LifecyclePolicy,
} from './model.js';
export { extractTarGz, safeSegments } from './tar/extract-tar.js';
export { writeTarGz, tarGzFromBuffers, type TarInputEntry, type WrittenArchive } from './tar/write-tar.js';
export { encodeTarHeader, type TarEntryType, type TarHeader } from './tar/tar-header.js';
export { readTar, type TarReadEntry } from './tar/read-tar.js';
