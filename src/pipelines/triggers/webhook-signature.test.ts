import { describe, expect, it } from 'vitest';
import { signGithubPayload, verifyGithubSignature } from './webhook-signature.js';

describe('verifyGithubSignature', () => {
  const secret = "It's a Secret to Everybody";
  const body = Buffer.from('Hello, World!');
  // The example from GitHub's documentation on validating webhook deliveries.
  const documented = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  const cases: { name: string; body: Buffer; header: string | undefined; ok: boolean }[] = [
    { name: 'GitHub\'s documented example', body, header: documented, ok: true },
    { name: 'upper-case hex', body, header: documented.toUpperCase().replace('SHA256', 'sha256'), ok: true },
    { name: 'one byte of the body changed', body: Buffer.from('Hello, World?'), header: documented, ok: false },
    { name: 'a missing header', body, header: undefined, ok: false },
    { name: 'the SHA-1 header format', body, header: 'sha1=0123456789abcdef0123456789abcdef01234567', ok: false },
    { name: 'a truncated digest', body, header: documented.slice(0, -2), ok: false },
    { name: 'another secret\'s signature', body, header: signGithubPayload('other', body), ok: false },
  ];
  for (const c of cases) {
    it(`${c.ok ? 'accepts' : 'rejects'} ${c.name}`, () => {
      // GIVEN a raw body and a signature header WHEN it is verified THEN it passes only when it is GitHub's HMAC
      expect(verifyGithubSignature(secret, c.body, c.header)).toBe(c.ok);
    });
  }
  it('signs what it verifies', () => {
    expect(signGithubPayload(secret, body)).toBe(documented);
  });
});
