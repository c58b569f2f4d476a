import fs from 'node:fs';
import path from 'node:path';

/** Folders never scanned: dependencies, builds, version control, slipway's own data. */
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'vendor', '.slipway', 'coverage', '.next', 'target', '__pycache__', '.venv', 'venv']);
const SOURCE_EXT = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx', '.py', '.rb', '.go']);
const MAX_FILES = 400;
const MAX_BYTES = 4 * 1024 * 1024;

/** Reads of a `PORT` environment variable in Node, Python, Ruby and Go. */
const READS_PORT = [
  /process\.env\.PORT\b/,
  /process\.env\[\s*['"`]PORT['"`]\s*\]/,
  /\{\s*[^}]*\bPORT\b[^}]*\}\s*=\s*process\.env/,
  /os\.environ(?:\.get)?\s*[([]\s*['"]PORT['"]/,
  /os\.getenv\(\s*['"]PORT['"]/,
  /os\.Getenv\(\s*"PORT"\s*\)/,
  /ENV(?:\.fetch)?\s*[([]\s*['"]PORT['"]/,
];
/** `.listen(3000` and `listen(port=3000`, the usual fixed-port forms. */
const FIXED_PORT = /\.listen\(\s*(\d{2,5})\b|\bport\s*=\s*(\d{4,5})\b/;
/** Health-check paths in the order they are preferred. */
const HEALTH_PATHS = ['/healthz', '/health', '/readyz', '/ready', '/livez', '/api/health', '/status', '/ping'];

/** What the source of one service says about its port and health path. */
export interface SourceFacts {
  readonly readsPort: boolean;
  readonly fixedPort?: number;
  readonly healthPath?: string;
  /** The file where each fact was seen, relative to the service folder. */
  readonly evidence: readonly string[];
}

/**
 * Scans the source files under `dir` (bounded: {@link MAX_FILES} files, {@link MAX_BYTES} bytes;
 * dependencies and build output skipped) for a read of `PORT`, a fixed listen port and a health route.
 * `exclude` lists folders (absolute) that belong to other services and are not scanned.
 */
export function scanSource(dir: string, exclude: readonly string[] = []): SourceFacts {
  let readsPort = false;
  let fixedPort: number | undefined;
  let health: { path: string; rank: number } | undefined;
  const evidence: string[] = [];
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (files >= MAX_FILES || bytes >= MAX_BYTES) return;
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.') && !exclude.includes(full)) walk(full);
        continue;
      }
      if (!e.isFile() || !SOURCE_EXT.has(path.extname(e.name)) || e.name.includes('.test.') || e.name.includes('.spec.')) continue;
      let text: string;
      try {
        text = fs.readFileSync(full, 'utf8');
      } catch {
        continue;
      }
      files += 1;
      bytes += text.length;
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (!readsPort && READS_PORT.some((re) => re.test(text))) {
        readsPort = true;
        evidence.push(`${rel} reads PORT`);
      }
      const fixed = FIXED_PORT.exec(text);
      if (fixedPort === undefined && fixed) {
        fixedPort = Number(fixed[1] ?? fixed[2]);
        evidence.push(`${rel} listens on ${fixedPort}`);
      }
      HEALTH_PATHS.forEach((p, rank) => {
        if ((health === undefined || rank < health.rank) && new RegExp(`['"\`]${p.replace('/', '\\/')}['"\`]`).test(text)) {
          health = { path: p, rank };
          evidence.push(`${rel} serves ${p}`);
        }
      });
    }
  };
  walk(dir);
  const healthPath = (health as { path: string } | undefined)?.path;
  return { readsPort, ...(fixedPort === undefined ? {} : { fixedPort }), ...(healthPath === undefined ? {} : { healthPath }), evidence };
}
