import { describe, expect, it } from 'vitest';
import { splitLogChunk } from './split-log-chunk.js';

const b = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));

describe('splitLogChunk', () => {
  it.each<[string, Buffer, number, boolean, string[], number]>([
    // GIVEN bytes, a line limit and whether the writer is done WHEN split THEN lines and bytes consumed
    ['complete lines', b('a\nbb\n'), 16, false, ['a', 'bb'], 5],
    ['an unfinished line waits', b('a\nbb'), 16, false, ['a'], 2],
    ['an unfinished line is flushed when final', b('a\nbb'), 16, true, ['a', 'bb'], 4],
    ['empty lines are kept', b('\n\n'), 16, false, ['', ''], 2],
    ['CRLF loses its CR', b('dos\r\n'), 16, false, ['dos'], 5],
    ['a long line is cut', b('abcdefghij\n'), 4, false, ['abcd', 'efgh', 'ij'], 11],
    ['an unfinished line at the limit is cut, the rest waits', b('abcdefghij'), 4, false, ['abcd', 'efgh'], 8],
    ['invalid UTF-8 and control bytes become U+FFFD', b([0x61, 0xff, 0x00, 0x07, 0x62, 0x0a]), 16, false, ['a\uFFFD\uFFFD\uFFFDb'], 6],
    ['tabs and ANSI escapes stay', b('\tcol\u001b[31mred\n'), 64, false, ['\tcol\u001b[31mred'], 13],
    ['multi-byte characters survive', b('héllo ✓\n'), 64, false, ['héllo ✓'], 11],
    ['nothing', b(''), 16, true, [], 0],
  ])('%s', (_name, chunk, max, final, lines, consumed) => {
    expect(splitLogChunk(chunk, max, final)).toEqual({ lines, consumedBytes: consumed });
  });
});
