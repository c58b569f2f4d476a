import { describe, expect, it } from 'vitest';
import { ChunkedDecoder } from './chunked-decoder.js';
import { parseResponseHead } from './response-head.js';

/** Feeds `pieces` to a decoder and returns the body and where the end was found. */
function decode(pieces: string[]): { body: string; done: boolean; rest: string } {
  const d = new ChunkedDecoder();
  let body = '';
  let rest = '';
  for (const p of pieces) {
    const buf = Buffer.from(p, 'latin1');
    let at = 0;
    while (at < buf.length && !d.done) {
      at = d.step(buf, at);
      body += buf.toString('latin1', d.dataStart, d.dataEnd);
    }
    if (d.done) rest += buf.toString('latin1', at);
  }
  return { body, done: d.done, rest };
}

describe('chunked body decoding', () => {
  const whole = '5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nx-trailer: 1\r\n\r\n';
  it.each([
    ['in one piece', [whole]],
    ['byte by byte', whole.split('')],
    ['split inside sizes, data and CRLFs', ['5;e', 'xt=1\r', '\nhe', 'llo\r', '\n6\r\n wor', 'ld\r\n0\r\nx-tra', 'iler: 1\r\n\r', '\n']],
  ])('GIVEN a chunked body %s WHEN decoded THEN the data is whole, extensions and trailers dropped', (_name, pieces) => {
    expect(decode(pieces)).toEqual({ body: 'hello world', done: true, rest: '' });
  });

  it('GIVEN bytes after the last chunk WHEN decoded THEN the decoder stops at the end of the body', () => {
    expect(decode(['2\r\nok\r\n0\r\n\r\nHTTP/1.1'])).toEqual({ body: 'ok', done: true, rest: 'HTTP/1.1' });
  });

  it.each([
    ['a size that is not hex', 'zz\r\n'],
    ['data longer than its size', '2\r\nokk\r\n'],
    ['a size line without end', `${'1'.repeat(20_000)}`],
  ])('GIVEN %s WHEN decoded THEN it is refused as a protocol error', (_name, input) => {
    expect(() => decode([input])).toThrow(expect.objectContaining({ code: 'UPSTREAM_PROTOCOL' }));
  });
});

describe('response head parsing', () => {
  it.each([
    // GIVEN a head, and whether the request was HEAD; THEN framing, keep-alive and the hint
    ['HTTP/1.1 200 OK\r\nContent-Length: 5', false, 'length', 5, true, undefined],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked', false, 'chunked', 0, true, undefined],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip', false, 'close', 0, false, undefined],
    ['HTTP/1.1 200 OK', false, 'close', 0, false, undefined],
    ['HTTP/1.1 200 OK\r\nContent-Length: 5', true, 'none', 5, true, undefined],
    ['HTTP/1.1 204 No Content', false, 'none', 0, true, undefined],
    ['HTTP/1.1 304 Not Modified\r\nContent-Length: 10', false, 'none', 10, true, undefined],
    ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close', false, 'none', 0, false, undefined],
    ['HTTP/1.1 200 OK\r\ncontent-length: 2\r\nKeep-Alive: timeout=5, max=100', false, 'length', 2, true, 5000],
    ['HTTP/1.0 200 OK\r\nContent-Length: 2', false, 'length', 2, false, undefined],
    ['HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: Keep-Alive', false, 'length', 2, true, undefined],
    ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2', false, 'length', 2, true, undefined],
  ] as const)('GIVEN %j (HEAD %s) THEN framing %s', (head, isHead, framing, length, keepAlive, hint) => {
    const h = parseResponseHead(head, isHead);
    expect([h.framing, h.contentLength, h.keepAlive, h.keepAliveTimeoutMs]).toEqual([framing, length, keepAlive, hint]);
  });

  it('GIVEN a head THEN the status, reason and headers are kept as sent, values trimmed', () => {
    const h = parseResponseHead('HTTP/1.1 404 Not Found\r\nX-Thing:  a b \r\nset-cookie: a=1\r\nset-cookie: b=2', false);
    expect([h.statusCode, h.statusText, h.rawHeaders]).toEqual([404, 'Not Found', ['X-Thing', 'a b', 'set-cookie', 'a=1', 'set-cookie', 'b=2']]);
    expect(parseResponseHead('HTTP/1.1 200', false).statusText).toBe('');
  });

  it.each([
    ['both Content-Length and Transfer-Encoding', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked'],
    ['differing Content-Length values', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3'],
    ['a Content-Length that is not a number', 'HTTP/1.1 200 OK\r\nContent-Length: 2x'],
    ['a folded header', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  2'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nnonsense'],
    ['whitespace before the colon', 'HTTP/1.1 200 OK\r\nContent-Length : 2'],
    ['a status line that is not HTTP/1.x', 'HTTP/2 200 OK'],
    ['a status code that is not three digits', 'HTTP/1.1 20 OK'],
  ])('GIVEN %s THEN the head is refused as a protocol error', (_name, head) => {
    expect(() => parseResponseHead(head, false)).toThrow(expect.objectContaining({ code: 'UPSTREAM_PROTOCOL' }));
  });
});
