import { describe, expect, it } from 'vitest';
import { decideAccess, effectiveAuth, type AccessRequest } from './access-decision.js';

const OWN = 'http://127.0.0.1:4400';
// An anonymous GET of a route; each row changes what it needs.
const base: AccessRequest = { auth: 'session', matched: true, method: 'GET', bearer: 'absent', session: 'absent', csrfHeader: false, origin: undefined, ownOrigin: OWN, fetchSite: undefined };
const cookie = { session: 'valid', csrfHeader: true } as const;
const refused = (code: string) => ({ allow: false, code });

describe('decideAccess', () => {
  it.each<[string, Partial<AccessRequest>, object]>([
    // GIVEN an open or self-verifying route WHEN nothing is presented THEN it goes on
    ['open route, no credential', { auth: 'open' }, { allow: true, by: 'nothing' }],
    ['open route, a wrong token', { auth: 'open', bearer: 'invalid' }, { allow: true, by: 'nothing' }],
    ['webhook route, no credential (it checks its HMAC)', { auth: 'webhook', method: 'POST' }, { allow: true, by: 'signature' }],
    // GIVEN a token route
    ['token route, the token', { auth: 'token', method: 'POST', bearer: 'valid' }, { allow: true, by: 'token' }],
    ['token route, nothing', { auth: 'token', method: 'POST' }, refused('SLW_ERR_API_UNAUTHORIZED')],
    ['token route, a wrong token', { auth: 'token', method: 'POST', bearer: 'invalid' }, refused('SLW_ERR_API_UNAUTHORIZED')],
    ['token route, a dashboard session with CSRF header', { auth: 'token', method: 'POST', ...cookie }, refused('SLW_ERR_API_TOKEN_REQUIRED')],
    ['token route, a session GET', { auth: 'token', session: 'valid' }, refused('SLW_ERR_API_TOKEN_REQUIRED')],
    // GIVEN a session route
    ['session route, the token', { bearer: 'valid' }, { allow: true, by: 'token' }],
    ['session route, the token and a cross-site header (no cookie involved)', { method: 'POST', bearer: 'valid', fetchSite: 'cross-site' }, { allow: true, by: 'token' }],
    ['session route, nothing', {}, refused('SLW_ERR_API_UNAUTHORIZED')],
    ['session route, a forged cookie', { session: 'invalid' }, refused('SLW_ERR_API_UNAUTHORIZED')],
    ['session route, a wrong token with a valid cookie', { bearer: 'invalid', session: 'valid' }, refused('SLW_ERR_API_UNAUTHORIZED')],
    ['session route, cookie GET', { session: 'valid' }, { allow: true, by: 'session' }],
    ['session route, cookie HEAD', { method: 'HEAD', session: 'valid' }, { allow: true, by: 'session' }],
    ['session route, cookie GET from another site (reads are not state changes)', { session: 'valid', fetchSite: 'cross-site' }, { allow: true, by: 'session' }],
    ['session route, cookie POST with CSRF header, same origin', { method: 'POST', ...cookie, origin: OWN, fetchSite: 'same-origin' }, { allow: true, by: 'session' }],
    ['session route, cookie POST with CSRF header, no Origin, no Sec-Fetch-Site', { method: 'POST', ...cookie }, { allow: true, by: 'session' }],
    ['session route, cookie POST, Sec-Fetch-Site none (typed by the user)', { method: 'POST', ...cookie, fetchSite: 'none' }, { allow: true, by: 'session' }],
    ['session route, cookie POST, Origin in other case', { method: 'POST', ...cookie, origin: 'HTTP://127.0.0.1:4400' }, { allow: true, by: 'session' }],
    ['session route, cookie POST without CSRF header', { method: 'POST', session: 'valid' }, refused('SLW_ERR_API_FORBIDDEN')],
    ['session route, cookie DELETE without CSRF header', { method: 'DELETE', session: 'valid' }, refused('SLW_ERR_API_FORBIDDEN')],
    ['session route, cookie OPTIONS without CSRF header', { method: 'OPTIONS', session: 'valid' }, refused('SLW_ERR_API_FORBIDDEN')],
    ['session route, cookie POST cross-site', { method: 'POST', ...cookie, fetchSite: 'cross-site' }, refused('SLW_ERR_API_CROSS_SITE')],
    ['session route, cookie POST same-site (another port of this machine)', { method: 'POST', ...cookie, fetchSite: 'same-site' }, refused('SLW_ERR_API_CROSS_SITE')],
    ['session route, cookie POST from another origin', { method: 'PUT', ...cookie, origin: 'http://127.0.0.1:8080' }, refused('SLW_ERR_API_CROSS_SITE')],
    ['session route, cookie POST from an opaque origin', { method: 'POST', ...cookie, origin: 'null' }, refused('SLW_ERR_API_CROSS_SITE')],
    ['session route, cookie POST cross-site without CSRF header', { method: 'POST', session: 'valid', fetchSite: 'cross-site', origin: 'https://evil.example' }, refused('SLW_ERR_API_CROSS_SITE')],
    // GIVEN a route that declares nothing THEN it is a token route
    ['undeclared route, the token', { auth: undefined, bearer: 'valid' }, { allow: true, by: 'token' }],
    ['undeclared route, nothing', { auth: undefined }, refused('SLW_ERR_API_UNAUTHORIZED')],
    ['undeclared route, a dashboard session', { auth: undefined, session: 'valid' }, refused('SLW_ERR_API_TOKEN_REQUIRED')],
    // GIVEN no route matched THEN it is a session route: anonymous callers get 401, not a map of routes
    ['no route, nothing', { auth: undefined, matched: false, method: 'POST' }, refused('SLW_ERR_API_UNAUTHORIZED')],
    ['no route, the token', { auth: undefined, matched: false, method: 'POST', bearer: 'valid' }, { allow: true, by: 'token' }],
    ['no route, cookie GET', { auth: undefined, matched: false, session: 'valid' }, { allow: true, by: 'session' }],
  ])('%s', (_name, change, expected) => {
    // WHEN the request is weighed
    const decision = decideAccess({ ...base, ...change });
    // THEN the verdict is the expected one
    expect(decision).toMatchObject(expected);
  });

  it('says what was wrong and where for a cross-site state change, and nothing for an anonymous one', () => {
    expect(decideAccess({ ...base, method: 'POST', ...cookie, origin: 'https://evil.example' })).toEqual({
      allow: false,
      code: 'SLW_ERR_API_CROSS_SITE',
      message: 'headers.origin: a dashboard session changes state only from http://127.0.0.1:4400, got "https://evil.example"',
    });
    expect(decideAccess({ ...base, method: 'POST', ...cookie, fetchSite: 'cross-site' })).toEqual({
      allow: false,
      code: 'SLW_ERR_API_CROSS_SITE',
      message: 'headers.sec-fetch-site: a dashboard session changes state only from its own pages, got "cross-site"',
    });
    expect(decideAccess({ ...base, method: 'POST' })).toEqual({ allow: false, code: 'SLW_ERR_API_UNAUTHORIZED', message: 'Unauthorized' });
  });
});

describe('effectiveAuth', () => {
  it.each<[Parameters<typeof effectiveAuth>[0], boolean, string]>([
    ['open', true, 'open'],
    ['webhook', true, 'webhook'],
    ['session', true, 'session'],
    [undefined, true, 'token'],
    [undefined, false, 'session'],
  ])('a route declaring %s (matched: %s) needs %s', (auth, matched, expected) => {
    expect(effectiveAuth(auth, matched)).toBe(expected);
  });
});
