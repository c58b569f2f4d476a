import { secretsEqual } from '../../core/index.js';

/** Who evaluates flags: the service a flag credential was issued to, and the environment it runs in. */
export interface FlagCaller {
  /** The calling service; impressions are counted under this name. */
  readonly service: string;
  /** The environment whose flags it reads; undefined when the credential is not bound to one. */
  readonly environment: string | undefined;
}

/**
 * Checks a read-only flag credential (the `Authorization: Bearer` token or the `X-API-Key` header
 * of an OFREP request): the caller it belongs to, or undefined when it is not valid.
 */
export type FlagCredentialCheck = (credential: string) => FlagCaller | undefined;

/** A credential and the caller it stands for. */
export interface FlagCredential {
  readonly token: string;
  readonly caller: FlagCaller;
}

/**
 * A {@link FlagCredentialCheck} over a fixed list of credentials, compared in constant time
 * (every entry is compared, so the time taken says nothing about which one matched).
 * @throws {TypeError} when a token is shorter than 16 characters, or listed twice
 */
export function flagCredentials(credentials: readonly FlagCredential[]): FlagCredentialCheck {
  const seen = new Set<string>();
  for (const c of credentials) {
    if (c.token.length < 16) throw new TypeError(`flag credential of ${c.caller.service}: expected a token of at least 16 characters`);
    if (seen.has(c.token)) throw new TypeError(`flag credential of ${c.caller.service}: the same token is listed twice`);
    seen.add(c.token);
  }
  const list = credentials.map((c) => ({ token: c.token, caller: Object.freeze({ ...c.caller }) }));
  return (credential) => {
    let found: FlagCaller | undefined;
    for (const c of list) if (secretsEqual(credential, c.token) && found === undefined) found = c.caller;
    return found;
  };
}
