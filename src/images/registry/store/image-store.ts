import { systemClock, type Clock, type Db } from '../../../core/index.js';
import { ConflictError, NotFoundError, parseLifecyclePolicy, type CompiledLifecyclePolicy } from '../../../shared/index.js';
import type { RepositoryImage } from '../lifecycle/evaluate-policy.js';

/** ECR's tag mutability setting of a repository. */
export type TagMutability = 'MUTABLE' | 'IMMUTABLE';

/** A repository's settings. */
export interface RepositorySettings {
  /** `IMMUTABLE` refuses a push that would move an existing tag to another digest. @default 'MUTABLE' */
  readonly tagMutability?: TagMutability;
  /** A lifecycle policy in ECR's JSON format; checked before it is stored. @default none */
  readonly lifecyclePolicy?: string;
}

/** A repository as stored. */
export interface StoredRepository {
  readonly name: string;
  readonly tagMutability: TagMutability;
  /** The compiled policy, when it has one. */
  readonly lifecyclePolicy: CompiledLifecyclePolicy | undefined;
}

interface RepoRow {
  name: string;
  tag_mutability: string;
  lifecycle_policy: string | null;
}

/**
 * The local registry's metadata in SQLite (tables of `imageMigrations`): repositories with their
 * settings, images with push times, tags. The registry stores the bytes; this is what ECR shows of
 * them and what lifecycle policies and tag immutability need.
 */
export class ImageStore {
  readonly #db: Db;
  readonly #clock: Clock;

  /** @param clock where push and expiry times come from @default systemClock */
  constructor(db: Db, clock: Clock = systemClock) {
    this.#db = db;
    this.#clock = clock;
  }

  /**
   * Creates a repository, or updates its settings (those given).
   * @throws InputError `SLW_ERR_IMAGES_LIFECYCLE_POLICY_INVALID` for a policy ECR would refuse.
   */
  putRepository(name: string, settings: RepositorySettings = {}): StoredRepository {
    if (settings.lifecyclePolicy !== undefined) parseLifecyclePolicy(settings.lifecyclePolicy, `repositories.${name}.lifecyclePolicy`);
    this.#db
      .prepare(
        `INSERT INTO image_repositories (name, tag_mutability, lifecycle_policy, created_at_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET tag_mutability = coalesce(?, tag_mutability), lifecycle_policy = coalesce(?, lifecycle_policy)`,
      )
      .run(name, settings.tagMutability ?? 'MUTABLE', settings.lifecyclePolicy ?? null, this.#clock.now(), settings.tagMutability ?? null, settings.lifecyclePolicy ?? null);
    return this.repository(name)!;
  }

  /** A repository, or undefined. */
  repository(name: string): StoredRepository | undefined {
    const r = this.#db.prepare<[string], RepoRow>('SELECT name, tag_mutability, lifecycle_policy FROM image_repositories WHERE name = ?').get(name);
    if (r === undefined) return undefined;
    return { name: r.name, tagMutability: r.tag_mutability as TagMutability, lifecyclePolicy: r.lifecycle_policy === null ? undefined : parseLifecyclePolicy(r.lifecycle_policy) };
  }

  /**
   * Refuses tags an immutable repository already has on another digest, before anything is pushed.
   * @throws ConflictError `SLW_ERR_IMAGES_TAG_IMMUTABLE` naming the tag and the digest it is on.
   */
  checkPushable(repository: string, digest: string | undefined, tags: readonly string[], imageId?: string): void {
    const repo = this.repository(repository);
    if (repo?.tagMutability !== 'IMMUTABLE') return;
    for (const tag of tags) {
      const on = this.digestOfTag(repository, tag);
      // The same image again (a retried run whose build came from the cache) is no overwrite.
      const sameImage = imageId !== undefined && on !== undefined && this.imageIdOf(repository, on) === imageId;
      if (on !== undefined && on !== digest && !sameImage) {
        throw new ConflictError('SLW_ERR_IMAGES_TAG_IMMUTABLE', `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable (it is on ${on})`);
      }
    }
  }

  /**
   * Records a push: the image (first push time kept), and its tags moved onto it.
   * @throws NotFoundError `SLW_ERR_IMAGES_REPOSITORY_NOT_FOUND` for an unknown repository; ConflictError as {@link checkPushable}.
   */
  recordPush(repository: string, digest: string, tags: readonly string[], imageId?: string): void {
    if (this.repository(repository) === undefined) throw new NotFoundError('SLW_ERR_IMAGES_REPOSITORY_NOT_FOUND', `no image repository ${repository}`);
    this.#db.transaction(() => {
      this.checkPushable(repository, digest, tags, imageId);
      this.#db
        .prepare('INSERT INTO images (repository, digest, pushed_at_ms, image_id) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET expired_at_ms = NULL, expired_by = NULL, image_id = coalesce(excluded.image_id, image_id)')
        .run(repository, digest, this.#clock.now(), imageId ?? null);
      const tag = this.#db.prepare('INSERT INTO image_tags (repository, tag, digest) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET digest = excluded.digest');
      for (const t of tags) tag.run(repository, t, digest);
    })();
  }

