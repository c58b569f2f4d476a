import fs from 'node:fs';
import { splitLogChunk } from './split-log-chunk.js';

/** Result of {@link readLogFile}. */
export interface ReadLogFileResult {
  readonly lines: string[];
  /** The offset to read from next time. */
  readonly nextOffset: number;
}

/**
 * Reads the complete lines written to a log file since `offset`, at most
 * `maxReadBytes` at a time. A file shorter than the offset (truncated by
 * someone) is read again from the start. A missing file yields nothing.
 */
export function readLogFile(file: string, offset: number, options: { maxLineBytes: number; maxReadBytes: number; final: boolean }): ReadLogFileResult {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], nextOffset: offset };
    throw err;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const from = size < offset ? 0 : offset;
    const length = Math.min(size - from, options.maxReadBytes);
    if (length <= 0) return { lines: [], nextOffset: from };
    const buf = Buffer.allocUnsafe(length);
    const read = fs.readSync(fd, buf, 0, length, from);
    // Only a read that reached the end of the file may flush an unfinished last line.
    const atEnd = from + read >= size;
    const { lines, consumedBytes } = splitLogChunk(buf.subarray(0, read), options.maxLineBytes, options.final && atEnd);
    return { lines, nextOffset: from + consumedBytes };
  } finally {
    fs.closeSync(fd);
  }
}
