import type { ErrorCodeSpec } from '../spec.js';

/** Codes of images: the container engine, builds, base images, the local registry and its lifecycle policies. */
export const imageCodes = {
  SLW_ERR_IMAGES_NO_ENGINE: { status: 503, message: 'No container engine (podman or docker) was found' },
  SLW_ERR_IMAGES_RUNTIME_UNUSABLE: { status: 503, message: 'The container engine cannot run containers on this machine' },
  SLW_ERR_IMAGES_ENGINE_FAILED: { status: 500, message: 'A container engine command failed' },
  SLW_ERR_IMAGES_BUILD_FAILED: { status: 500, message: 'The image could not be built' },
  SLW_ERR_IMAGES_PLATFORM_UNAVAILABLE: { status: 503, message: 'The image cannot be built for a platform it asks for on this machine' },
  SLW_ERR_IMAGES_BASE_FAILED: { status: 500, message: 'The base image could not be built' },
  SLW_ERR_IMAGES_REGISTRY_UNAVAILABLE: { status: 503, message: 'The image registry is not reachable' },
  SLW_ERR_IMAGES_PUSH_FAILED: { status: 500, message: 'The image could not be pushed' },
  SLW_ERR_IMAGES_TAG_IMMUTABLE: { status: 409, message: 'The tag exists and the repository is tag-immutable' },
  SLW_ERR_IMAGES_LIFECYCLE_POLICY_INVALID: { status: 400, message: 'The lifecycle policy is invalid' },
  SLW_ERR_IMAGES_REPOSITORY_NOT_FOUND: { status: 404, message: 'No image repository of that name' },
  SLW_ERR_IMAGES_SBOM_NOT_FOUND: { status: 404, message: 'No SBOM is stored for that image' },
} as const satisfies Record<string, ErrorCodeSpec>;
