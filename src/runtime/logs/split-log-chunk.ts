/** Result of {@link splitLogChunk}. */
export interface SplitLogChunk {
  /** Complete lines, decoded. */
  readonly lines: string[];
  /** Bytes of the chunk the lines came from; the rest is an unfinished line to read again later. */
  readonly consumedBytes: number;
}

const NEWLINE = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: false });
// C0 controls (except tab and ESC, which colored output uses) and DEL would garble terminals and JSON consumers.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f]/g;

/**
 * Splits bytes read from a log file into lines. A line longer than
 * `maxLineBytes` is cut into several. An unfinished last line is left
 * unconsumed (so it is read again once its newline arrives) unless `final`
 * is set (the writer has exited) or it already reached `maxLineBytes`.
 */
export function splitLogChunk(chunk: Uint8Array, maxLineBytes: number, final: boolean): SplitLogChunk {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = chunk.indexOf(NEWLINE, start);
    if (nl === -1) break;
    pushCut(lines, chunk.subarray(start, nl), maxLineBytes, true);
    start = nl + 1;
  }
  const rest = chunk.subarray(start);
  if (rest.length === 0) return { lines, consumedBytes: start };
  if (final) {
    pushCut(lines, rest, maxLineBytes, true);
    return { lines, consumedBytes: chunk.length };
  }
  const whole = Math.floor(rest.length / maxLineBytes) * maxLineBytes;
  if (whole > 0) pushCut(lines, rest.subarray(0, whole), maxLineBytes, false);
  return { lines, consumedBytes: start + whole };
}

/** Decodes one line: invalid UTF-8 becomes U+FFFD, control characters too, a trailing CR goes. */
export function decodeLogLine(bytes: Uint8Array): string {
  let text = decoder.decode(bytes);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  return text.replace(CONTROL, '\uFFFD');
}

function pushCut(lines: string[], bytes: Uint8Array, maxLineBytes: number, keepEmpty: boolean): void {
  if (bytes.length === 0) {
    if (keepEmpty) lines.push('');
    return;
  }
  for (let i = 0; i < bytes.length; i += maxLineBytes) lines.push(decodeLogLine(bytes.subarray(i, i + maxLineBytes)));
}
