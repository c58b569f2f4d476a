import type { MetricOrigin } from '../model/index.js';
import type { OtlpSignal } from '../otlp/index.js';
import type { IngestCredential } from './ingest-keys.js';

/** One service in one environment: the only data a service key may write. */
export interface ServiceBinding {
  /** The environment of the key. */
  readonly environment: string;
  /** The service of the key. */
  readonly service: string;
}

/** Why ingest was refused as a whole. */
export type IngestDenial = 'NoKey' | 'InvalidKey' | 'SignalNotAllowed';

/** The verdict on one request or datagram, before its body is read. */
export type IngestDecision =
  | {
      readonly allowed: true;
      /** The origin its metric points are stored with. */
      readonly origin: MetricOrigin;
      /** Set for a service or browser key: items that name another service or environment are rejected. */
      readonly binding?: ServiceBinding;
    }
  | {
      readonly allowed: false;
      /** 401 without a valid key, 403 for a valid key that may not write the signal. */
      readonly status: 401 | 403;
      readonly reason: IngestDenial;
    };

/**
 * Decides whether a sender may write a signal (X-Ray segments are `traces`). A valid app key writes anything, a service key
 * anything bound to its service, a browser key traces and logs bound to its service. Without a key, ingest is allowed
 * only when `allowUnauthenticated`, and its metrics are `Anonymous`. A key that does not verify is
 * refused even then: a misconfigured sender should hear about it, not be quietly downgraded.
 */
export function authorizeIngest(credential: IngestCredential, signal: OtlpSignal, allowUnauthenticated: boolean): IngestDecision {
  if (credential.kind === 'Invalid') return { allowed: false, status: 401, reason: 'InvalidKey' };
  if (credential.kind === 'None') return allowUnauthenticated ? { allowed: true, origin: 'Anonymous' } : { allowed: false, status: 401, reason: 'NoKey' };
  const p = credential.principal;
  switch (p.kind) {
    case 'App':
      return { allowed: true, origin: 'Authenticated' };
    case 'Service':
      return { allowed: true, origin: 'Authenticated', binding: { environment: p.environment, service: p.service } };
    case 'Browser':
      // Metric points from pages would be `Authenticated`, which alarms read: anyone can copy a public key.
      return signal === 'metrics'
        ? { allowed: false, status: 403, reason: 'SignalNotAllowed' }
        : { allowed: true, origin: 'Authenticated', binding: { environment: p.environment, service: p.service } };
  }
}
