import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../shared/index.js';
import { globMatcher } from '../build/glob.js';
import type { SecretFinding, SecretRule } from './model.js';
import { DEFAULT_SECRET_RULES, shannonEntropyBits } from './rules.js';

/** Options of {@link scanSecrets}. */
export interface ScanSecretsOptions {
  /** The rules. @default DEFAULT_SECRET_RULES */
  readonly rules?: readonly SecretRule[];
  /** Globs of paths (relative to the directory) never scanned, e.g. `test/fixtures/**`. @default [] */
  readonly allowPaths?: readonly string[];
  /** Larger files are skipped. @default 1 MiB */
  readonly maxFileBytes?: number;
}

const SKIP_DIRS = new Set(['.git', 'node_modules']);

function redact(line: string, secret: string): string {
  const shown = secret.slice(0, 4);
  const excerpt = line.replace(secret, `${shown}${'*'.repeat(8)}`).trim();
  return excerpt.length > 160 ? `${excerpt.slice(0, 157)}...` : excerpt;
}

function* textFiles(root: string, rel: string, maxBytes: number): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) yield* textFiles(root, child, maxBytes);
    } else if (e.isFile() && fs.statSync(path.join(root, child)).size <= maxBytes) yield child;
  }
}

/**
 * Scans a directory for planted secrets, line by line. Skips `.git`,
 * `node_modules`, symlinks, binary files (a NUL byte in the first 8 KiB),
 * files over `maxFileBytes` and allowlisted paths.
 */
export function scanSecrets(dir: string, options: ScanSecretsOptions = {}): SecretFinding[] {
  const rules = options.rules ?? DEFAULT_SECRET_RULES;
  for (const r of rules) {
    // A global or sticky RegExp keeps state between exec() calls and would skip matches.
    if (r.pattern.global || r.pattern.sticky) throw new InputError('SLW_ERR_SCAN_INVALID_RULE', `scan rule ${r.id}: its pattern must not use the g or y flag`);
  }
  const allow = (options.allowPaths ?? []).map(globMatcher);
  const findings: SecretFinding[] = [];
  for (const file of textFiles(path.resolve(dir), '', options.maxFileBytes ?? 1 << 20)) {
    if (allow.some((r) => r.test(file))) continue;
    const buf = fs.readFileSync(path.join(dir, file));
    if (buf.subarray(0, 8192).includes(0)) continue;
    const lines = buf.toString('utf8').split('\n');
    lines.forEach((line, i) => {
      for (const rule of rules) {
        const m = rule.pattern.exec(line);
        if (m === null) continue;
        const secret = m[rule.secretGroup ?? 0] ?? m[0];
        if (rule.minEntropyBits !== undefined && shannonEntropyBits(secret) < rule.minEntropyBits) continue;
        if (rule.ignoreSecret?.test(secret)) continue;
        findings.push({ file, line: i + 1, rule: rule.id, severity: rule.severity, excerpt: redact(line, secret) });
        // One finding per line: rules are ordered from specific to generic.
        break;
      }
    });
  }
  return findings;
}
