import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock, type Db, type EventLog } from '../../core/index.js';
import { InputError, NotFoundError } from '../../shared/index.js';
import { collectEntries } from './collect-entries.js';
import { DIGEST_PATTERN, TAG_PATTERN, type Artifact, type ArtifactFile, type ArtifactFilter, type ArtifactMeta, type LifecyclePolicy } from './model.js';
import { planLifecycle } from './plan-lifecycle.js';
import { extractTarGz } from './tar/extract-tar.js';
import { writeTarGz } from './tar/write-tar.js';

/** Options of {@link ArtifactStore}. */
export interface ArtifactStoreOptions {
  /** A database with `artifactMigrations` applied. */
  readonly db: Db;
  /** The data directory's `artifacts/`. */
  readonly dir: string;
  /** Where tag moves and deletions are recorded. @default none */
  readonly events?: EventLog;
  /** @default systemClock */
  readonly clock?: Clock;
}

interface Row {
  digest: string;
  size_bytes: number;
  created_ms: number;
  service: string;
  commit_sha: string | null;
  build_number: number | null;
  file_count: number;
}

/**
 * Content-addressed, immutable build artifacts: gzip-compressed tar archives
 * under `<dir>/sha256/<hex>.tar.gz`, named by the SHA-256 of their bytes, with
 * metadata and `<service>:<tag>` tags in SQLite.
 */
export class ArtifactStore {
  readonly #db: Db;
  readonly #dir: string;
  readonly #events: EventLog | undefined;
  readonly #clock: Clock;

  constructor(options: ArtifactStoreOptions) {
    this.#db = options.db;
    this.#dir = path.resolve(options.dir);
    this.#events = options.events;
    this.#clock = options.clock ?? systemClock;
  }

