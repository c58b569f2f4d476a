import type { CompiledLifecyclePolicy, CompiledLifecycleRule } from '../../../shared/index.js';

/** An image of a repository, as the lifecycle evaluator sees it. */
export interface RepositoryImage {
  /** Manifest digest, `sha256:…`. */
  readonly digest: string;
  /** Its tags; none for an untagged image. */
  readonly tags: readonly string[];
  /** When it was pushed (`pushed_at_time`), ms since the epoch. */
  readonly pushedAtMs: number;
}

/** An image a rule expires, or would expire but may not. */
export interface LifecycleDecision {
  readonly image: RepositoryImage;
  /** The rule that selected it. */
  readonly rulePriority: number;
  /** Why, in words: `more than 3 images match rule 1`, `pushed more than 14 days ago`. */
  readonly reason: string;
}

/** What a policy does to a repository now. */
export interface LifecycleOutcome {
  /** Images to expire, oldest first. */
  readonly expired: readonly LifecycleDecision[];
  /** Images a rule selected that are kept because a task or an unfinished deployment uses them. */
  readonly keptInUse: readonly LifecycleDecision[];
}

/** Options of {@link evaluateLifecyclePolicy}. */
export interface EvaluateLifecycleOptions {
  /** The time ages are measured at, ms since the epoch. */
  readonly nowMs: number;
  /** Digests that must not be expired (running tasks, unfinished deployments). @default none */
  readonly inUse?: ReadonlySet<string>;
}

/**
 * Applies a lifecycle policy as ECR's evaluator does: every rule selects its images (by tag status
 * and tags) and marks some — beyond the newest `countNumber` for `imageCountMoreThan`, pushed more
 * than `countNumber` days ago for `sinceImagePushed`, always oldest first — counting images that a
 * higher-priority rule already selected as if they were still there. Then, by priority, a mark
 * expires its image only when no higher-priority rule selected it: an image is expired by one rule
 * or none, and an image that matches a rule's tags cannot be expired by a lower one. Unlike ECR, an
 * image in use is never expired; it is reported in `keptInUse`. Pure: the caller deletes.
 */
export function evaluateLifecyclePolicy(policy: CompiledLifecyclePolicy, images: readonly RepositoryImage[], options: EvaluateLifecycleOptions): LifecycleOutcome {
  const newestFirst = [...images].sort((a, b) => b.pushedAtMs - a.pushedAtMs || (a.digest < b.digest ? -1 : 1));
  const seen = new Set<string>();
  const expired: LifecycleDecision[] = [];
  const keptInUse: LifecycleDecision[] = [];
  for (const rule of policy.rules) {
    const selected = newestFirst.filter((i) => rule.matches(i.tags));
    for (const image of marked(rule, selected, options.nowMs)) {
      if (seen.has(image.digest)) continue;
      const decision = { image, rulePriority: rule.rulePriority, reason: reasonOf(rule) };
      (options.inUse?.has(image.digest) === true ? keptInUse : expired).push(decision);
    }
    for (const i of selected) seen.add(i.digest);
  }
  const oldestFirst = (a: LifecycleDecision, b: LifecycleDecision): number => a.image.pushedAtMs - b.image.pushedAtMs;
  return { expired: expired.sort(oldestFirst), keptInUse: keptInUse.sort(oldestFirst) };
}

function marked(rule: CompiledLifecycleRule, newestFirst: readonly RepositoryImage[], nowMs: number): readonly RepositoryImage[] {
  if (rule.keepNewest !== undefined) return newestFirst.slice(rule.keepNewest);
  const maxAgeMs = rule.maxAgeMs ?? Infinity;
  return newestFirst.filter((i) => nowMs - i.pushedAtMs > maxAgeMs);
}

function reasonOf(rule: CompiledLifecycleRule): string {
  const what = rule.tagStatus === 'any' ? 'images' : `${rule.tagStatus} images`;
  const by = rule.keepNewest !== undefined ? `more than ${rule.keepNewest} ${what} match` : `pushed more than ${Math.round((rule.maxAgeMs ?? 0) / 86_400_000)} days ago`;
  return `rule ${rule.rulePriority}${rule.description === '' ? '' : ` (${rule.description})`}: ${by}`;
}
