export { resolveDataDir, DEFAULT_DATA_DIR } from '../core/index.js';

/** The part of `<data>/server.json` client verbs read. */
export interface ServerRecordLike {
  readonly url: string;
}
