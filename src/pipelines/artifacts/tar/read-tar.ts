import { BLOCK_BYTES, decodeRawHeader, isZeroBlock, parsePax, type TarHeader } from './tar-header.js';

/** Reads exact byte counts from a stream of chunks. */
class ByteReader {
  readonly #it: AsyncIterator<Buffer>;
  #chunks: Buffer[] = [];
  #have = 0;
  #done = false;

  constructor(source: AsyncIterable<Buffer>) {
    this.#it = source[Symbol.asyncIterator]();
  }

  /** Up to `n` bytes; fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.#have < n && !this.#done) {
      const next = await this.#it.next();
      if (next.done) this.#done = true;
      else {
        this.#chunks.push(next.value);
        this.#have += next.value.length;
      }
    }
    const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    const out = all.subarray(0, Math.min(n, all.length));
    const rest = all.subarray(out.length);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#have = rest.length;
    return out;
  }
}

/** One entry while reading; `body()` streams a file's content and must be read before the next entry (or it is skipped). */
export interface TarReadEntry extends TarHeader {
  body(): AsyncGenerator<Buffer>;
}

const FLAGS: Record<string, TarHeader['type']> = { '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '5': 'directory' };
const PIECE_BYTES = 1 << 20;

/** Options of {@link readTar}. */
export interface ReadTarOptions {
  /**
   * Pass over device nodes and FIFOs instead of refusing the archive (an image layer of a Debian
   * root filesystem has them; an artifact never should). @default false
   */
  readonly skipSpecialFiles?: boolean;
}

/** Tar flags of character and block devices and FIFOs. */
const SPECIAL_FLAGS = new Set(['3', '4', '6']);

/**
 * Reads a ustar/PAX tar stream (GNU long names too). Throws on a bad checksum,
 * a truncated archive, or an entry type other than file, directory, symlink
 * and hardlink (devices and FIFOs are refused unless `skipSpecialFiles`).
 */
export async function* readTar(source: AsyncIterable<Buffer>, options: ReadTarOptions = {}): AsyncGenerator<TarReadEntry> {
  const reader = new ByteReader(source);
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const block = await reader.read(BLOCK_BYTES);
    if (block.length === 0) return;
    if (block.length < BLOCK_BYTES) throw new Error('truncated archive');
    if (isZeroBlock(block)) return;
    const raw = decodeRawHeader(block);
    const size = pax.size !== undefined ? Number(pax.size) : raw.size;
    const padding = (BLOCK_BYTES - (size % BLOCK_BYTES)) % BLOCK_BYTES;
    if (raw.flag === 'x' || raw.flag === 'L' || raw.flag === 'K') {
      const body = await reader.read(raw.size + ((BLOCK_BYTES - (raw.size % BLOCK_BYTES)) % BLOCK_BYTES));
      if (body.length < raw.size) throw new Error('truncated archive');
      const content = body.subarray(0, raw.size);
      if (raw.flag === 'x') pax = { ...pax, ...parsePax(content) };
      else if (raw.flag === 'L') longName = content.toString('utf8').replace(/\0+$/, '');
      else longLink = content.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (raw.flag === 'g') {
      await reader.read(raw.size + ((BLOCK_BYTES - (raw.size % BLOCK_BYTES)) % BLOCK_BYTES));
      continue;
    }
    const type = FLAGS[raw.flag];
    if (type === undefined && options.skipSpecialFiles === true && SPECIAL_FLAGS.has(raw.flag)) {
      pax = {};
      longName = undefined;
      longLink = undefined;
      continue;
    }
    if (type === undefined) throw new Error(`unsupported entry type "${raw.flag}" for ${raw.name}`);
    const header: TarHeader = {
      path: pax.path ?? longName ?? raw.name,
      type,
      mode: raw.mode,
      size: type === 'file' ? size : 0,
      linkTarget: pax.linkpath ?? longLink ?? raw.linkName,
    };
    pax = {};
    longName = undefined;
    longLink = undefined;
    let remaining = type === 'file' ? size : 0;
    const skipTo = remaining + (type === 'file' ? padding : 0);
    let consumed = 0;
    const body = async function* (): AsyncGenerator<Buffer> {
      while (remaining > 0) {
        const piece = await reader.read(Math.min(remaining, PIECE_BYTES));
        if (piece.length === 0) throw new Error('truncated archive');
        remaining -= piece.length;
        consumed += piece.length;
        yield piece;
      }
    };
    yield { ...header, body };
    // Skip whatever of the body the consumer did not read, and the padding.
    while (remaining > 0) {
      const piece = await reader.read(Math.min(remaining, PIECE_BYTES));
      if (piece.length === 0) throw new Error('truncated archive');
      remaining -= piece.length;
      consumed += piece.length;
    }
    if (skipTo > consumed) await reader.read(skipTo - consumed);
  }
}
