import type { ResolvedPipeline } from '../../../shared/index.js';

/** The push filters of a CodePipeline V2 Git trigger (CodePipeline allows at most 8 patterns per list). */
export interface PushFilters {
  /** One filter per list: CodePipeline matches branches and tags in separate filters. */
  readonly filters: readonly ({ readonly branchesIncludes: readonly string[] } | { readonly tagsIncludes: readonly string[] })[];
  /** The branch the source action checks out when the pipeline is started by hand. */
  readonly defaultBranch: string;
  readonly differences: readonly string[];
}

const MAX_PATTERNS = 8;
const GLOB = /[*?[\]{}]/;

/**
 * The V2 trigger filters of the model's trigger: branch globs (the `gitflow` preset has already
 * resolved to `main`, `develop`, `release/*`, `hotfix/*`) and tag globs, each list in its own push filter.
 */
export function pushFilters(trigger: ResolvedPipeline['trigger']): PushFilters {
  const differences: string[] = [];
  const limit = (list: readonly string[], what: string): string[] => {
    if (list.length > MAX_PATTERNS) differences.push(`CodePipeline triggers take at most ${MAX_PATTERNS} ${what} patterns; ${list.slice(MAX_PATTERNS).join(', ')} are dropped`);
    return list.slice(0, MAX_PATTERNS);
  };
  const filters: PushFilters['filters'][number][] = [];
  if (trigger.branches.length > 0) filters.push({ branchesIncludes: limit(trigger.branches, 'branch') });
  if (trigger.tags.length > 0) filters.push({ tagsIncludes: limit(trigger.tags, 'tag') });
  const defaultBranch = trigger.branches.find((b) => b === 'main') ?? trigger.branches.find((b) => !GLOB.test(b)) ?? 'main';
  return { filters, defaultBranch, differences };
}
