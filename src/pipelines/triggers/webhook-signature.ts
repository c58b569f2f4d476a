import crypto from 'node:crypto';

/** The `X-Hub-Signature-256` value GitHub sends for `body` signed with `secret`: `sha256=<hex>`. */
export function signGithubPayload(secret: string, body: Buffer | string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Checks GitHub's `X-Hub-Signature-256` header: an HMAC-SHA256 of the raw request body with
 * the webhook secret, compared in constant time. A missing, malformed or wrong header is false.
 */
export function verifyGithubSignature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string' || !/^sha256=[0-9a-fA-F]{64}$/.test(header)) return false;
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
