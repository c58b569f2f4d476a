/** Severity of a finding, lowest first. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';
/** Severities in increasing order. */
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** Whether `s` is at least `threshold`. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(threshold);
}

/** A secret-scanning rule. */
export interface SecretRule {
  /** Rule id, e.g. `aws-access-key-id`. */
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  /**
   * Matched per line, on RE2 (linear time): JavaScript syntax without lookaround or
   * backreferences. The secret is capture group `secretGroup`.
   */
  readonly pattern: RegExp;
  /** @default 0 (the whole match) */
  readonly secretGroup?: number;
  /** When set, the secret must have at least this Shannon entropy (bits per character). */
  readonly minEntropyBits?: number;
  /** Secrets matching this (on RE2 too) are not findings (e.g. `process.env.X`, `${VAR}`). */
  readonly ignoreSecret?: RegExp;
}

/** One planted secret found. */
export interface SecretFinding {
  /** Relative, `/`-separated. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly rule: string;
  readonly severity: Severity;
  /** The line with the secret redacted (its first 4 characters kept). */
  readonly excerpt: string;
}
