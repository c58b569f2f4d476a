import type { ErrorCodeSpec } from '../spec.js';

/** Codes of the pipelines context: buildspecs, builds, artifacts, scanning, secrets, runs, approvals, webhooks. */
export const pipelineCodes = {
  SLW_ERR_BUILDSPEC_INVALID: { status: 400, message: 'The buildspec is invalid' },
  SLW_ERR_BUILDSPEC_NOT_FOUND: { status: 404, message: 'The buildspec file was not found' },
  SLW_ERR_BUILD_GLOB_INVALID: { status: 400, message: 'A file glob is invalid or reaches outside its base directory' },
  SLW_ERR_PIPELINE_WORKSPACE: { status: 500, message: 'The build workspace could not be prepared' },
  SLW_ERR_PIPELINE_SECRET_NOT_FOUND: { status: 404, message: 'No such secret' },
  SLW_ERR_PIPELINE_SECRET_INVALID: { status: 400, message: 'The secret name or value is invalid' },
  SLW_ERR_PIPELINE_SECRET_IN_USE: { status: 409, message: 'A service declares the secret' },
  SLW_ERR_PIPELINE_SECRET_UNREADABLE: { status: 500, message: 'A stored secret could not be decrypted' },
  SLW_ERR_ARTIFACT_NOT_FOUND: { status: 404, message: 'No such artifact or tag' },
  SLW_ERR_ARTIFACT_INVALID_REF: { status: 400, message: 'The artifact reference is invalid' },
  SLW_ERR_ARTIFACT_UNSAFE_ENTRY: { status: 400, message: 'The archive has an entry that would escape its target directory' },
  SLW_ERR_ARTIFACT_CORRUPT: { status: 500, message: 'The archive is corrupt or not in a supported format' },
  SLW_ERR_ARTIFACT_INPUT: { status: 400, message: 'The files to archive are invalid' },
  SLW_ERR_SCAN_INVALID_RULE: { status: 400, message: 'A scan rule is invalid' },
  SLW_ERR_PIPELINE_NOT_CONFIGURED: { status: 404, message: 'The app definition has no pipeline' },
  SLW_ERR_PIPELINE_RUN_NOT_FOUND: { status: 404, message: 'No such pipeline run' },
  SLW_ERR_PIPELINE_RUN_STATE: { status: 409, message: 'The pipeline run is not in a state that allows this action' },
  SLW_ERR_PIPELINE_NO_APPROVAL: { status: 409, message: 'The pipeline run is not waiting for an approval' },
  SLW_ERR_PIPELINE_REVISION_NOT_FOUND: { status: 404, message: 'The revision is not in the source repository' },
  SLW_ERR_PIPELINE_SOURCE: { status: 503, message: 'The source repository could not be read' },
  SLW_ERR_PIPELINE_REF_INVALID: { status: 400, message: 'The branch or tag name is not a ref name git accepts' },
  SLW_ERR_WEBHOOK_SIGNATURE: { status: 401, message: 'The webhook signature is missing or does not match' },
  SLW_ERR_WEBHOOK_DUPLICATE: { status: 409, message: 'This webhook delivery was already received' },
  SLW_ERR_WEBHOOK_INVALID: { status: 400, message: 'The webhook request is invalid' },
} as const satisfies Record<string, ErrorCodeSpec>;
