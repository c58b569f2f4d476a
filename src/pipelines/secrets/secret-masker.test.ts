import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaskedLineSplitter } from './line-splitter.js';
import { PatternAutomaton } from './pattern-automaton.js';
import { SECRET_ENCODINGS, encodeSecret, secretForms } from './secret-encodings.js';
import { StreamMasker, maskDeep, maskSecrets } from './secret-masker.js';
import { SecretPatterns } from './secret-patterns.js';

function chunked(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of points) {
    out.push(text.slice(last, p));
    last = p;
  }
  out.push(text.slice(last));
  return out;
}

const streamed = (secrets: string[], chunks: string[]): string => {
  const m = new StreamMasker(secrets);
  return chunks.map((c) => m.push(c)).join('') + m.flush();
};

const b64 = (s: string) => Buffer.from(s).toString('base64');
const SECRET = 'pa55 w0rd/"x"';

describe('PatternAutomaton', () => {
  it('reports every pattern ending at each position, overlapping ones included', () => {
    // GIVEN patterns that overlap and nest WHEN a text is fed THEN each end position lists all patterns ending there
    const a = new PatternAutomaton(['he', 'she', 'his', 'hers', 'é€x']);
    const ends: [number, string[]][] = [];
    let s = 0;
    [...'ushers é€x'].forEach((c, i) => {
      s = a.step(s, c.charCodeAt(0));
      const m = a.matchesAt(s);
      if (m) ends.push([i, m.map((p) => a.patterns[p]!).sort()]);
    });
    expect(ends).toEqual([
      [3, ['he', 'she']],
      [5, ['hers']],
      [9, ['é€x']],
    ]);
  });
});

