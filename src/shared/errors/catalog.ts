import { alarmCodes } from './codes/alarms.js';
import { apiAccessCodes } from './codes/api-access.js';
import { configCodes } from './codes/config.js';
import { coreCodes } from './codes/core.js';
import { deploymentCodes } from './codes/deployments.js';
import { experimentCodes } from './codes/experiments.js';
import { flagCodes } from './codes/flags.js';
import { imageCodes } from './codes/images.js';
import { iacCodes } from './codes/iac.js';
import { incidentCodes } from './codes/incidents.js';
import { initCodes } from './codes/init.js';
import { pipelineCodes } from './codes/pipelines.js';
import { routerCodes } from './codes/router.js';
import { runtimeCodes } from './codes/runtime.js';
import { synthCodes } from './codes/synth.js';
import { telemetryCodes } from './codes/telemetry.js';
import { telemetryIngestCodes } from './codes/telemetry-ingest.js';
import type { ErrorCodeSpec } from './spec.js';

/**
 * Every error code slipway answers with, by area. Each area keeps its codes in
 * `codes/<area>.ts`; `docs/errors.md` lists them all and a test keeps the two in sync.
 */
export const errorCatalog = {
  ...coreCodes,
  ...apiAccessCodes,
  ...deploymentCodes,
  ...flagCodes,
  ...experimentCodes,
  ...imageCodes,
  ...iacCodes,
  ...incidentCodes,
  ...initCodes,
  ...alarmCodes,
  ...configCodes,
  ...pipelineCodes,
  ...routerCodes,
  ...runtimeCodes,
  ...synthCodes,
  ...telemetryCodes,
  ...telemetryIngestCodes,
} as const satisfies Record<string, ErrorCodeSpec>;

/** A code of the catalog, `SLW_ERR_<AREA>_<WHAT>`. */
export type ErrorCode = keyof typeof errorCatalog;

/** The catalog entry of a code. */
export function errorSpec(code: ErrorCode): ErrorCodeSpec {
  return errorCatalog[code];
}
