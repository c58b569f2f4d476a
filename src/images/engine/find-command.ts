import fs from 'node:fs';
import path from 'node:path';

/** Directories searched after PATH: root's tools (runc) often live in sbin, which a user's PATH may lack. */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];

/** The absolute path of an executable named `name` on PATH (then the usual bin and sbin folders), or undefined. */
export function findCommand(name: string, pathVar: string | undefined = process.env.PATH): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? path.resolve(name) : undefined;
  const dirs = [...(pathVar ?? '').split(path.delimiter).filter((d) => d.length > 0), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
