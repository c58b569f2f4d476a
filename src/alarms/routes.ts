import type { FastifyInstance } from 'fastify';
import { alarmPageQuerySchema, alarmParamsSchema, muteAlarmBodySchema, parseDuration, parseInput, type AlarmDetailDto, type AlarmDto, type AlarmHistoryDto, type AlarmListDto, type DeadLetterDto } from '../shared/index.js';
import type { AlarmHistoryEntry, AlarmSummary } from './engine/model.js';
import type { DeadLetter } from './notify/dead-letter-store.js';

/** What the routes need of the alarms context. */
export interface AlarmsApi {
  list(): AlarmSummary[];
  get(name: string): AlarmSummary;
  runbookMarkdown(name: string): string | undefined;
  history(name: string, limit?: number): AlarmHistoryEntry[];
  mute(name: string, untilMs: number): AlarmSummary;
  unmute(name: string): AlarmSummary;
  deadLetters(limit?: number): DeadLetter[];
  now(): number;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** An alarm as the API shows it. */
export function alarmDto(a: AlarmSummary): AlarmDto {
  return {
    name: a.name,
    kind: a.kind,
    service: a.service ?? null,
    environment: a.environment ?? null,
    state: a.state,
    reason: a.reason,
    updatedAt: new Date(a.updatedAtMs).toISOString(),
    lastEvaluatedAt: iso(a.lastEvaluatedAtMs),
    muted: a.muted,
    mutedUntil: a.muted ? iso(a.mutedUntilMs) : null,
    error: a.error ?? null,
    description: a.description ?? null,
    runbook: a.runbook ?? null,
  };
}

function historyDto(h: AlarmHistoryEntry): AlarmHistoryDto {
  return { id: h.id, time: new Date(h.timeMs).toISOString(), type: h.type, oldState: h.oldState ?? null, newState: h.newState ?? null, summary: h.summary, data: h.data };
}

function deadLetterDto(d: DeadLetter): DeadLetterDto {
  return { id: d.id, time: new Date(d.timeMs).toISOString(), topic: d.topic, subscription: d.subscription, eventType: d.eventType, eventSeq: d.eventSeq ?? null, attempts: d.attempts, lastError: d.lastError, message: d.message };
}

/** The alarms API: list, history, mute/unmute, and notification dead letters. */
export function alarmRoutes(alarms: AlarmsApi) {
  return (app: FastifyInstance): void => {
    const name = (request: { params: unknown }) => parseInput(alarmParamsSchema, request.params, 'params').name;
    app.get('/api/v1/alarms', { config: { auth: 'session' } }, async (): Promise<AlarmListDto> => ({ alarms: alarms.list().map(alarmDto) }));
    app.get('/api/v1/alarms/:name', { config: { auth: 'session' } }, async (request): Promise<AlarmDetailDto> => {
      const alarm = alarms.get(name(request));
      return { ...alarmDto(alarm), notify: alarm.notify, runbookMarkdown: alarms.runbookMarkdown(alarm.name) ?? null };
    });
    app.get('/api/v1/alarms/:name/history', { config: { auth: 'session' } }, async (request) => {
      const { limit } = parseInput(alarmPageQuerySchema, request.query, 'query');
      return { history: alarms.history(name(request), limit).map(historyDto) };
    });
    app.post('/api/v1/alarms/:name/mute', { config: { auth: 'session' } }, async (request) => {
      const alarm = name(request);
      const body = parseInput(muteAlarmBodySchema, request.body ?? {}, 'body');
      const untilMs = body.untilMs ?? alarms.now() + parseDuration(body.for ?? '0ms');
      return alarmDto(alarms.mute(alarm, untilMs));
    });
    app.delete('/api/v1/alarms/:name/mute', { config: { auth: 'session' } }, async (request) => alarmDto(alarms.unmute(name(request))));
    app.get('/api/v1/notifications/dead-letters', { config: { auth: 'session' } }, async (request) => {
      const { limit } = parseInput(alarmPageQuerySchema, request.query, 'query');
      return { deadLetters: alarms.deadLetters(limit).map(deadLetterDto) };
    });
  };
}
