import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSecret, secretForms, type SecretEncoding } from './secret-encodings.js';

describe('encodeSecret', () => {
  const cases: [string, SecretEncoding, string][] = [
    ['hunter2', 'plain', 'hunter2'],
    ['say "hi"\\', 'json', 'say \\"hi\\"\\\\'],
    ['line\nbreak', 'json', 'line\\nbreak'],
    ['a b/c&d', 'url', 'a%20b%2Fc%26d'],
    ['a b/c&d', 'url-form', 'a+b%2Fc%26d'],
    ['hunter2', 'hex', '68756e74657232'],
    ['hunter2', 'hex-upper', '68756E74657232'],
    ['hunter2', 'base64', 'aHVudGVyMg=='],
    ['\u00ff\u00fe>?', 'base64', 'w7/Dvj4/'],
    ['\u00ff\u00fe>?', 'base64url', 'w7_Dvj4_'],
    // base64('hunter2') = aHVudGVyMg==: the 9 characters before the one that also holds the next byte
    ['hunter2', 'base64-at-0', 'aHVudGVyM'],
    // base64('\0hunter2') = AGh1bnRlcjI=: "AG" also holds the prefix byte, "I" the byte after
    ['hunter2', 'base64-at-1', 'h1bnRlcj'],
    // base64('\0\0hunter2') = AABodW50ZXIy: "AAB" also holds the prefix bytes
    ['hunter2', 'base64-at-2', 'odW50ZXIy'],
    // base64url('\0ÿþ>?') = AMO_w74-Pw (the secret's UTF-8 is 6 bytes): "AM" and "w" also hold other bytes
    ['\u00ff\u00fe>?', 'base64url-at-1', 'O_w74-P'],
  ];
  it.each(cases)('%j as %s is %j', (value, encoding, expected) => {
    // GIVEN a value WHEN encoded THEN the text is what the usual tools print
    expect(encodeSecret(value, encoding)).toBe(expected);
  });

  it('property: the stable middle of each alignment occurs in the base64 of any text around the secret', () => {
    // GIVEN a secret inside arbitrary bytes WHEN the whole is base64-encoded THEN the secret's stable middle for its alignment is in it
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 40 }), fc.uint8Array({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }), (secret, before, after) => {
        const whole = Buffer.concat([Buffer.from(before), Buffer.from(secret, 'utf8'), Buffer.from(after)]);
        const k = before.length % 3;
        expect(whole.toString('base64')).toContain(encodeSecret(secret, `base64-at-${k}` as SecretEncoding));
        expect(whole.toString('base64url')).toContain(encodeSecret(secret, `base64url-at-${k}` as SecretEncoding));
      }),
      { numRuns: 300 },
    );
  });
});

describe('secretForms', () => {
  it('lists each distinct form once, plain first', () => {
    // GIVEN an alphanumeric secret WHEN its forms are listed THEN url and json equal plain and are left out
    const forms = secretForms('hunter2xyz');
    expect(forms[0]).toEqual({ encoding: 'plain', text: 'hunter2xyz' });
    expect(forms.map((f) => f.encoding)).toEqual(['plain', 'hex', 'hex-upper', 'base64', 'base64url', 'base64-at-0', 'base64-at-1', 'base64-at-2']);
    expect(new Set(forms.map((f) => f.text)).size).toBe(forms.length);
  });

  const short: { name: string; value: string; encodings: SecretEncoding[] }[] = [
    { name: 'a 3-character secret: only its value', value: 'abc', encodings: ['plain'] },
    { name: 'a 4-character secret: forms shorter than 6 characters are dropped', value: 'ab/d', encodings: ['plain', 'url', 'hex', 'hex-upper', 'base64', 'base64url'] },
    { name: 'empty: nothing', value: '', encodings: [] },
  ];
  it.each(short)('$name', ({ value, encodings }) => {
    // GIVEN a short secret WHEN its forms are listed THEN only the meaningful ones are
    expect(secretForms(value).map((f) => f.encoding)).toEqual(encodings);
  });
});