  /** Every repository, by name. */
  repositories(): StoredRepository[] {
    return this.#db
      .prepare<[], { name: string }>('SELECT name FROM image_repositories ORDER BY name')
      .all()
      .map((r) => this.repository(r.name)!);
  }

  /** The lifecycle policy of a repository as stored (ECR's JSON text), or undefined. */
  lifecyclePolicyText(repository: string): string | undefined {
    return this.#db.prepare<[string], { lifecycle_policy: string | null }>('SELECT lifecycle_policy FROM image_repositories WHERE name = ?').get(repository)?.lifecycle_policy ?? undefined;
  }

  /** The local image id a pushed digest was built as, when the push recorded it. */
  imageIdOf(repository: string, digest: string): string | undefined {
    return this.#db.prepare<[string, string], { image_id: string | null }>('SELECT image_id FROM images WHERE repository = ? AND digest = ?').get(repository, digest)?.image_id ?? undefined;
  }

  /** Stores an image's scan on push (a JSON document) and its SBOM (CycloneDX JSON text) beside it. */
  recordScan(repository: string, digest: string, scan: unknown, sbom: string | undefined): void {
    this.#db
      .prepare('INSERT INTO image_scans (repository, digest, scan, sbom, scanned_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET scan = excluded.scan, sbom = excluded.sbom, scanned_at_ms = excluded.scanned_at_ms')
      .run(repository, digest, JSON.stringify(scan), sbom ?? null, this.#clock.now());
  }

  /** An image's stored scan, or undefined when it was not scanned. */
  scanOf(repository: string, digest: string): unknown {
    const r = this.#db.prepare<[string, string], { scan: string }>('SELECT scan FROM image_scans WHERE repository = ? AND digest = ?').get(repository, digest);
    return r === undefined ? undefined : JSON.parse(r.scan);
  }

  /** An image's SBOM (CycloneDX JSON text), or undefined when none was stored. */
  sbomOf(repository: string, digest: string): string | undefined {
    return this.#db.prepare<[string, string], { sbom: string | null }>('SELECT sbom FROM image_scans WHERE repository = ? AND digest = ?').get(repository, digest)?.sbom ?? undefined;
  }

  /** The digest a tag is on, or undefined. */
  digestOfTag(repository: string, tag: string): string | undefined {
    return this.#db.prepare<[string, string], { digest: string }>('SELECT digest FROM image_tags WHERE repository = ? AND tag = ?').get(repository, tag)?.digest;
  }

  /** The repository's images that have not expired, with their tags, as the lifecycle evaluator reads them. */
  images(repository: string): RepositoryImage[] {
    const rows = this.#db
      .prepare<[string], { digest: string; pushed_at_ms: number; tags: string | null }>(
        `SELECT i.digest, i.pushed_at_ms, (SELECT json_group_array(t.tag) FROM image_tags t WHERE t.repository = i.repository AND t.digest = i.digest) AS tags
         FROM images i WHERE i.repository = ? AND i.expired_at_ms IS NULL ORDER BY i.pushed_at_ms`,
      )
      .all(repository);
    return rows.map((r) => ({ digest: r.digest, pushedAtMs: r.pushed_at_ms, tags: (JSON.parse(r.tags ?? '[]') as string[]).sort() }));
  }

  /** Marks an image expired by a rule, and drops its tags (the registry deleted the manifest they were on). */
  markExpired(repository: string, digest: string, by: string): void {
    this.#db.transaction(() => {
      this.#db.prepare('UPDATE images SET expired_at_ms = ?, expired_by = ? WHERE repository = ? AND digest = ?').run(this.#clock.now(), by, repository, digest);
      this.#db.prepare('DELETE FROM image_tags WHERE repository = ? AND digest = ?').run(repository, digest);
    })();
  }
}
