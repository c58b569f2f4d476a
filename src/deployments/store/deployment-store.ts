import type { Db } from '../../core/index.js';
import { ConflictError, NotFoundError } from '../../shared/index.js';
import { isTerminal, type Deployment, type DeploymentState } from '../model.js';

/** Filter of {@link DeploymentStore.list}. */
export interface DeploymentFilter {
  readonly environment?: string;
  readonly service?: string;
  readonly state?: DeploymentState;
  /** @default 100 */
  readonly limit?: number;
}

interface Row {
  id: number;
  body: string;
}

/**
 * Persistence of deployments: one row each, the whole status as JSON beside
 * the columns that are queried. A partial unique index allows one active
 * (not terminal) deployment per service and environment.
 */
export class DeploymentStore {
  constructor(private readonly db: Db) {}

  /** Stores a new deployment and returns it with its id; ConflictError when one is active for the service. */
  insert(d: Omit<Deployment, 'id'>): Deployment {
    try {
      return this.db.transaction(() => {
        const { id } = this.db
          .prepare<[string, string, string, number, number, string], { id: number }>(
            'INSERT INTO deploy_deployments (environment, service, state, active, created_at_ms, body) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
          )
          .get(d.environment, d.service, d.state, isTerminal(d.state) ? 0 : 1, d.createdAtMs, '{}')!;
        const full: Deployment = { ...d, id };
        this.db.prepare('UPDATE deploy_deployments SET body = ? WHERE id = ?').run(JSON.stringify(full), id);
        return full;
      })();
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const active = this.tryFindActive(d.environment, d.service);
        throw new ConflictError('SLW_ERR_DEPLOY_IN_PROGRESS', `deployment ${active?.id ?? '?'} of ${d.service} to ${d.environment} is ${active?.state ?? 'in progress'}; promote, abort or wait for it first`, { cause: err });
      }
      throw err;
    }
  }

  /** Rewrites a deployment's status. */
  update(d: Deployment): void {
    this.db.prepare('UPDATE deploy_deployments SET state = ?, active = ?, body = ? WHERE id = ?').run(d.state, isTerminal(d.state) ? 0 : 1, JSON.stringify(d), d.id);
  }

  /** One deployment, or undefined. */
  tryFind(id: number): Deployment | undefined {
    const row = this.db.prepare<[number], Row>('SELECT id, body FROM deploy_deployments WHERE id = ?').get(id);
    return row && (JSON.parse(row.body) as Deployment);
  }

  /** One deployment; NotFoundError when there is none. */
  get(id: number): Deployment {
    const d = this.tryFind(id);
    if (!d) throw new NotFoundError('SLW_ERR_DEPLOY_NOT_FOUND', `no deployment ${id}`);
    return d;
  }

  /** The active deployment of a service in an environment, if any. */
  tryFindActive(environment: string, service: string): Deployment | undefined {
    const row = this.db.prepare<[string, string], Row>('SELECT id, body FROM deploy_deployments WHERE environment = ? AND service = ? AND active = 1').get(environment, service);
    return row && (JSON.parse(row.body) as Deployment);
  }

  /** Every deployment that is not finished, oldest first. */
  listActive(): Deployment[] {
    return this.db
      .prepare<[], Row>('SELECT id, body FROM deploy_deployments WHERE active = 1 ORDER BY id')
      .all()
      .map((r) => JSON.parse(r.body) as Deployment);
  }

  /** Deployments, newest first. */
  list(filter: DeploymentFilter = {}): Deployment[] {
    return this.db
      .prepare<[{ environment: string | null; service: string | null; state: string | null; limit: number }], Row>(
        `SELECT id, body FROM deploy_deployments
         WHERE (@environment IS NULL OR environment = @environment) AND (@service IS NULL OR service = @service) AND (@state IS NULL OR state = @state)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({ environment: filter.environment ?? null, service: filter.service ?? null, state: filter.state ?? null, limit: filter.limit ?? 100 })
      .map((r) => JSON.parse(r.body) as Deployment);
  }
}
