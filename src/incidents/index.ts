// Incidents: opened from alarms or by hand, a validated lifecycle, timelines and postmortems derived from the event log.
export { createIncidents, DEFAULT_TIMELINE_WINDOW_MS, type Incidents, type IncidentsOptions } from './incidents.js';
export { incidentMigrations } from './store/migrations.js';
export { IncidentService, type Mitigator, type Actor, type ActionRequest } from './service.js';
export { defaultSeverityRule, type SeverityRule, type SeverityOptions, type AlarmTrigger } from './severity.js';
export { decideTransition, LEGAL_TRANSITIONS, type IncidentTransition, type TransitionDecision } from './transitions.js';
export { reconstructTimeline, likelyCauseDeploymentId, TIMELINE_TYPES, type TimelineEntry, type TimelineOptions } from './timeline.js';
export { renderPostmortem, type PostmortemInput } from './postmortem.js';
export { measureImpact, IMPACT_ERROR_METRIC, type Impact, type MetricSource } from './impact.js';
export { OPEN_INCIDENT_STATES, incidentSubject, type Incident, type IncidentSeverity, type IncidentState } from './model.js';
