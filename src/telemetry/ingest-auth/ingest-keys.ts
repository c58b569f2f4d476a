import crypto from 'node:crypto';
import { secretsEqual } from '../../core/index.js';
import { isDnsName } from '../../shared/index.js';

/** The HTTP header an OTLP sender puts its ingest key in (on JSON and protobuf requests alike). */
export const INGEST_KEY_HEADER = 'x-slipway-ingest-key';

/** The member of the X-Ray daemon header line that carries the ingest key. */
export const XRAY_INGEST_KEY_FIELD = 'slipway_ingest_key';

/**
 * Who a valid ingest key belongs to:
 * - `App`: the app's own key (`<data>/ingest-key`), for the user's tools; writes anything.
 * - `Service`: one service in one environment (the key the supervisor gives its tasks);
 *   writes only data that names that service and no other environment.
 * - `Browser`: a public key meant to be shipped to pages (RUM), for the browser's service name in
 *   one environment; writes only traces and logs of that service, never metrics, and reads nothing.
 */
export type IngestPrincipal =
  | { readonly kind: 'App' }
  | { readonly kind: 'Service'; readonly environment: string; readonly service: string }
  | { readonly kind: 'Browser'; readonly environment: string; readonly service: string };

/** What a request presented: no key, a key that does not verify, or a valid key and its principal. */
export type IngestCredential =
  | { readonly kind: 'None' }
  | { readonly kind: 'Invalid' }
  | { readonly kind: 'Valid'; readonly principal: IngestPrincipal };

// Keys longer than this are refused before any hashing.
const MAX_KEY_LENGTH = 512;

/**
 * The ingest keys of one app, all from one secret: the app key is the secret itself; the
 * service keys (`svc.<environment>.<service>.<mac>`) and the browser keys (`rum.<environment>.<service>.<mac>`) are
 * HMAC-SHA256 of the secret, so they survive restarts (adopted tasks keep sending) and need
 * no storage. Replacing the secret file rotates every key at once.
 */
export class IngestKeys {
  readonly #secret: string;

  /** @param secret the app's ingest secret, e.g. the content of `<data>/ingest-key` */
  constructor(secret: string) {
    if (secret.length < 32) throw new Error('an ingest secret has at least 32 characters');
    this.#secret = secret;
  }

  /** The app key: the secret itself. */
  get appKey(): string {
    return this.#secret;
  }

  /**
   * The public browser (RUM) key of the pages' service name in one environment: traces and logs
   * of that service only. It is meant to be seen by anyone who loads a page.
   * @throws Error when a name is not DNS-safe
   */
  browserKey(environment: string, service: string): string {
    if (!isDnsName(environment) || !isDnsName(service)) throw new Error(`no browser key for "${environment}/${service}": names must be DNS-safe`);
    return `rum.${environment}.${service}.${this.#browserMac(environment, service)}`;
  }

  /**
   * The key of one service in one environment.
   * @throws Error when a name is not DNS-safe (the app model allows no other).
   */
  serviceKey(environment: string, service: string): string {
    if (!isDnsName(environment) || !isDnsName(service)) throw new Error(`no service key for "${environment}/${service}": names must be DNS-safe`);
    return `svc.${environment}.${service}.${this.#serviceMac(environment, service)}`;
  }

  /** What a presented key is; comparisons take the same time wherever a wrong key differs. */
  identify(presented: string | undefined): IngestCredential {
    if (presented === undefined || presented === '') return { kind: 'None' };
    if (presented.length > MAX_KEY_LENGTH) return { kind: 'Invalid' };
    const parts = presented.split('.');
    if (parts[0] === 'svc' && parts.length === 4) {
      const [, environment = '', service = '', mac = ''] = parts;
      if (isDnsName(environment) && isDnsName(service) && secretsEqual(mac, this.#serviceMac(environment, service))) {
        return { kind: 'Valid', principal: { kind: 'Service', environment, service } };
      }
      return { kind: 'Invalid' };
    }
    if (parts[0] === 'rum' && parts.length === 4) {
      const [, environment = '', service = '', mac = ''] = parts;
      if (isDnsName(environment) && isDnsName(service) && secretsEqual(mac, this.#browserMac(environment, service))) {
        return { kind: 'Valid', principal: { kind: 'Browser', environment, service } };
      }
      return { kind: 'Invalid' };
    }
    return secretsEqual(presented, this.#secret) ? { kind: 'Valid', principal: { kind: 'App' } } : { kind: 'Invalid' };
  }

  #serviceMac(environment: string, service: string): string {
    return this.#mac(`service\u0000${environment}\u0000${service}`);
  }

  #browserMac(environment: string, service: string): string {
    return this.#mac(`browser\u0000${environment}\u0000${service}`);
  }

  #mac(label: string): string {
    return crypto.createHmac('sha256', this.#secret).update(`slipway ingest key v1\u0000${label}`).digest('base64url');
  }
}
