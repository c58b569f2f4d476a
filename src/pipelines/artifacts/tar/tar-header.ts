/** Tar entry kinds slipway reads and writes. */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink';

/** A tar header, decoded. */
export interface TarHeader {
  readonly path: string;
  readonly type: TarEntryType;
  readonly mode: number;
  readonly size: number;
  /** Symlink or hardlink target. */
  readonly linkTarget: string;
}

/** Tar's block size. */
export const BLOCK_BYTES = 512;

const TYPE_FLAGS: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', directory: '5' };

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  buf.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'utf8');
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  writeString(buf, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function fitsUstar(s: string, max: number): boolean {
  return Buffer.byteLength(s) <= max && /^[\x20-\x7e]*$/.test(s);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const base = Buffer.byteLength(body);
  let len = base + String(base).length;
  while (base + String(len).length !== len) len = base + String(len).length;
  return `${len}${body}`;
}

/**
 * Encodes one ustar header block, preceded by a PAX extended header when the
 * path or link target does not fit ustar (longer than 100 bytes or not ASCII).
 * Times, owners and groups are zero, so the same files give the same bytes.
 * Low level: it does not check paths (tests use it to build hostile archives).
 */
export function encodeTarHeader(h: { path: string; type: TarEntryType; size?: number; mode?: number; linkTarget?: string }): Buffer {
  const size = h.type === 'file' ? (h.size ?? 0) : 0;
  const link = h.linkTarget ?? '';
  const records: string[] = [];
  if (!fitsUstar(h.path, 100)) records.push(paxRecord('path', h.path));
  if (!fitsUstar(link, 100)) records.push(paxRecord('linkpath', link));
  if (size > 0o77777777777) records.push(paxRecord('size', String(size)));
  const blocks: Buffer[] = [];
  if (records.length > 0) {
    const body = Buffer.from(records.join(''), 'utf8');
    blocks.push(rawHeader('PaxHeader', 'x', body.length, 0o644, ''), padded(body));
  }
  blocks.push(rawHeader(h.path, TYPE_FLAGS[h.type], size > 0o77777777777 ? 0 : size, h.mode ?? (h.type === 'directory' ? 0o755 : 0o644), link));
  return Buffer.concat(blocks);
}

function rawHeader(name: string, flag: string, size: number, mode: number, link: string): Buffer {
  const b = Buffer.alloc(BLOCK_BYTES);
  writeString(b, 0, 100, fitsUstar(name, 100) ? name : name.replace(/[^\x20-\x7e]/g, '_').slice(-100));
  writeOctal(b, 100, 8, mode & 0o7777);
  writeOctal(b, 108, 8, 0);
  writeOctal(b, 116, 8, 0);
  writeOctal(b, 124, 12, size);
  writeOctal(b, 136, 12, 0);
  b.write(flag, 156, 1, 'ascii');
  writeString(b, 157, 100, fitsUstar(link, 100) ? link : '');
  b.write('ustar\x0000', 257, 8, 'binary');
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  writeString(b, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return b;
}

/** Pads a body to whole blocks. */
export function padded(body: Buffer): Buffer {
  const rest = body.length % BLOCK_BYTES;
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(BLOCK_BYTES - rest)]);
}

/** The bytes that end an archive: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK_BYTES * 2);

function readString(b: Buffer, offset: number, length: number): string {
  const raw = b.subarray(offset, offset + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? length : nul).toString('utf8');
}

function readOctal(b: Buffer, offset: number, length: number): number {
  const s = readString(b, offset, length).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new Error(`bad octal field "${s}"`);
  return parseInt(s, 8);
}

/** Whether a block is all zeros (the end of an archive). */
export function isZeroBlock(b: Buffer): boolean {
  for (const byte of b) if (byte !== 0) return false;
  return true;
}

/** A raw header: its type flag and fields, before PAX overrides. */
export interface RawTarHeader {
  readonly flag: string;
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  readonly linkName: string;
}

/** Decodes one header block, verifying its checksum. */
export function decodeRawHeader(b: Buffer): RawTarHeader {
  const stored = readOctal(b, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK_BYTES; i++) sum += i >= 148 && i < 156 ? 0x20 : (b[i] as number);
  if (sum !== stored) throw new Error('header checksum mismatch');
  const prefix = b.toString('binary', 257, 262) === 'ustar' ? readString(b, 345, 155) : '';
  const name = readString(b, 0, 100);
  return {
    flag: String.fromCharCode(b[156] ?? 0),
    name: prefix === '' ? name : `${prefix}/${name}`,
    mode: readOctal(b, 100, 8),
    size: readOctal(b, 124, 12),
    linkName: readString(b, 157, 100),
  };
}

/** Parses PAX extended header records (`<len> key=value\n`). */
export function parsePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    if (space === -1) break;
    const len = Number(body.toString('ascii', pos, space));
    if (!Number.isInteger(len) || len <= 0 || pos + len > body.length) throw new Error('bad PAX record');
    const record = body.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}
