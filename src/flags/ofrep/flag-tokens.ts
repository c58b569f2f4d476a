import crypto from 'node:crypto';
import { secretsEqual } from '../../core/index.js';
import { isDnsName } from '../../shared/index.js';
import type { FlagCaller, FlagCredentialCheck } from './credentials.js';

/** The prefix of every token {@link FlagTokens} issues. */
const PREFIX = 'flg';

// Tokens longer than this are refused before any hashing.
const MAX_TOKEN_LENGTH = 512;

/**
 * Read-only flag credentials for the tasks of one control plane, all derived from one signing
 * secret: the token of a service in an environment is `flg.<environment>.<service>.<mac>`, the
 * mac an HMAC-SHA256 of the secret over both names. A token names its caller and cannot be
 * rebound to another service or environment; nothing is stored per task, so tokens of adopted
 * tasks stay valid across restarts as long as the secret (`<data>/flags-key`) is kept, and
 * replacing the secret revokes every token at once. A token only evaluates flags (OFREP); it
 * opens no other route.
 *
 * @example
 * const tokens = new FlagTokens(readOrCreateSecret(dataDir.flagsKeyFile, { rotation }));
 * const token = tokens.tokenFor('production', 'gateway'); // flg.production.gateway.…
 * tokens.check(token); // { service: 'gateway', environment: 'production' }
 */
export class FlagTokens {
  readonly #secret: string;

  /**
   * @param secret the signing secret, e.g. the content of `<data>/flags-key`
   * @throws {Error} when the secret has fewer than 32 characters
   */
  constructor(secret: string) {
    if (secret.length < 32) throw new Error('a flag signing secret has at least 32 characters');
    this.#secret = secret;
  }

  /**
   * The token of one service in one environment.
   * @throws {Error} when a name is not DNS-safe (the app model allows no other)
   */
  tokenFor(environment: string, service: string): string {
    if (!isDnsName(environment) || !isDnsName(service)) throw new Error(`no flag token for "${environment}/${service}": names must be DNS-safe`);
    return `${PREFIX}.${environment}.${service}.${this.#mac(environment, service)}`;
  }

  /** Checks a presented token: its caller, or undefined when it was not issued with this secret. */
  readonly check: FlagCredentialCheck = (credential: string): FlagCaller | undefined => {
    if (credential.length > MAX_TOKEN_LENGTH) return undefined;
    const parts = credential.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) return undefined;
    const [, environment = '', service = '', mac = ''] = parts;
    if (!isDnsName(environment) || !isDnsName(service)) return undefined;
    return secretsEqual(mac, this.#mac(environment, service)) ? { service, environment } : undefined;
  };

  #mac(environment: string, service: string): string {
    return crypto.createHmac('sha256', this.#secret).update(`slipway flag token v1\u0000${environment}\u0000${service}`).digest('base64url');
  }
}
