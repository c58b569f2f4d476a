import type { Db } from '../../core/index.js';
import type { ShadowRouting } from '../traffic/routing-table.js';

/** One revision of a service in an environment, and its share of traffic. */
export interface ServiceRevision {
  readonly environment: string;
  readonly service: string;
  /** Revision id, e.g. a commit sha or an artifact digest prefix. */
  readonly revision: string;
  /** The directory the revision runs from (a checkout or an unpacked artifact). */
  readonly sourceDir: string;
  readonly weightPercent: number;
  /** Whether the environment's test listener sends to this revision. */
  readonly testTraffic: boolean;
  readonly desiredCount: number;
  /** Extra environment variables of this revision's tasks (a deployment's override). */
  readonly env: Readonly<Record<string, string>>;
  /** The versions of the service's secrets its tasks get (names and versions, never values). */
  readonly secrets: Readonly<Record<string, number>>;
  /** The shadow comparison copying requests to this revision, while a shadow step runs; else null. */
  readonly shadow: ShadowRouting | null;
  readonly createdAtMs: number;
}

interface Row {
  environment: string;
  service: string;
  revision: string;
  source_dir: string;
  weight_percent: number;
  test_traffic: number;
  desired_count: number;
  env_json: string;
  secrets_json: string;
  shadow_json: string | null;
  created_at_ms: number;
}

const toRevision = (r: Row): ServiceRevision => ({
  environment: r.environment,
  service: r.service,
  revision: r.revision,
  sourceDir: r.source_dir,
  weightPercent: r.weight_percent,
  testTraffic: r.test_traffic === 1,
  desiredCount: r.desired_count,
  env: JSON.parse(r.env_json) as Record<string, string>,
  secrets: JSON.parse(r.secrets_json) as Record<string, number>,
  shadow: r.shadow_json === null ? null : (JSON.parse(r.shadow_json) as ShadowRouting),
  createdAtMs: r.created_at_ms,
});

/** Persistence of service revisions; the traffic controller's only memory of what should be routed. */
export class RevisionStore {
  constructor(private readonly db: Db) {}

  /** Revisions, optionally of one environment and service, oldest first. */
  list(filter: { environment?: string; service?: string } = {}): ServiceRevision[] {
    return this.db
      .prepare<[{ environment: string | null; service: string | null }], Row>(
        `SELECT * FROM deploy_revisions WHERE (@environment IS NULL OR environment = @environment) AND (@service IS NULL OR service = @service) ORDER BY created_at_ms, revision`,
      )
      .all({ environment: filter.environment ?? null, service: filter.service ?? null })
      .map(toRevision);
  }

  /** One revision, or undefined. */
  tryFind(environment: string, service: string, revision: string): ServiceRevision | undefined {
    const row = this.db.prepare<[string, string, string], Row>('SELECT * FROM deploy_revisions WHERE environment = ? AND service = ? AND revision = ?').get(environment, service, revision);
    return row && toRevision(row);
  }

  /** Inserts a revision or updates its source and count (its weight is kept). */
  upsert(r: Omit<ServiceRevision, 'weightPercent' | 'testTraffic' | 'env' | 'secrets' | 'shadow'> & { weightPercent?: number; env?: Readonly<Record<string, string>>; secrets?: Readonly<Record<string, number>> }): void {
    this.db
      .prepare(
        `INSERT INTO deploy_revisions (environment, service, revision, source_dir, weight_percent, desired_count, env_json, secrets_json, created_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (environment, service, revision) DO UPDATE SET source_dir = excluded.source_dir, desired_count = excluded.desired_count, env_json = excluded.env_json, secrets_json = excluded.secrets_json`,
      )
      .run(r.environment, r.service, r.revision, r.sourceDir, r.weightPercent ?? 0, r.desiredCount, JSON.stringify(r.env ?? {}), JSON.stringify(r.secrets ?? {}), r.createdAtMs);
  }

  /** Sets the desired task count of a revision. */
  setDesiredCount(environment: string, service: string, revision: string, desiredCount: number): void {
    this.db.prepare('UPDATE deploy_revisions SET desired_count = ? WHERE environment = ? AND service = ? AND revision = ?').run(desiredCount, environment, service, revision);
  }

  /**
   * Sets the weights of a service's revisions in one transaction; revisions not named get 0. A
   * revision given traffic stops being a shadow (a deployment promoted mid-shadow leaves no rule
   * behind that a later deployment could revive by taking its traffic away).
   */
  setWeights(environment: string, service: string, weights: Readonly<Record<string, number>>): void {
    const update = this.db.prepare('UPDATE deploy_revisions SET weight_percent = ?, shadow_json = CASE WHEN ? > 0 THEN NULL ELSE shadow_json END WHERE environment = ? AND service = ? AND revision = ?');
    this.db.transaction(() => {
      this.db.prepare('UPDATE deploy_revisions SET weight_percent = 0 WHERE environment = ? AND service = ?').run(environment, service);
      for (const [revision, weight] of Object.entries(weights)) update.run(weight, weight, environment, service, revision);
    })();
  }

  /** Marks the one revision that receives test traffic (or none). */
  setTestTraffic(environment: string, service: string, revision: string | undefined): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE deploy_revisions SET test_traffic = 0 WHERE environment = ? AND service = ?').run(environment, service);
      if (revision !== undefined) this.db.prepare('UPDATE deploy_revisions SET test_traffic = 1 WHERE environment = ? AND service = ? AND revision = ?').run(environment, service, revision);
    })();
  }

  /** Sets the one revision of a service that requests are mirrored to and compared (or none). */
  setShadow(environment: string, service: string, revision: string | undefined, shadow: ShadowRouting | null): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE deploy_revisions SET shadow_json = NULL WHERE environment = ? AND service = ?').run(environment, service);
      if (revision !== undefined && shadow !== null) {
        this.db.prepare('UPDATE deploy_revisions SET shadow_json = ? WHERE environment = ? AND service = ? AND revision = ?').run(JSON.stringify(shadow), environment, service, revision);
      }
    })();
  }

  /** Forgets a revision. */
  delete(environment: string, service: string, revision: string): void {
    this.db.prepare('DELETE FROM deploy_revisions WHERE environment = ? AND service = ? AND revision = ?').run(environment, service, revision);
  }
}
