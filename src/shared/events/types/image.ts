import { z } from 'zod';
import { eventSpec } from '../spec.js';

/** An image was built from a service's Dockerfile (subject `image/<repository>`). */
export const IMAGE_BUILT = 'image.built';
/** An image was pushed to the local registry (subject `image/<repository>`). */
export const IMAGE_PUSHED = 'image.pushed';
/** An image was scanned: secrets in every layer, the dependency audit, the SBOM (subject `image/<repository>`). */
export const IMAGE_SCANNED = 'image.scanned';
/** A lifecycle policy expired an image: its manifest was deleted from the registry (subject `image/<repository>`). */
export const IMAGE_EXPIRED = 'image.expired';

const where = { repository: z.string(), service: z.string().optional(), runId: z.number().int().optional() };

/** The `image.*` events of the local registry and the pipeline's image actions. */
export const imageEvents = {
  [IMAGE_BUILT]: eventSpec('A service\'s image was built (`imageId` is the local id, `sha256:` of its config).', z.object({ ...where, imageId: z.string(), durationMs: z.number() })),
  [IMAGE_PUSHED]: eventSpec('An image was pushed to the local registry under `tags`, stored as `digest`.', z.object({ ...where, digest: z.string(), tags: z.array(z.string()), reference: z.string() })),
  [IMAGE_SCANNED]: eventSpec(
    'An image was scanned before its push: `status` Passed or Failed, the count of secrets found in its layers and of packages in its SBOM; `digest` once pushed.',
    z.object({ ...where, imageId: z.string(), digest: z.string().optional(), status: z.enum(['Passed', 'Failed', 'NotScanned']), secrets: z.number().int(), packages: z.number().int(), audit: z.string() }),
  ),
  [IMAGE_EXPIRED]: eventSpec('A lifecycle policy rule expired an image; its manifest was deleted from the registry.', z.object({ repository: z.string(), digest: z.string(), tags: z.array(z.string()), rule: z.string() })),
} as const;
