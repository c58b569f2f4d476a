import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from '../core/index.js';
import { ConflictError } from '../shared/index.js';

/**
 * Takes the data directory's control-plane lock: a pid file created
 * exclusively. A lock whose pid is no longer alive is stale (the last control
 * plane crashed) and is taken over. Returns the release function.
 */
export function acquireLock(file: string): () => void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new ConflictError('SLW_ERR_STORE_LOCKED', `${path.dirname(path.dirname(file))} is in use by another slipway (pid ${pid})`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new ConflictError('SLW_ERR_STORE_LOCKED', `could not lock ${file}`);
}
