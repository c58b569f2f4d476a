/**
 * ECR lifecycle policies, in ECR's own JSON format, as a repository stores them. The evaluator reads
 * the compiled form ({@link CompiledLifecyclePolicy}); `parseLifecyclePolicy` makes it.
 */

/** One rule's `selection`, as written. */
export interface LifecycleSelection {
  /** Which images the rule looks at: those with a tag, those without, or all. */
  readonly tagStatus: 'tagged' | 'untagged' | 'any';
  /** With `tagged`: an image matches when each prefix starts one of its tags. */
  readonly tagPrefixList?: readonly string[];
  /** With `tagged` (instead of prefixes): each pattern, `*` as a wildcard, matches one of its tags. */
  readonly tagPatternList?: readonly string[];
  /** Keep the newest `countNumber` images, or expire those pushed more than `countNumber` days ago. */
  readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
  /** `days`, only with `sinceImagePushed`. */
  readonly countUnit?: 'days';
  /** A positive whole number: images kept, or days. */
  readonly countNumber: number;
}

/** One rule, as written. */
export interface LifecycleRule {
  /** Unique; rules apply from the lowest up. A rule with `tagStatus: 'any'` must have the highest. */
  readonly rulePriority: number;
  readonly description?: string;
  readonly selection: LifecycleSelection;
  /** The one action ECR has: `expire`. */
  readonly action: { readonly type: 'expire' };
}

/** A lifecycle policy, as written (`{ "rules": [...] }`). */
export interface LifecyclePolicy {
  readonly rules: readonly LifecycleRule[];
}

/** A rule, compiled: a tag matcher and its limit. */
export interface CompiledLifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly tagStatus: LifecycleSelection['tagStatus'];
  /** Whether an image with these tags is one the rule looks at. */
  readonly matches: (tags: readonly string[]) => boolean;
  /** Keep the newest `count` images (`imageCountMoreThan`). */
  readonly keepNewest?: number;
  /** Expire images pushed longer ago than this (`sinceImagePushed`), ms. */
  readonly maxAgeMs?: number;
}

/** A policy compiled for evaluation: rules sorted by priority, frozen. */
export interface CompiledLifecyclePolicy {
  readonly rules: readonly CompiledLifecycleRule[];
  /** The policy as written, for showing and storing. */
  readonly source: LifecyclePolicy;
}
