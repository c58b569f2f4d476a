import type { LifecyclePolicy } from './model.js';

/** What the lifecycle planner needs to know of one artifact. */
export interface LifecycleArtifact {
  readonly digest: string;
  readonly createdAtMs: number;
  readonly tags: readonly { readonly service: string; readonly tag: string }[];
}

/** What a lifecycle pass does. */
export interface LifecyclePlan {
  /** Tags to remove: tagged artifacts beyond `keepLast` of their service. */
  readonly untag: readonly { readonly service: string; readonly tag: string; readonly digest: string }[];
  /** Digests to delete: untagged (after `untag`), older than the expiry, not in use. */
  readonly delete: readonly string[];
}

/**
 * Plans a lifecycle pass (pure). Per service, the `keepLast` newest tagged
 * artifacts keep their tags; older ones lose them, except the `latest` tag and
 * digests in use. Then every artifact left without tags, created at least
 * `expireUntaggedAfterMs` ago and not in use is deleted.
 */
export function planLifecycle(artifacts: readonly LifecycleArtifact[], policy: LifecyclePolicy, inUse: ReadonlySet<string>, nowMs: number): LifecyclePlan {
  const byService = new Map<string, LifecycleArtifact[]>();
  for (const a of artifacts) {
    for (const service of new Set(a.tags.map((t) => t.service))) {
      const list = byService.get(service) ?? [];
      list.push(a);
      byService.set(service, list);
    }
  }
  const untag: { service: string; tag: string; digest: string }[] = [];
  const removed = new Set<string>();
  for (const [service, list] of [...byService].sort(([a], [b]) => a.localeCompare(b))) {
    const newestFirst = [...list].sort((a, b) => b.createdAtMs - a.createdAtMs || b.digest.localeCompare(a.digest));
    for (const a of newestFirst.slice(Math.max(0, policy.keepLast))) {
      if (inUse.has(a.digest)) continue;
      for (const t of a.tags) {
        if (t.service !== service || t.tag === 'latest') continue;
        untag.push({ service, tag: t.tag, digest: a.digest });
        removed.add(`${a.digest}\n${service}\n${t.tag}`);
      }
    }
  }
  const del = artifacts
    .filter((a) => !inUse.has(a.digest))
    .filter((a) => a.tags.every((t) => removed.has(`${a.digest}\n${t.service}\n${t.tag}`)))
    .filter((a) => nowMs - a.createdAtMs >= policy.expireUntaggedAfterMs)
    .map((a) => a.digest)
    .sort();
  return { untag, delete: del };
}
