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
  SLW_ERR_DEPLOY_NOT_FOUND: { status: 404, message: 'No such deployment' },
  SLW_ERR_DEPLOY_IN_PROGRESS: { status: 409, message: 'Another deployment of this service to this environment is in progress' },
  SLW_ERR_DEPLOY_SOURCE_NOT_FOUND: { status: 400, message: 'The source directory of the revision does not exist' },
  SLW_ERR_DEPLOY_IMAGE_INVALID: { status: 400, message: 'The image of the revision is invalid or not for a container service' },
  SLW_ERR_DEPLOY_SECRET_NOT_SET: { status: 409, message: 'The service declares a secret that is not set' },
  SLW_ERR_DEPLOY_TRAFFIC_SPLIT: { status: 409, message: 'The service has its traffic split between revisions outside a deployment' },
  SLW_ERR_DEPLOY_INVALID_STATE: { status: 409, message: 'The deployment is not in a state that allows this action' },
  SLW_ERR_DEPLOY_STRATEGY_INVALID: { status: 400, message: 'The deployment strategy is invalid' },
  SLW_ERR_DEPLOY_SHADOW_UNSUPPORTED: { status: 400, message: 'The strategy has a shadow step, but the traffic target cannot mirror requests' },
} as const satisfies Record<string, ErrorCodeSpec>;