  /** The archive file of a digest. */
  archivePath(digest: string): string {
    checkDigest(digest);
    return path.join(this.#dir, 'sha256', `${digest.slice('sha256:'.length)}.tar.gz`);
  }

  /** Archives `files` (paths relative to `dir`) and stores them; see {@link putFiles}. */
  putDirectory(dir: string, files: readonly string[], meta: ArtifactMeta): Promise<Artifact> {
    const root = path.resolve(dir);
    return this.putFiles(files.map((f) => ({ path: f, sourcePath: path.join(root, f) })), meta);
  }

  /**
   * Archives files and stores the archive under its digest: written to a
   * temporary file, fsynced and renamed, so a reader never sees half an
   * archive; an existing digest is never rewritten. Points the meta's tags at it.
   */
  async putFiles(files: readonly ArtifactFile[], meta: ArtifactMeta): Promise<Artifact> {
    const tags = meta.tags ?? [meta.commitSha, meta.buildNumber === undefined ? undefined : `build-${meta.buildNumber}`, 'latest'].filter((t): t is string => t !== undefined);
    for (const t of tags) checkTag(t);
    const entries = collectEntries(files);
    const tmpDir = path.join(this.#dir, 'tmp');
    fs.mkdirSync(tmpDir, { recursive: true });
    fs.mkdirSync(path.join(this.#dir, 'sha256'), { recursive: true });
    const tmp = path.join(tmpDir, `${crypto.randomUUID()}.tar.gz`);
    try {
      const { digest, sizeBytes } = await writeTarGz(entries, tmp);
      const final = this.archivePath(digest);
      if (fs.existsSync(final)) fs.unlinkSync(tmp);
      else {
        fs.renameSync(tmp, final);
        fsyncDir(path.dirname(final));
      }
      const nowMs = this.#clock.now();
      const inserted = this.#db
        .prepare('INSERT OR IGNORE INTO pipeline_artifacts (digest, size_bytes, created_ms, service, commit_sha, build_number, file_count) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(digest, sizeBytes, nowMs, meta.service, meta.commitSha ?? null, meta.buildNumber ?? null, entries.length);
      if (inserted.changes > 0) {
        this.#events?.append({ type: 'artifact.stored', subject: `artifact/${digest}`, data: { digest, sizeBytes, service: meta.service, commitSha: meta.commitSha ?? null, buildNumber: meta.buildNumber ?? null } });
      }
      for (const t of tags) this.tag(meta.service, t, digest);
      return this.get(digest);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  /** Points `<service>:<tag>` at a digest; a move (or creation) is recorded as `artifact.tag.moved`. */
  tag(service: string, tag: string, digest: string): void {
    checkTag(tag);
    this.get(digest);
    const prev = this.#db.prepare<[string, string], { digest: string }>('SELECT digest FROM pipeline_artifact_tags WHERE service = ? AND tag = ?').get(service, tag);
    if (prev?.digest === digest) return;
    this.#db
      .prepare('INSERT INTO pipeline_artifact_tags (service, tag, digest, updated_ms) VALUES (?, ?, ?, ?) ON CONFLICT (service, tag) DO UPDATE SET digest = excluded.digest, updated_ms = excluded.updated_ms')
      .run(service, tag, digest, this.#clock.now());
    this.#events?.append({ type: 'artifact.tag.moved', subject: `artifact-tag/${service}:${tag}`, data: { service, tag, from: prev?.digest ?? null, to: digest } });
  }

  /** The artifact of a digest; throws NotFoundError. */
  get(digest: string): Artifact {
    const a = this.tryGet(digest);
    if (a === undefined) throw new NotFoundError('SLW_ERR_ARTIFACT_NOT_FOUND', `no artifact ${digest}`);
    return a;
  }

  /** The artifact of a digest, or undefined. */
  tryGet(digest: string): Artifact | undefined {
    const row = this.#db.prepare<[string], Row>('SELECT * FROM pipeline_artifacts WHERE digest = ?').get(digest);
    return row === undefined ? undefined : this.#toArtifact(row);
  }

  /** Resolves `sha256:<hex>` or `<service>:<tag>` to an artifact; throws NotFoundError or InputError. */
  resolve(ref: string): Artifact {
    if (ref.startsWith('sha256:')) {
      checkDigest(ref);
      return this.get(ref);
    }
    const colon = ref.lastIndexOf(':');
    if (colon <= 0 || !TAG_PATTERN.test(ref.slice(colon + 1))) {
      throw new InputError('SLW_ERR_ARTIFACT_INVALID_REF', `artifact reference ${JSON.stringify(ref)} is neither sha256:<hex> nor <service>:<tag>`);
    }
    const row = this.#db.prepare<[string, string], { digest: string }>('SELECT digest FROM pipeline_artifact_tags WHERE service = ? AND tag = ?').get(ref.slice(0, colon), ref.slice(colon + 1));
    if (row === undefined) throw new NotFoundError('SLW_ERR_ARTIFACT_NOT_FOUND', `no artifact tagged ${ref}`);
    return this.get(row.digest);
  }

  /** Artifacts, newest first. */
  list(filter: ArtifactFilter = {}): Artifact[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.service !== undefined) {
      where.push('service = ?');
      args.push(filter.service);
    }
    if (filter.commitSha !== undefined) {
      where.push('commit_sha = ?');
      args.push(filter.commitSha);
    }
    const sql = `SELECT * FROM pipeline_artifacts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_ms DESC, digest DESC LIMIT ?`;
    return this.#db.prepare<(string | number)[], Row>(sql).all(...args, filter.limit ?? 100).map((r) => this.#toArtifact(r));
  }

  /** Extracts an artifact (by digest or tag) into `dir` safely; returns the number of entries. */
  async extractTo(ref: string, dir: string): Promise<number> {
    return extractTarGz(this.archivePath(this.resolve(ref).digest), dir);
  }

  /**
   * Applies the lifecycle policy (see `planLifecycle`): removes tags beyond
   * `keepLast` per service and deletes expired untagged artifacts, never one in `inUse`.
   */
  applyLifecycle(options: { readonly policy: LifecyclePolicy; readonly inUse: ReadonlySet<string>; readonly nowMs?: number }): { untagged: number; deleted: string[] } {
    const tags = this.#db.prepare<[], { service: string; tag: string; digest: string }>('SELECT service, tag, digest FROM pipeline_artifact_tags').all();
    const rows = this.#db.prepare<[], Row>('SELECT * FROM pipeline_artifacts').all();
    const plan = planLifecycle(
      rows.map((r) => ({ digest: r.digest, createdAtMs: r.created_ms, tags: tags.filter((t) => t.digest === r.digest) })),
      options.policy,
      options.inUse,
      options.nowMs ?? this.#clock.now(),
    );
    this.#db.transaction(() => {
      for (const t of plan.untag) this.#db.prepare('DELETE FROM pipeline_artifact_tags WHERE service = ? AND tag = ? AND digest = ?').run(t.service, t.tag, t.digest);
      for (const d of plan.delete) this.#db.prepare('DELETE FROM pipeline_artifacts WHERE digest = ?').run(d);
    })();
    for (const t of plan.untag) this.#events?.append({ type: 'artifact.tag.removed', subject: `artifact-tag/${t.service}:${t.tag}`, data: { ...t } });
    for (const d of plan.delete) {
      fs.rmSync(this.archivePath(d), { force: true });
      this.#events?.append({ type: 'artifact.deleted', subject: `artifact/${d}`, data: { digest: d } });
    }
    return { untagged: plan.untag.length, deleted: [...plan.delete] };
  }

  #toArtifact(r: Row): Artifact {
    const tags = this.#db.prepare<[string], { t: string }>("SELECT service || ':' || tag AS t FROM pipeline_artifact_tags WHERE digest = ? ORDER BY t").all(r.digest);
    return {
      digest: r.digest,
      sizeBytes: r.size_bytes,
      createdAtMs: r.created_ms,
      service: r.service,
      commitSha: r.commit_sha ?? undefined,
      buildNumber: r.build_number ?? undefined,
      fileCount: r.file_count,
      tags: tags.map((t) => t.t),
    };
  }
}

function checkDigest(digest: string): void {
  if (!DIGEST_PATTERN.test(digest)) throw new InputError('SLW_ERR_ARTIFACT_INVALID_REF', `${JSON.stringify(digest)} is not a digest (expected sha256:<64 hex digits>)`);
}

function checkTag(tag: string): void {
  if (!TAG_PATTERN.test(tag)) throw new InputError('SLW_ERR_ARTIFACT_INVALID_REF', `tag ${JSON.stringify(tag)} is invalid: use letters, digits and _ . -, at most 128 characters`);
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
