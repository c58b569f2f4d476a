import fs from 'node:fs';

const STAR = 0x2a;

/**
 * Blanks out every occurrence of `literals` (as UTF-8 bytes) in `file` between `start` and `end`
 * with `*`, in place: the same number of bytes, so stored offsets stay valid and a task appending
 * to the file is not disturbed. Returns how many occurrences were blanked. A missing file blanks
 * nothing.
 */
export function scrubLogFile(file: string, start: number, end: number, literals: readonly string[]): number {
  if (end <= start || literals.length === 0) return 0;
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  try {
    const buf = Buffer.allocUnsafe(end - start);
    const read = fs.readSync(fd, buf, 0, buf.length, start);
    const region = buf.subarray(0, read);
    let blanked = 0;
    // Longest first, so a longer form is blanked whole before a shorter one inside it is looked for.
    for (const literal of [...literals].sort((a, b) => b.length - a.length)) {
      const needle = Buffer.from(literal, 'utf8');
      if (needle.length === 0) continue;
      for (let at = region.indexOf(needle); at !== -1; at = region.indexOf(needle, at + needle.length)) {
        region.fill(STAR, at, at + needle.length);
        blanked++;
      }
    }
    if (blanked > 0) fs.writeSync(fd, region, 0, region.length, start);
    return blanked;
  } finally {
    fs.closeSync(fd);
  }
}
