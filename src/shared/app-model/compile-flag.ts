import type { ResolvedFlag } from './resolved.js';
import type { FlagDefinition } from './schema/flag.js';

/**
 * A flag as written (in the app model's `flags`, or a `PUT /api/v1/flags/:env/:key` body) in its
 * compiled form: `default` becomes `defaultValue`, a rule's `percentage` defaults to 100 and its
 * `match` to `{}`. One place for these defaults, whoever writes the flag.
 */
export function compileFlag(key: string, flag: FlagDefinition): ResolvedFlag {
  return {
    key,
    defaultValue: flag.default,
    variants: flag.variants,
    rules: (flag.rules ?? []).map((r) => ({ percentage: r.percentage ?? 100, match: r.match ?? {}, value: r.value })),
    description: flag.description,
  };
}
