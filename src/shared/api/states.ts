// The state lists every context and the dashboard share. No zod here: the dashboard imports this file
// for its values, and should not bundle the API schemas to get them.
import type { DeploymentStateName } from './deployments.js';
import type { PipelineStatus } from './pipelines.js';

/** States of a deployment still under way (it may still move traffic, pause or roll back, or it waits for an approval). */
export const ACTIVE_DEPLOYMENT_STATES: readonly DeploymentStateName[] = ['Created', 'AwaitingApproval', 'InProgress', 'Baking', 'Paused'];

/** States a deployment never leaves. */
export const TERMINAL_DEPLOYMENT_STATES: readonly DeploymentStateName[] = ['Succeeded', 'Stopped', 'RolledBack', 'Failed', 'Rejected'];

/** States of a pipeline run, stage or action under way: running, or waiting for an approval. */
export const ACTIVE_PIPELINE_STATUSES: readonly PipelineStatus[] = ['InProgress', 'Waiting'];

/** States of a run, stage or action after which nothing changes any more (until a retry). */
export const TERMINAL_PIPELINE_STATUSES: readonly PipelineStatus[] = ['Succeeded', 'Failed', 'Stopped', 'Superseded', 'Skipped'];
