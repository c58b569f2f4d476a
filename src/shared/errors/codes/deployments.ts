import type { ErrorCodeSpec } from '../spec.js';

/** Codes of the deployments context: revisions, traffic, deployments. */
export const deploymentCodes = {
  SLW_ERR_DEPLOY_ENVIRONMENT_NOT_FOUND: { status: 404, message: 'No such environment' },
  SLW_ERR_DEPLOY_SERVICE_NOT_FOUND: { status: 404, message: 'No such service' },
  SLW_ERR_DEPLOY_REVISION_NOT_FOUND: { status: 404, message: 'No such revision' },
  SLW_ERR_DEPLOY_REVISION_INVALID: { status: 400, message: 'The revision id is invalid' },
  SLW_ERR_DEPLOY_WEIGHTS_INVALID: { status: 400, message: 'The traffic weights are invalid' },
  SLW_ERR_DEPLOY_NOT_READY: { status: 409, message: 'The revision has no healthy task taking traffic' },
  SLW_ERR_DEPLOY_HAS_TRAFFIC: { status: 409, message: 'The revision still has traffic' },
} as const satisfies Record<string, ErrorCodeSpec>;
