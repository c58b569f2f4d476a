// Images: the container engine, OCI image builds from Dockerfiles, base images, the local registry with ECR's semantics.
export { CONTAINER_LABELS, type CompiledEngine, type EngineKind } from './engine/model.js';
export { detectEngine, PROBE_IMAGE, type DetectEngineOptions } from './engine/detect-engine.js';
export { runFlagCandidates, probeReachedExec, ULIMIT_ARGS, PROBE_COMMAND, type RunFlagCandidate } from './engine/run-flag-candidates.js';
export { runEngine, mustRunEngine, lastLine, type RunEngineOptions } from './engine/run-engine.js';
export { findCommand } from './engine/find-command.js';
export { buildImage, type BuildImageInput, type BuiltImage } from './engine/build-image.js';
export { imageExists, tagImage, pushImage, pullImage, saveImage, type PushImageOptions } from './engine/image-ops.js';
export { buildBaseImage, DEFAULT_BASE_IMAGE, type BuildBaseImageOptions, type BaseImageResult } from './base/build-base-image.js';
export { parseAptSources, readHostAptSources, findMirror, type AptSource } from './base/find-mirror.js';
