import { coreCodes } from './codes/core.js';
import { routerCodes } from './codes/router.js';
import { telemetryCodes } from './codes/telemetry.js';
import type { ErrorCodeSpec } from './spec.js';

/**
 * Every error code slipway answers with, by area. Each area keeps its codes in
 * `codes/<area>.ts`; `docs/errors.md` lists them all and a test keeps the two in sync.
 */
export const errorCatalog = {
  ...coreCodes,
  ...routerCodes,
  ...telemetryCodes,
} as const satisfies Record<string, ErrorCodeSpec>;

/** A code of the catalog, `SLW_ERR_<AREA>_<WHAT>`. */
export type ErrorCode = keyof typeof errorCatalog;

/** The catalog entry of a code. */
export function errorSpec(code: ErrorCode): ErrorCodeSpec {
  return errorCatalog[code];
}
