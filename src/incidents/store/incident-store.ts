import type { Db } from '../../core/index.js';
import { NotFoundError } from '../../shared/index.js';
import { OPEN_INCIDENT_STATES, type Incident, type IncidentSeverity, type IncidentState } from '../model.js';

interface Row {
  id: number;
  title: string;
  severity: string;
  state: string;
  source: string;
  dedup_key: string | null;
  alarm: string | null;
  alarm_state: string | null;
  service: string | null;
  environment: string | null;
  deployment_id: number | null;
  assignee: string | null;
  trigger_seq: number | null;
  triggered_at_ms: number;
  acknowledged_at_ms: number | null;
  mitigated_at_ms: number | null;
  resolved_at_ms: number | null;
  postmortem_at_ms: number | null;
  updated_at_ms: number;
}

/** What opening an incident stores. */
export type NewIncident = Omit<Incident, 'id' | 'acknowledgedAtMs' | 'mitigatedAtMs' | 'resolvedAtMs' | 'postmortemAtMs'>;

/** Filters of {@link IncidentStore.list}. */
export interface IncidentFilter {
  readonly state?: IncidentState;
  readonly service?: string;
  /** Only open (true) or only closed (false) incidents. */
  readonly open?: boolean;
  /** @default 100 */
  readonly limit?: number;
}

// The states are a fixed list of literals (never input), so they can be inlined.
const OPEN_SQL = `state IN (${OPEN_INCIDENT_STATES.map((s) => `'${s}'`).join(', ')})`;

/** Incidents' current status in SQLite; every write goes with an event appended by the service. */
export class IncidentStore {
  constructor(private readonly db: Db) {}

  /** Stores a new incident and returns it with its id. */
  insert(i: NewIncident): Incident {
    const { id } = this.db
      .prepare<unknown[], { id: number }>(
        `INSERT INTO incidents (title, severity, state, source, dedup_key, alarm, alarm_state, service, environment, deployment_id, assignee, trigger_seq, triggered_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(i.title, i.severity, i.state, i.source, i.dedupKey, i.alarm, i.alarmState, i.service, i.environment, i.deploymentId, i.assignee, i.triggerSeq, i.triggeredAtMs, i.updatedAtMs)!;
    return this.get(id);
  }

  /** Rewrites an incident's mutable fields. */
  update(i: Incident): Incident {
    this.db
      .prepare(
        `UPDATE incidents SET severity = ?, state = ?, alarm_state = ?, deployment_id = ?, assignee = ?, acknowledged_at_ms = ?, mitigated_at_ms = ?,
         resolved_at_ms = ?, postmortem_at_ms = ?, updated_at_ms = ? WHERE id = ?`,
      )
      .run(i.severity, i.state, i.alarmState, i.deploymentId, i.assignee, i.acknowledgedAtMs, i.mitigatedAtMs, i.resolvedAtMs, i.postmortemAtMs, i.updatedAtMs, i.id);
    return i;
  }

  /** The incident, or undefined. */
  tryFind(id: number): Incident | undefined {
    const row = this.db.prepare<[number], Row>('SELECT * FROM incidents WHERE id = ?').get(id);
    return row === undefined ? undefined : toIncident(row);
  }

  /** The incident. @throws NotFoundError `SLW_ERR_INCIDENT_NOT_FOUND` */
  get(id: number): Incident {
    const found = this.tryFind(id);
    if (found === undefined) throw new NotFoundError('SLW_ERR_INCIDENT_NOT_FOUND', `no incident ${id}`);
    return found;
  }

  /** The open incident with this deduplication key, if any. */
  findOpenByKey(dedupKey: string): Incident | undefined {
    const row = this.db.prepare<[string], Row>(`SELECT * FROM incidents WHERE dedup_key = ? AND ${OPEN_SQL}`).get(dedupKey);
    return row === undefined ? undefined : toIncident(row);
  }

  /** The newest incident of this deduplication key (open or not), if any. */
  findLatestByKey(dedupKey: string): Incident | undefined {
    const row = this.db.prepare<[string], Row>('SELECT * FROM incidents WHERE dedup_key = ? ORDER BY id DESC LIMIT 1').get(dedupKey);
    return row === undefined ? undefined : toIncident(row);
  }

  /** Incidents, newest first. */
  list(filter: IncidentFilter = {}): Incident[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.state !== undefined) {
      where.push('state = ?');
      params.push(filter.state);
    }
    if (filter.service !== undefined) {
      where.push('service = ?');
      params.push(filter.service);
    }
    if (filter.open !== undefined) where.push(filter.open ? OPEN_SQL : `NOT ${OPEN_SQL}`);
    const sql = `SELECT * FROM incidents ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${filter.limit ?? 100}`;
    return this.db.prepare<(string | number)[], Row>(sql).all(...params).map(toIncident);
  }

  /** The stored postmortem of an incident, if written. */
  postmortem(id: number): { markdown: string; updatedAtMs: number } | undefined {
    const row = this.db.prepare<[number], { markdown: string; updated_at_ms: number }>('SELECT markdown, updated_at_ms FROM incident_postmortems WHERE incident_id = ?').get(id);
    return row === undefined ? undefined : { markdown: row.markdown, updatedAtMs: row.updated_at_ms };
  }

  /** Stores (or replaces) an incident's postmortem. */
  savePostmortem(id: number, markdown: string, atMs: number): void {
    this.db
      .prepare('INSERT INTO incident_postmortems (incident_id, markdown, updated_at_ms) VALUES (?, ?, ?) ON CONFLICT (incident_id) DO UPDATE SET markdown = excluded.markdown, updated_at_ms = excluded.updated_at_ms')
      .run(id, markdown, atMs);
  }

  /** The last event-log sequence number a consumer processed (0 when none). */
  cursor(name: string): number {
    return this.db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM incident_cursors WHERE name = ?').get(name)?.last_seq ?? 0;
  }

  /** Records that a consumer processed the log up to `seq`. */
  setCursor(name: string, seq: number): void {
    this.db.prepare('INSERT INTO incident_cursors (name, last_seq) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET last_seq = excluded.last_seq').run(name, seq);
  }

  /** Runs `fn` in one transaction (status, cursor and events together when they share the database). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}

function toIncident(r: Row): Incident {
  return {
    id: r.id,
    title: r.title,
    severity: r.severity as IncidentSeverity,
    state: r.state as IncidentState,
    source: r.source as Incident['source'],
    dedupKey: r.dedup_key,
    alarm: r.alarm,
    alarmState: r.alarm_state,
    service: r.service,
    environment: r.environment,
    deploymentId: r.deployment_id,
    assignee: r.assignee,
    triggerSeq: r.trigger_seq,
    triggeredAtMs: r.triggered_at_ms,
    acknowledgedAtMs: r.acknowledged_at_ms,
    mitigatedAtMs: r.mitigated_at_ms,
    resolvedAtMs: r.resolved_at_ms,
    postmortemAtMs: r.postmortem_at_ms,
    updatedAtMs: r.updated_at_ms,
  };
}
