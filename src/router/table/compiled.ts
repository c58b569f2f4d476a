import type { TargetGroupMetrics, ListenerMetrics } from '../metrics/target-group-metrics.js';
import type { UpstreamTarget } from '../proxy/upstream-target.js';
import type { CompiledComparison } from '../shadow/compare-answers.js';
import type { ShadowRecorder } from '../shadow/shadow-recorder.js';
import type { ListenerKind } from './schema.js';

/** A target group ready for the request path. */
export interface CompiledTargetGroup {
  readonly id: string;
  readonly revision: string;
  readonly weightPercent: number;
  /** Healthy targets; the only ones that get new requests. */
  readonly healthyTargets: readonly UpstreamTarget[];
  readonly metrics: TargetGroupMetrics;
  /** Where the next least-outstanding scan starts, so ties go round-robin. */
  cursor: number;
}

/** A mirror rule ready for the request path. */
export interface CompiledMirror {
  readonly group: CompiledTargetGroup;
  /** Share of requests copied, 0–1. */
  readonly fraction: number;
  readonly methods: ReadonlySet<string>;
  readonly maxBodyBytes: number;
  readonly maxConcurrent: number;
  readonly timeoutMs: number;
  /** Copies in flight; shared by the tables that keep the rule, so the bound holds across swaps. */
  readonly state: { inFlight: number };
  /** Set for a shadow comparison. */
  readonly compare: CompiledComparison | undefined;
  readonly recorder: ShadowRecorder | undefined;
}

/** Stickiness ready for the request path. */
export interface CompiledStickiness {
  readonly kind: 'cookie' | 'header';
  /** Cookie name, or lower-cased header name. */
  readonly name: string;
  /** `name=` for a fast scan of the Cookie header. */
  readonly cookiePrefix: string;
  /** The `Set-Cookie` value of each group, precomputed. */
  readonly setCookieByGroup: ReadonlyMap<string, string>;
}

/** One service route ready for the request path: every decision precomputed. */
export interface CompiledService {
  readonly environment: string;
  readonly service: string;
  readonly groups: readonly CompiledTargetGroup[];
  readonly groupsById: ReadonlyMap<string, CompiledTargetGroup>;
  /** Groups with weight > 0 and at least one healthy target, with their cumulative weights. */
  readonly weighted: readonly CompiledTargetGroup[];
  readonly cumulativeWeights: readonly number[];
  /** Sum of the weights in `weighted` (weights are renormalised over groups that can serve). */
  readonly totalWeight: number;
  readonly headerRules: readonly { readonly header: string; readonly value: string; readonly group: CompiledTargetGroup }[];
  readonly stickiness: CompiledStickiness | undefined;
  readonly mirror: CompiledMirror | undefined;
  readonly timeoutMs: number;
  /** Metrics of answers made before a group was chosen (503 with no healthy target). */
  readonly serviceMetrics: TargetGroupMetrics;
  /** Body of the 503 answer, precomputed. */
  readonly noTargetBody: Buffer;
}

/** A listener ready for the request path. */
export interface CompiledListener {
  readonly id: string;
  readonly port: number;
  readonly kind: ListenerKind;
  readonly environment: string;
  /** Ingress rules, longest prefix first. */
  readonly rules: readonly { readonly pathPrefix: string; readonly service: CompiledService }[];
  /** The service of a `service` or `test` listener. */
  readonly service: CompiledService | undefined;
  /** The forced group of a `test` listener. */
  readonly testGroup: CompiledTargetGroup | undefined;
  readonly metrics: ListenerMetrics;
}

/** A whole routing table ready for the request path. Swapped as one object. */
export interface CompiledTable {
  readonly version: number;
  readonly listeners: ReadonlyMap<string, CompiledListener>;
  readonly services: ReadonlyMap<string, CompiledService>;
}
