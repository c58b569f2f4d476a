import type { FlagMatchValue } from './flag-conditions.js';
import type { ResolvedFlag, ResolvedFlagRule } from './resolved.js';
import type { FlagDefinition } from './schema/flag.js';

/** A rule as written (in a flag, or in an environment's override). */
type RuleDefinition = NonNullable<FlagDefinition['rules']>[number];

/** Named segments by name, as the app model declares them (their `match`). */
export type SegmentMatches = Readonly<Record<string, Readonly<Record<string, FlagMatchValue>>>>;

/**
 * A flag as written (in the app model's `flags`, or a `PUT /api/v1/flags/:env/:key` body) in its
 * compiled form: `default` becomes `defaultValue`, a rule's `percentage` defaults to 100 and its
 * `match` to `{}`, and a rule naming a segment carries a copy of that segment's conditions (so a
 * stored flag evaluates on its own); a segment `segments` does not have is kept by name only, for
 * the checks to refuse. One place for these defaults, whoever writes the flag. Per-environment
 * overrides are not applied here: see {@link compileFlagForEnvironment}.
 */
export function compileFlag(key: string, flag: FlagDefinition, segments: SegmentMatches = {}): ResolvedFlag {
  return {
    key,
    defaultValue: flag.default,
    variants: flag.variants,
    rules: (flag.rules ?? []).map((r) => compileRule(r, segments)),
    description: flag.description,
  };
}

/** The flag an environment is seeded with: the override's `default` and `rules`, where it has them, over the flag's. */
export function compileFlagForEnvironment(key: string, flag: FlagDefinition, environment: string, segments: SegmentMatches = {}): ResolvedFlag {
  const override = flag.environments !== undefined && Object.hasOwn(flag.environments, environment) ? flag.environments[environment] : undefined;
  if (override === undefined) return compileFlag(key, flag, segments);
  return compileFlag(key, { ...flag, default: override.default ?? flag.default, rules: override.rules ?? flag.rules }, segments);
}

function compileRule(r: RuleDefinition, segments: SegmentMatches): ResolvedFlagRule {
  const segment = r.segment === undefined ? undefined : Object.hasOwn(segments, r.segment) ? { name: r.segment, match: segments[r.segment]! } : { name: r.segment };
  return {
    percentage: r.percentage ?? 100,
    match: r.match ?? {},
    ...(segment === undefined ? {} : { segment }),
    ...(r.stickiness === undefined ? {} : { stickiness: r.stickiness }),
    value: r.value,
  };
}
