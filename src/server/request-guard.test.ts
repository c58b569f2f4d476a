import { describe, expect, it } from 'vitest';
import { allowedHosts, compileAllowedHosts, hostProblem, normaliseHost, requestTargetProblem, type ListenerNames } from './request-guard.js';

describe('requestTargetProblem', () => {
  it.each<[string | undefined, boolean]>([
    ['/api/v1/status', true],
    ['/', true],
    ['/%61pi/v1/status?x=1', true],
    ['//api/v1/status', true],
    ['http://127.0.0.1/api/v1/status', false],
    ['HTTP://127.0.0.1:4400/api/v1/status', false],
    ['*', false],
    ['api/v1/status', false],
    ['', false],
    [undefined, false],
  ])('%j is accepted: %s', (target, ok) => {
    // GIVEN a raw request target WHEN it is checked THEN only origin-form passes
    expect(requestTargetProblem(target) === undefined).toBe(ok);
  });

  it('names the target and what is expected', () => {
    expect(requestTargetProblem('http://127.0.0.1/api/v1/status')).toBe('request target "http://127.0.0.1/api/v1/status": expected a path starting with "/" (origin-form), not an absolute URL or "*"');
  });
});

describe('allowedHosts and hostProblem', () => {
  const listener: ListenerNames = { port: 4400, address: '127.0.0.1', baseUrl: 'http://127.0.0.1:4400', extra: [], injected: false };

  it.each<[string, Partial<ListenerNames>, string | undefined, boolean]>([
    // GIVEN a listener on 127.0.0.1:4400
    ['its IPv4 loopback and port', {}, '127.0.0.1:4400', true],
    ['localhost and port', {}, 'localhost:4400', true],
    ['LOCALHOST in capitals', {}, 'LOCALHOST:4400', true],
    ['the IPv6 loopback and port', {}, '[::1]:4400', true],
    ['another port', {}, '127.0.0.1:4401', false],
    ['no port', {}, '127.0.0.1', false],
    ['a rebinding name', {}, 'evil.example:4400', false],
    ['a name ending in localhost', {}, 'localhost.evil.example:4400', false],
    ['localhost with a trailing dot', {}, 'localhost.:4400', false],
    ['an empty Host', {}, '', false],
    ['no Host at all', {}, undefined, false],
    ["inject()'s Host over a real socket", {}, 'localhost:80', false],
    // GIVEN an inject() request
    ["inject()'s Host", { injected: true }, 'localhost:80', true],
    ['a foreign Host through inject()', { injected: true }, 'evil.example', false],
    // GIVEN the listener is bound elsewhere or configured with more names
    ['the bound address', { address: '192.168.1.5', baseUrl: undefined }, '192.168.1.5:4400', true],
    ['the bound IPv6 address', { address: 'fd00::5', baseUrl: undefined }, '[fd00::5]:4400', true],
    ['any address of 0.0.0.0 is not implied', { address: '0.0.0.0', baseUrl: 'http://0.0.0.0:4400' }, '10.0.0.7:4400', false],
    ['the host of the base URL', { baseUrl: 'http://slipway.internal:4400' }, 'slipway.internal:4400', true],
    ['a configured extra name', { extra: ['tunnel.example'] }, 'tunnel.example', true],
    ['a configured extra name with :80', { extra: ['tunnel.example'] }, 'tunnel.example:80', true],
    ['a configured extra name on another port', { extra: ['tunnel.example'] }, 'tunnel.example:9000', false],
    // GIVEN a listener on port 80, where browsers leave the port out
    ['port 80 without the port', { port: 80, baseUrl: undefined }, 'localhost', true],
    ['port 80 with the port', { port: 80, baseUrl: undefined }, '127.0.0.1:80', true],
    // GIVEN a server that is not listening
    ['no listener, a loopback Host', { port: undefined, address: undefined, baseUrl: undefined }, '127.0.0.1:4400', false],
  ])('%s', (_name, change, host, ok) => {
    // WHEN the Host header is checked
    const problem = hostProblem(host, allowedHosts({ ...listener, ...change }));
    // THEN it passes only when it names this server
    expect(problem === undefined).toBe(ok);
  });

  it('says which header and what to do, without listing the names it accepts', () => {
    expect(hostProblem('evil.example:4400', allowedHosts(listener))).toBe('headers.host: "evil.example:4400" does not name this server; use the address `slipway up` prints, or add the name with --allowed-host');
    expect(hostProblem(undefined, allowedHosts(listener))).toBe('headers.host: missing; send the Host this server listens on, e.g. 127.0.0.1:<port>');
  });

  it('normalises case and the default port', () => {
    expect([normaliseHost('Example.COM:80'), normaliseHost('example.com:8080'), normaliseHost('[::1]:80')]).toEqual(['example.com', 'example.com:8080', '[::1]']);
  });
});

describe('compileAllowedHosts', () => {
  it('normalises names and ports', () => {
    expect(compileAllowedHosts(['Tunnel.Example', 'proxy.local:9000', '[fd00::1]:4400', 'x.example:80'])).toEqual(['tunnel.example', 'proxy.local:9000', '[fd00::1]:4400', 'x.example']);
  });

  it.each(['', 'http://x.example', 'x.example/path', 'user@x.example', 'x.example?q', 'x.example:99999', 'a b'])('refuses %j with the entry and what is expected', (entry) => {
    // GIVEN a malformed entry after a good one WHEN compiled THEN the error names its index
    expect(() => compileAllowedHosts(['ok.example', entry])).toThrow(expect.objectContaining({
      code: 'SLW_ERR_API_VALIDATION',
      issues: [{ path: 'allowedHosts[1]', message: `expected a host name with an optional port, such as "slipway.example.com" or "localhost:9000", got "${entry}"` }],
    }));
  });
});
