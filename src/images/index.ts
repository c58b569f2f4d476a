// Images: the container engine, OCI image builds from Dockerfiles, base images, the local registry with ECR's semantics.
export type { CompiledEngine, EngineKind } from './engine/model.js';
export { detectEngine, PROBE_IMAGE, type DetectEngineOptions } from './engine/detect-engine.js';
export { runFlagCandidates, probeReachedExec, ULIMIT_ARGS, PROBE_COMMAND, type RunFlagCandidate } from './engine/run-flag-candidates.js';
export { runEngine, mustRunEngine, lastLine, type RunEngineOptions } from './engine/run-engine.js';
export { findCommand } from './engine/find-command.js';
export { buildImage, type BuildImageInput, type BuiltImage } from './engine/build-image.js';
export { imageExists, tagImage, pushImage, pullImage, saveImage, type PushImageOptions } from './engine/image-ops.js';
export { buildBaseImage, DEFAULT_BASE_IMAGE, type BuildBaseImageOptions, type BaseImageResult } from './base/build-base-image.js';
export { parseAptSources, readHostAptSources, findMirror, type AptSource } from './base/find-mirror.js';
export { evaluateLifecyclePolicy, type RepositoryImage, type LifecycleDecision, type LifecycleOutcome, type EvaluateLifecycleOptions } from './registry/lifecycle/evaluate-policy.js';
export { RegistryClient, MANIFEST_ACCEPT } from './registry/client/registry-client.js';
export { ensureRegistry, readRegistryInfo, type EnsureRegistryOptions, type RegistryHandle, type RegistryInfo } from './registry/process/ensure-registry.js';
export { findRegistryBinary, REGISTRY_COMMANDS } from './registry/process/find-registry-binary.js';
export { registryConfig, type RegistryConfigOptions } from './registry/process/registry-config.js';
export { imageMigrations } from './registry/store/migrations.js';
export { ImageStore, type TagMutability, type RepositorySettings, type StoredRepository } from './registry/store/image-store.js';
export { applyLifecycle, type ApplyLifecycleInput, type AppliedLifecycle } from './registry/lifecycle/apply-lifecycle.js';
