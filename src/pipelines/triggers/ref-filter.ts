import type { ResolvedPipeline } from '../../shared/index.js';
import { globMatcher } from '../build/glob.js';

/** A git ref named by its kind and short name. */
export interface SourceRef {
  /** The full ref, e.g. `refs/heads/release/1.2` or `refs/tags/v1.0.0`. */
  readonly ref: string;
  readonly kind: 'branch' | 'tag';
  /** The short name, e.g. `release/1.2` or `v1.0.0`. */
  readonly name: string;
}

/** Parses a full ref (`refs/heads/...`, `refs/tags/...`); undefined for other refs. */
export function parseRef(ref: string): SourceRef | undefined {
  if (ref.startsWith('refs/heads/') && ref.length > 'refs/heads/'.length) return { ref, kind: 'branch', name: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/') && ref.length > 'refs/tags/'.length) return { ref, kind: 'tag', name: ref.slice('refs/tags/'.length) };
  return undefined;
}

/**
 * Whether a ref starts runs: a branch matching one of `trigger.branches`, or a tag matching one
 * of `trigger.tags`. Patterns are globs: `*` stays within one path segment (`release/*` matches
 * `release/1.2`, not `release/1/2`), `**` crosses segments, `?` is one character.
 */
export function refMatchesTrigger(trigger: ResolvedPipeline['trigger'], ref: SourceRef): boolean {
  const patterns = ref.kind === 'branch' ? trigger.branches : trigger.tags;
  return patterns.some((p) => globMatcher(p).test(ref.name));
}