describe('StreamMasker', () => {
  const cases: { name: string; secrets: string[]; chunks: string[]; expected: string }[] = [
    { name: 'whole secret in one chunk', secrets: ['hunter2'], chunks: ['pw=hunter2!'], expected: 'pw=***!' },
    { name: 'secret split across chunks', secrets: ['hunter2'], chunks: ['pw=hun', 'te', 'r2!'], expected: 'pw=***!' },
    { name: 'longer secret containing a shorter one', secrets: ['abc', 'abcdef'], chunks: ['xabcdefx abc'], expected: 'x***x ***' },
    { name: 'two overlapping secrets are one masked run', secrets: ['abcdef', 'defghi'], chunks: ['-abcdefghi-'], expected: '-***-' },
    { name: 'prefix of a secret that is not one', secrets: ['hunter2'], chunks: ['hunt', 'er3'], expected: 'hunter3' },
    { name: 'no secrets', secrets: [''], chunks: ['a', 'b'], expected: 'ab' },
    { name: 'base64', secrets: [SECRET], chunks: [`b64 ${b64(SECRET)} end`], expected: 'b64 *** end' },
    // base64('x' + SECRET) = eHBhNTUgdzByZC8ieCI=: "eH" also holds the "x", "I=" the end of the string
    { name: 'base64 after a 1-byte prefix keeps only the characters that hold other bytes', secrets: [SECRET], chunks: [b64(`x${SECRET}`)], expected: 'eH***I=' },
    // base64('xy' + SECRET) = eHlwYTU1IHcwcmQvIngi: the secret ends on a 3-byte boundary
    { name: 'base64 after a 2-byte prefix', secrets: [SECRET], chunks: [b64(`xy${SECRET}`)], expected: 'eHl***' },
    { name: 'base64url', secrets: ['\u00ff\u00fe>?\u00ff\u00fe>?'], chunks: [Buffer.from('\u00ff\u00fe>?\u00ff\u00fe>?').toString('base64url')], expected: '***' },
    { name: 'URL-encoded', secrets: [SECRET], chunks: [`?p=${encodeURIComponent(SECRET)}&q=1`], expected: '?p=***&q=1' },
    { name: 'URL-encoded with + for spaces', secrets: [SECRET], chunks: [`p=${encodeURIComponent(SECRET).replace(/%20/g, '+')}`], expected: 'p=***' },
    { name: 'JSON-escaped', secrets: [SECRET], chunks: [JSON.stringify({ p: SECRET })], expected: '{"p":"***"}' },
    { name: 'hex', secrets: [SECRET], chunks: [`0x${Buffer.from(SECRET).toString('hex')}`], expected: '0x***' },
    { name: 'upper-case hex', secrets: [SECRET], chunks: [Buffer.from(SECRET).toString('hex').toUpperCase()], expected: '***' },
    { name: 'split across two lines keeps the line break', secrets: ['abcdefgh'], chunks: ['key=abcd\nefgh rest\n'], expected: 'key=***\n*** rest\n' },
    { name: "printf 'abc\\ndef' across chunks", secrets: ['abcdef'], chunks: ['ab', 'c\n', 'def\n'], expected: '***\n***\n' },
    { name: 'one character per CRLF line', secrets: ['abcd'], chunks: ['a\r\nb\r\nc\r\nd\r\n'], expected: '***\r\n***\r\n***\r\n***\r\n' },
    { name: 'fragments further apart than the window are not joined', secrets: ['abcd'], chunks: [`ab${'\n'.repeat(11)}cd`], expected: `ab${'\n'.repeat(11)}cd` },
    { name: 'a secret with a line break in it, printed as is', secrets: ['-----BEGIN KEY-----\nMIIEvQ\n-----END KEY-----'], chunks: ['key:\n-----BEGIN KEY-----\nMIIEvQ\n-----END KEY-----\n'], expected: 'key:\n***\n***\n***\n' },
    { name: 'a short secret: only its value', secrets: ['abc'], chunks: [`abc ${Buffer.from('abc').toString('hex')}`], expected: `*** ${Buffer.from('abc').toString('hex')}` },
    { name: 'non-ASCII secret', secrets: ['пароль-€'], chunks: ['x=пар', 'оль-€;'], expected: 'x=***;' },
  ];
  it.each(cases)('$name', ({ secrets, chunks, expected }) => {
    // GIVEN secrets WHEN chunks stream through THEN the output is masked exactly, whatever the chunking
    expect(streamed(secrets, chunks)).toBe(expected);
    expect(maskSecrets(chunks.join(''), secrets)).toBe(expected);
  });

  it('holds back only what could still start a secret, and flush emits it', () => {
    // GIVEN a stream WHEN a chunk ends with a prefix of a secret THEN that prefix waits; text that cannot be part of one does not
    const m = new StreamMasker(['hunter2']);
    expect(m.push('line one\npw: hun')).toBe('line one\npw: ');
    expect(m.push('gry\n')).toBe('hungry\n');
    expect(m.push('pw: hunter')).toBe('pw: ');
    expect(m.flush()).toBe('hunter');
  });

  it('masks every encoding of every secret (table over SECRET_ENCODINGS)', () => {
    // GIVEN a secret WHEN each of its encodings is printed between markers THEN none survives
    const secret = 'Zx9 "q"/é+tail';
    for (const encoding of SECRET_ENCODINGS) {
      const text = `<${encodeSecret(secret, encoding)}>`;
      const out = maskSecrets(text, [secret]);
      expect(out, encoding).toMatch(/\*\*\*/);
      for (const form of secretForms(secret)) expect(out, `${encoding} / ${form.encoding}`).not.toContain(form.text);
    }
  });

  it('property: no form of a secret survives any chunking, even split by line breaks', () => {
    // GIVEN random secrets printed in random encodings, some with line breaks inserted, between random text
    const secretArb = fc.stringMatching(/^[A-Za-z0-9 /"+%=é]{6,24}$/);
    const filler = fc.stringMatching(/^[ \n:;,.!?()-]{0,12}$/);
    const occurrence = fc.record({ secret: fc.nat(3), encoding: fc.constantFrom(...SECRET_ENCODINGS), breaks: fc.array(fc.tuple(fc.nat(400), fc.constantFrom('\n', '\r\n')), { maxLength: 2 }), prefix: fc.nat(2) });
    fc.assert(
      fc.property(fc.array(secretArb, { minLength: 1, maxLength: 3 }), fc.array(fc.oneof(filler, occurrence), { maxLength: 10 }), fc.array(fc.nat(600), { maxLength: 20 }), (secrets, parts, cuts) => {
        const text = parts
          .map((p) => {
            if (typeof p === 'string') return p;
            const secret = secrets[p.secret % secrets.length]!;
            let t = p.encoding.startsWith('base64') && p.prefix > 0 ? Buffer.from('?'.repeat(p.prefix) + secret).toString(p.encoding.startsWith('base64url') ? 'base64url' : 'base64') : encodeSecret(secret, p.encoding);
            for (const [at, br] of p.breaks) t = t.slice(0, at % (t.length + 1)) + br + t.slice(at % (t.length + 1));
            return t;
          })
          .join('');
        // WHEN it streams through the line splitter in random byte chunks
        const lines: string[] = [];
        const splitter = new MaskedLineSplitter({ secrets, onLine: (l) => lines.push(l) });
        for (const c of chunked(text, cuts)) splitter.write(Buffer.from(c));
        splitter.end();
        // THEN no form of any secret is left, even with the line breaks taken out
        const joined = lines.join('');
        for (const s of secrets) for (const form of secretForms(s)) expect(joined).not.toContain(form.text.replace(/[\r\n]/g, ''));
        // AND the output does not depend on where the chunks were cut
        expect(lines.join('\n')).toBe(maskSecrets(text, secrets).replace(/\r?\n$/, '').replace(/\r\n/g, '\n'));
      }),
      { numRuns: 400 },
    );
  });

  it('property: text without secrets passes through unchanged', () => {
    // GIVEN secrets of letters WHEN text of digits and punctuation streams through THEN it is unchanged
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{6,12}$/), { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[0-9 \n.:-]{0,200}$/), fc.array(fc.nat(200), { maxLength: 10 }), (secrets, text, cuts) => {
        expect(streamed(secrets, chunked(text, cuts))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('MaskedLineSplitter', () => {
  it('masks a multi-byte secret whose bytes arrive one at a time', () => {
    // GIVEN a non-ASCII secret WHEN its UTF-8 bytes arrive in separate writes THEN the line is masked
    const lines: string[] = [];
    const s = new MaskedLineSplitter({ secrets: ['sécrét-€€'], onLine: (l) => lines.push(l) });
    for (const b of Buffer.from('a=sécrét-€€\nb\n')) s.write(Buffer.from([b]));
    s.end();
    expect(lines).toEqual(['a=***', 'b']);
  });
});

describe('maskDeep', () => {
  it('masks strings anywhere in a JSON value and keeps the rest', () => {
    // GIVEN a nested value WHEN masked THEN strings are masked, numbers, booleans and keys kept
    const patterns = new SecretPatterns(['hunter2']);
    expect(maskDeep({ a: 'x hunter2', b: [1, 'aHVudGVyMg==', { c: true, d: null }], hunter2: 'k' }, patterns)).toEqual({ a: 'x ***', b: [1, '***', { c: true, d: null }], hunter2: 'k' });
  });
});
