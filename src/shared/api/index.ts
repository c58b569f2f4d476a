export { eventsQuerySchema, appendEventBodySchema, type EventsQuery, type EventDto, type ErrorBody } from './events.js';
export { startRevisionBodySchema, setTrafficBodySchema, serviceParamsSchema } from './environments.js';
export {
  PIPELINE_STATUSES,
  startPipelineRunBodySchema,
  pipelineRunParamsSchema,
  pipelineRunsQuerySchema,
  approvalBodySchema,
  pipelineLogsQuerySchema,
  artifactsQuerySchema,
  artifactRefParamsSchema,
  type PipelineStatus,
  type PipelineRunDto,
  type PipelineRunSummaryDto,
  type PipelineStageDto,
  type PipelineActionDto,
  type PipelineLogLineDto,
  type TestReportSummaryDto,
  type CoverageCountsDto,
  type CoverageReportSummaryDto,
} from './pipelines.js';
export { createDeploymentBodySchema, deploymentAnalysisSchema, deploymentParamsSchema, listDeploymentsQuerySchema, DEPLOYMENT_STATES, type CreateDeploymentBody, type DeploymentStateName } from './deployments.js';
export { ACTIVE_DEPLOYMENT_STATES, TERMINAL_DEPLOYMENT_STATES, ACTIVE_PIPELINE_STATUSES, TERMINAL_PIPELINE_STATUSES } from './states.js';
export {
  INCIDENT_STATES,
  INCIDENT_SEVERITIES,
  incidentParamsSchema,
  listIncidentsQuerySchema,
  openIncidentBodySchema,
  incidentTransitionBodySchema,
  assignIncidentBodySchema,
  incidentNoteBodySchema,
  incidentActionBodySchema,
  postmortemBodySchema,
  type IncidentState,
  type IncidentSeverity,
  type OpenIncidentBody,
  type IncidentActionBody,
  type IncidentDto,
  type IncidentDetailDto,
  type IncidentNoteDto,
  type IncidentActionDto,
  type TimelineEntryDto,
  type PostmortemDto,
} from './incidents.js';
export { DORA_DEFAULT_WINDOWS, doraQuerySchema, type DoraQuery, type DoraReportDto, type DoraWindowDto, type DoraResponseDto } from './dora.js';
export { alarmParamsSchema, muteAlarmBodySchema, alarmPageQuerySchema, ALARM_STATE_VALUES, type MuteAlarmBody, type AlarmDto, type AlarmHistoryDto, type DeadLetterDto } from './alarms.js';
