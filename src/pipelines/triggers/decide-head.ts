/**
 * How a pushed commit stands to the head recorded for its ref:
 * `None` no head is recorded; `Same` it is the recorded head; `Ahead` the recorded head is an
 * ancestor of it (a fast-forward); `Behind` it is an ancestor of the recorded head (an older
 * commit); `Diverged` neither (history was rewritten, e.g. a force-push); `Unknown` the recorded
 * head is not in the repository, so they cannot be compared.
 */
export type HeadRelation = 'None' | 'Same' | 'Ahead' | 'Behind' | 'Diverged' | 'Unknown';

/** Why a head does not start a run. */
export type HeadRefusal = 'SameHead' | 'AlreadyBuilt' | 'NotNewer';

/** The verdict of {@link decideHead}. */
export type HeadVerdict = { readonly start: true } | { readonly start: false; readonly reason: HeadRefusal; readonly message: string };

/** What {@link decideHead} decides from. */
export interface HeadInput {
  readonly ref: string;
  readonly sha: string;
  readonly recordedHead: string | undefined;
  readonly relation: HeadRelation;
  /** A trigger already started a run of `sha` for `ref`. */
  readonly alreadyBuilt: boolean;
}

/**
 * Whether a new head reported for a ref (by a webhook push or a poll) starts a run. Only a commit
 * newer than anything built for the ref does: the recorded head must be an ancestor of it, or be
 * unrelated to it. So a replayed or late push of an older commit starts nothing, whatever its
 * delivery id. A force-push to a commit never built for the ref starts a run (the rewritten
 * history is what the ref now holds); a force-push back to a commit built before, or to an
 * ancestor of the recorded head, does not: run that by hand (`slipway pipeline run --revision`).
 */
export function decideHead(input: HeadInput): HeadVerdict {
  const { ref, sha, recordedHead } = input;
  if (input.relation === 'Same') return { start: false, reason: 'SameHead', message: `a run for ${sha} on ${ref} was already started` };
  if (input.alreadyBuilt) return { start: false, reason: 'AlreadyBuilt', message: `${sha} was already built for ${ref}` };
  if (input.relation === 'Behind') return { start: false, reason: 'NotNewer', message: `${sha} is older than ${recordedHead ?? 'the head'} already recorded for ${ref}` };
  return { start: true };
}
