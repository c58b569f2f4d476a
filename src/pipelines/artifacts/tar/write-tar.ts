import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { END_OF_ARCHIVE, encodeTarHeader, padded, BLOCK_BYTES } from './tar-header.js';

/** One entry to archive. */
export type TarInputEntry =
  | { readonly type: 'file'; readonly path: string; readonly sourcePath: string; readonly mode: number; readonly size: number }
  | { readonly type: 'symlink'; readonly path: string; readonly linkTarget: string }
  | { readonly type: 'directory'; readonly path: string };

async function* tarStream(entries: readonly TarInputEntry[]): AsyncGenerator<Buffer> {
  for (const e of entries) {
    if (e.type === 'file') {
      yield encodeTarHeader({ path: e.path, type: 'file', size: e.size, mode: e.mode & 0o111 ? 0o755 : 0o644 });
      let written = 0;
      for await (const chunk of fs.createReadStream(e.sourcePath)) {
        const b = chunk as Buffer;
        // A file that grew while archiving: keep the size the header promised.
        const take = b.subarray(0, Math.max(0, e.size - written));
        written += take.length;
        if (take.length > 0) yield take;
      }
      if (written < e.size) throw new Error(`${e.path} shrank while it was being archived`);
      const rest = written % BLOCK_BYTES;
      if (rest !== 0) yield Buffer.alloc(BLOCK_BYTES - rest);
    } else if (e.type === 'symlink') {
      yield encodeTarHeader({ path: e.path, type: 'symlink', linkTarget: e.linkTarget });
    } else {
      yield encodeTarHeader({ path: e.path.endsWith('/') ? e.path : `${e.path}/`, type: 'directory' });
    }
  }
  yield END_OF_ARCHIVE;
}

/** Result of {@link writeTarGz}. */
export interface WrittenArchive {
  /** `sha256:<hex>` of the compressed bytes. */
  readonly digest: string;
  readonly sizeBytes: number;
}

/**
 * Writes entries (in the given order) as a gzip-compressed ustar/PAX archive to
 * `outFile`, then fsyncs it. Headers carry no times or owners, so the same
 * files in the same order give the same digest.
 */
export async function writeTarGz(entries: readonly TarInputEntry[], outFile: string): Promise<WrittenArchive> {
  const hash = crypto.createHash('sha256');
  let sizeBytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(Readable.from(tarStream(entries)), zlib.createGzip({ level: 6 }), tap, fs.createWriteStream(outFile, { mode: 0o644 }));
  const fd = fs.openSync(outFile, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return { digest: `sha256:${hash.digest('hex')}`, sizeBytes };
}

/** Gzip-compressed tar of in-memory entries (tests build hostile archives with it). */
export function tarGzFromBuffers(parts: readonly Buffer[]): Buffer {
  return zlib.gzipSync(Buffer.concat([...parts.map(padded), END_OF_ARCHIVE]));
}
