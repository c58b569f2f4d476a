import type { ResolvedShadow, ShadowReportDto } from '../../shared/index.js';

/** A shadow comparison to run: copies of a share of the service's requests to `revision`, compared with the answers the service gives. */
export interface ShadowRequest {
  readonly environment: string;
  readonly service: string;
  /** The revision that receives the copies (it has no real traffic). */
  readonly revision: string;
  /** Names the comparison and its report; the same id again continues it. */
  readonly id: string;
  readonly shadow: ResolvedShadow;
}

/**
 * A data plane that can mirror requests to a revision and compare the answers (Diffy's
 * shadow traffic). A separate port from {@link TrafficTarget}: a target that cannot mirror
 * (a feature-flag rollout) does not implement it, and a deployment that asks for a shadow
 * step there is refused when it is created.
 */
export interface ShadowTarget {
  /** Starts (or keeps) mirroring to `request.revision` (idempotent); resolves once the data plane mirrors. */
  startShadow(request: ShadowRequest): Promise<void>;
  /** Stops mirroring for the service (idempotent). */
  stopShadow(environment: string, service: string): Promise<void>;
  /** The comparison's totals so far, read from the data plane; throws when it has none. */
  shadowReport(id: string): Promise<ShadowReportDto>;
}

/** The id of a deployment step's shadow comparison. */
export function shadowId(deploymentId: number, stepIndex: number): string {
  return `deployment-${deploymentId}.step-${stepIndex}`;
}
