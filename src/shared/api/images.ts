import { z } from 'zod';

/** How an image's scan ended: `Passed`, `Failed` (a finding at or above the action's `failOn`), or `NotScanned` (`scanOnPush: false`). */
export type ImageScanStatus = 'Passed' | 'Failed' | 'NotScanned';

/** A secret found in one layer of an image. */
export interface ImageSecretFindingDto {
  /** The layer, 1-based from the base. */
  readonly layer: number;
  /** The layer's diff id (`sha256:` of its uncompressed tar). */
  readonly layerDiffId: string;
  /** The instruction that made the layer, e.g. `COPY secrets/aws.env /app/aws.env`, when known. */
  readonly createdBy: string;
  /** The file's path in the layer. */
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly severity: string;
}

/** The scan of an image: secrets in every layer, the dependency audit over its lockfiles, the SBOM's size. */
export interface ImageScanDto {
  readonly status: ImageScanStatus;
  readonly secrets: readonly ImageSecretFindingDto[];
  /** Packages of the final file system (dpkg, apk, npm), as the SBOM lists them. */
  readonly packageCount: number;
  /** `package-lock.json` files of the image, outside `node_modules`. */
  readonly lockfiles: readonly string[];
  /** `npm audit` over those lockfiles: `Passed`, `Failed`, `Skipped` or `NotScanned`, with counts by severity. */
  readonly audit: { readonly status: string; readonly counts: Readonly<Record<string, number>>; readonly reason?: string };
  readonly scannedAtMs: number;
}

/** One image of a repository of the local registry. */
export interface ImageDto {
  readonly digest: string;
  /** Its tags, sorted. */
  readonly tags: readonly string[];
  /** When it was first pushed. */
  readonly pushedAtMs: number;
  /** `<registry>/<repository>@<digest>`: what a deployment runs. */
  readonly reference: string;
  /** Its scan on push, when it was scanned. */
  readonly scan: ImageScanDto | undefined;
  /** Whether a CycloneDX SBOM is stored beside it (`GET /api/v1/images/sbom`). */
  readonly hasSbom: boolean;
}

/** A repository of the local registry, with ECR's settings. */
export interface ImageRepositoryDto {
  readonly name: string;
  /** `<registry host>/<name>`, what `REPOSITORY_URI` is in builds. */
  readonly uri: string;
  readonly tagMutability: 'MUTABLE' | 'IMMUTABLE';
  /** The lifecycle policy in ECR's JSON format, or undefined. */
  readonly lifecyclePolicy: string | undefined;
  /** Images not expired, oldest push first. */
  readonly images: readonly ImageDto[];
}

/** `GET /api/v1/images`. */
export interface ImageRepositoryListDto {
  /** The local registry's address (`127.0.0.1:<port>`), or undefined when it has not been started yet. */
  readonly registry: string | undefined;
  readonly repositories: readonly ImageRepositoryDto[];
}

/** What an image action stored in its output for each service (`output.images[]`). */
export interface ImageActionOutputDto {
  readonly service: string;
  readonly repository: string;
  /** `<registry>/<repository>@<digest>`, absent when the image was not pushed (its scan failed). */
  readonly reference?: string;
  readonly digest?: string;
  readonly tags: readonly string[];
  /** The local image id (`sha256:` of its config). */
  readonly imageId: string;
  readonly buildMs: number;
  readonly scan: ImageScanDto | undefined;
  /** Images the lifecycle policy expired after this push. */
  readonly expired: readonly string[];
}

/** Query string of `GET /api/v1/images`. */
export const imagesQuerySchema = z.strictObject({
  /** Only this repository (`<app>/<service>`). */
  repository: z.string().min(1).max(256).optional(),
});

/** Query string of `GET /api/v1/images/sbom`. */
export const imageSbomQuerySchema = z.strictObject({
  repository: z.string().min(1).max(256),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be a digest sha256:<64 hex>'),
});
