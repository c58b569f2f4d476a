import type { RegistryClient } from '../client/registry-client.js';
import type { ImageStore } from '../store/image-store.js';
import { evaluateLifecyclePolicy, type LifecycleDecision, type LifecycleOutcome } from './evaluate-policy.js';

/** What {@link applyLifecycle} needs. */
export interface ApplyLifecycleInput {
  readonly store: ImageStore;
  /** The registry whose manifests expire. */
  readonly registry: Pick<RegistryClient, 'deleteManifest'>;
  readonly repository: string;
  /** Digests a task or an unfinished deployment uses, read just before. */
  readonly inUse: ReadonlySet<string>;
  readonly nowMs: number;
}

/** What one application of a policy did. */
export interface AppliedLifecycle extends LifecycleOutcome {
  /** Expiries that failed (the registry refused or was down); they are tried again next time. */
  readonly failed: readonly (LifecycleDecision & { readonly error: string })[];
}

/**
 * Applies a repository's lifecycle policy now: evaluates it over the images the store knows, deletes
 * each expired manifest from the registry, and marks it expired only once the registry has deleted
 * it — a registry that is down leaves the store as it was, to be tried again. A repository without a
 * policy expires nothing.
 */
export async function applyLifecycle(input: ApplyLifecycleInput): Promise<AppliedLifecycle> {
  const policy = input.store.repository(input.repository)?.lifecyclePolicy;
  if (policy === undefined) return { expired: [], keptInUse: [], failed: [] };
  const outcome = evaluateLifecyclePolicy(policy, input.store.images(input.repository), { nowMs: input.nowMs, inUse: input.inUse });
  const expired: LifecycleDecision[] = [];
  const failed: (LifecycleDecision & { error: string })[] = [];
  for (const d of outcome.expired) {
    try {
      await input.registry.deleteManifest(input.repository, d.image.digest);
      input.store.markExpired(input.repository, d.image.digest, d.reason);
      expired.push(d);
    } catch (err) {
      failed.push({ ...d, error: (err as Error).message });
    }
  }
  return { expired, keptInUse: outcome.keptInUse, failed };
}
