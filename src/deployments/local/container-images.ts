import type { ContainerSpec } from '../../runtime/index.js';
import type { ResolvedService } from '../../shared/index.js';

/** The revision an image is wanted for. */
export interface ImageRequest {
  readonly environment: string;
  readonly service: string;
  readonly revision: string;
  /** Directory holding the app at this revision; the service's image context is inside it. */
  readonly sourceDir: string;
  /** An image already built and pushed (a build's `imagedefinitions.json`): run it instead of building. @default build */
  readonly image?: string;
}

/**
 * Where container services get their images from (the control plane builds them with the images
 * context): the spec a revision's tasks run with, its image built first when it is not there yet.
 * A build that fails throws, so the revision is never recorded and the previous one keeps serving.
 */
export interface ContainerImages {
  specFor(req: ImageRequest, service: ResolvedService): Promise<ContainerSpec>;
}
