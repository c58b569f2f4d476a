import type { SecretRule } from './model.js';

/** Shannon entropy of a string, in bits per character. */
export function shannonEntropyBits(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** The built-in rules (RE2-compatible: no lookaround, no backreferences). */
export const DEFAULT_SECRET_RULES: readonly SecretRule[] = [
  { id: 'aws-access-key-id', description: 'AWS access key id', severity: 'critical', pattern: /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/, secretGroup: 1 },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    severity: 'critical',
    // `(?:[^…]|$)` rather than a lookahead: rules run on RE2, which has none.
    pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)/i,
    secretGroup: 1,
  },
  { id: 'private-key', description: 'private key block', severity: 'critical', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/ },
  { id: 'github-token', description: 'GitHub token', severity: 'high', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,255})\b/, secretGroup: 1 },
  { id: 'slack-token', description: 'Slack token', severity: 'high', pattern: /\b(xox[abposr]-[0-9A-Za-z-]{10,})\b/, secretGroup: 1 },
  {
    id: 'generic-high-entropy',
    description: 'high-entropy value assigned to a secret-looking name',
    severity: 'medium',
    pattern: /\b[A-Za-z0-9_.-]*(?:token|secret|password|passwd|api_?key)[A-Za-z0-9_]*["']?\s*[:=]\s*["']?([^\s"'`,;]{12,})/i,
    secretGroup: 1,
    minEntropyBits: 3.5,
    // References, not values: `$VAR`, `${VAR}`, `process.env.X`, `config.db.password`.
    ignoreSecret: /^(?:\$|[A-Za-z_][\w]*(?:\.[\w]+)+[;)]*$)/,
  },
];
