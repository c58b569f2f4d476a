import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayValue, keepValue, revealValue, type KeptValue } from './kept-value.js';
import { SECRET_ENCODINGS, encodeSecret, secretForms } from './secret-encodings.js';
import { SecretPatterns, type SecretInput } from './secret-patterns.js';
import { staticSecretStore } from './secret-store.js';

const TOKEN = 'tok3n/with "quotes"';
const DB = '{"user":"app","password":"pa55-w0rd-xyz"}';
const store = staticSecretStore({ 'ci/token': TOKEN, 'db/creds': DB });
const known: SecretInput[] = [
  { value: TOKEN, ref: { name: 'ci/token' } },
  { value: 'pa55-w0rd-xyz', ref: { name: 'db/creds', key: 'password' } },
  'bare-value-no-ref',
];
const patterns = new SecretPatterns(known);
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('keepValue', () => {
  const cases: { name: string; value: string; kept: KeptValue; shown: string }[] = [
    { name: 'no secret: the value itself', value: 'v1.2.3', kept: 'v1.2.3', shown: 'v1.2.3' },
    { name: 'exactly a secret: one reference', value: TOKEN, kept: { parts: [{ secretRef: 'ci/token', encoding: 'plain' }] }, shown: '***' },
    {
      name: 'a secret inside text, URL-encoded',
      value: `https://ci:${encodeURIComponent(TOKEN)}@git.example.com`,
      kept: { parts: ['https://ci:', { secretRef: 'ci/token', encoding: 'url' }, '@git.example.com'] },
      shown: 'https://ci:***@git.example.com',
    },
    { name: 'a JSON field of a secret', value: 'pw=pa55-w0rd-xyz', kept: { parts: ['pw=', { secretRef: 'db/creds', key: 'password', encoding: 'plain' }] }, shown: 'pw=***' },
    { name: 'base64 of a secret: the whole encoding, not its stable middle', value: b64(TOKEN), kept: { parts: [{ secretRef: 'ci/token', encoding: 'base64' }] }, shown: '***' },
    { name: 'a secret the store does not name: masked only', value: 'x=bare-value-no-ref', kept: { masked: 'x=***' }, shown: 'x=***' },
    { name: 'a secret split by a line break: masked only', value: `${TOKEN.slice(0, 5)}\n${TOKEN.slice(5)}`, kept: { masked: '***\n***' }, shown: '***\n***' },
  ];
  it.each(cases)('$name', async ({ value, kept, shown }) => {
    // GIVEN a value WHEN it is kept THEN it holds no secret, shows masked and reveals back to itself when it has references
    const got = keepValue(value, patterns);
    expect(got).toEqual(kept);
    expect(displayValue(got)).toBe(shown);
    for (const form of [...secretForms(TOKEN), ...secretForms('pa55-w0rd-xyz')]) expect(JSON.stringify(got)).not.toContain(form.text);
    const revealed = await revealValue(got, store);
    if (typeof got === 'string' || 'parts' in got) expect(revealed).toEqual({ ok: true, value });
    else expect(revealed).toEqual({ ok: false, reason: 'it held a secret in a form that is not kept (only its masked text is)' });
  });

  it('reveal says which secret is gone or changed', async () => {
    // GIVEN references WHEN the store no longer has the secret or the key THEN the reason names it
    const kept = keepValue(`a ${TOKEN} b pa55-w0rd-xyz`, patterns);
    expect(await revealValue(kept, staticSecretStore({ 'db/creds': DB }))).toEqual({ ok: false, reason: 'secret ci/token is no longer in the secret store' });
    expect(await revealValue(kept, staticSecretStore({ 'ci/token': TOKEN, 'db/creds': '{"user":"app"}' }))).toEqual({ ok: false, reason: 'secret db/creds has no key password any more' });
    // AND a rotated secret is read as it is now
    expect(await revealValue(kept, staticSecretStore({ 'ci/token': 'rotated!', 'db/creds': DB }))).toEqual({ ok: true, value: 'a rotated! b pa55-w0rd-xyz' });
  });

  it('property: a kept value never holds a form of a secret and reveals to the original', async () => {
    // GIVEN text with secrets in random encodings WHEN kept and revealed THEN nothing leaks and the value comes back
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.stringMatching(/^[ a-z:=/@.-]{0,10}$/), fc.record({ which: fc.nat(1), encoding: fc.constantFrom(...SECRET_ENCODINGS) })), { maxLength: 6 }),
        async (parts) => {
          const value = parts.map((p) => (typeof p === 'string' ? p : encodeSecret(p.which === 0 ? TOKEN : 'pa55-w0rd-xyz', p.encoding))).join('');
          const kept = keepValue(value, patterns);
          for (const form of [...secretForms(TOKEN), ...secretForms('pa55-w0rd-xyz')]) expect(JSON.stringify(kept)).not.toContain(JSON.stringify(form.text).slice(1, -1));
          const revealed = await revealValue(kept, store);
          if (typeof kept === 'string' || 'parts' in kept) expect(revealed).toEqual({ ok: true, value });
        },
      ),
      { numRuns: 300 },
    );
  });
});
