import type { Db } from '../../core/index.js';

/** What {@link claimHead} moves. */
export interface HeadClaim {
  readonly ref: string;
  readonly sha: string;
  /** The head the caller decided from; undefined when none was recorded. */
  readonly expectedHead: string | undefined;
  readonly nowMs: number;
}

/**
 * Claims `sha` as the new head of `ref` for a run a trigger starts. In one transaction the
 * recorded head moves from `expectedHead` to `sha` (a compare-and-set) and `sha` is recorded as
 * built for `ref`. Returns true only for the caller that moved it; false, with nothing changed,
 * when the head is no longer `expectedHead` (another trigger moved it meanwhile) or `sha` was
 * already built for `ref`. So the poller and a webhook reporting the same push start one run
 * between them, and neither a restart nor a replayed push starts it again.
 */
export function claimHead(db: Db, claim: HeadClaim): boolean {
  const { ref, sha, expectedHead, nowMs } = claim;
  return db.transaction(() => {
    if (wasBuilt(db, ref, sha)) return false;
    const moved =
      expectedHead === undefined
        ? db.prepare('INSERT OR IGNORE INTO pipeline_source_heads (ref, sha, updated_ms) VALUES (?, ?, ?)').run(ref, sha, nowMs).changes
        : db.prepare('UPDATE pipeline_source_heads SET sha = ?, updated_ms = ? WHERE ref = ? AND sha = ?').run(sha, nowMs, ref, expectedHead).changes;
    if (moved === 0) return false;
    db.prepare('INSERT INTO pipeline_source_commits (ref, sha, claimed_ms) VALUES (?, ?, ?)').run(ref, sha, nowMs);
    return true;
  })();
}

/** Whether a trigger already started a run of `sha` for `ref`. */
export function wasBuilt(db: Db, ref: string, sha: string): boolean {
  return db.prepare('SELECT 1 FROM pipeline_source_commits WHERE ref = ? AND sha = ?').get(ref, sha) !== undefined;
}

/**
 * Forgets a deleted ref, so recreating it from an older commit (a branch cut again from main)
 * starts a run; commits already built for it stay refused. With `onlyIf`, only when that is the
 * recorded head (a replayed deletion of an older head changes nothing). Returns whether it forgot.
 */
export function forgetHead(db: Db, ref: string, onlyIf?: string): boolean {
  const r = onlyIf === undefined ? db.prepare('DELETE FROM pipeline_source_heads WHERE ref = ?').run(ref) : db.prepare('DELETE FROM pipeline_source_heads WHERE ref = ? AND sha = ?').run(ref, onlyIf);
  return r.changes > 0;
}

/** The recorded head of `ref`, if any. */
export function recordedHead(db: Db, ref: string): string | undefined {
  return db.prepare<[string], { sha: string }>('SELECT sha FROM pipeline_source_heads WHERE ref = ?').get(ref)?.sha;
}

/** The recorded heads, by ref. */
export function knownHeads(db: Db): Map<string, string> {
  return new Map(db.prepare<[], { ref: string; sha: string }>('SELECT ref, sha FROM pipeline_source_heads').all().map((r) => [r.ref, r.sha]));
}
