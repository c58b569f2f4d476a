/** A version parsed by {@link parseSemver}. */
export interface Semver {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Dot-separated pre-release identifiers (`1.0.0-rc.1` → `['rc', '1']`); empty for a release. */
  readonly prerelease: readonly string[];
}

// SemVer 2.0.0's grammar (semver.org, "Is there a suggested regular expression"): no leading zeros,
// optional pre-release and build metadata. Anchored and without nested quantifiers over the same
// characters, so it runs in linear time on any input.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

/** The longest version text parsed; longer text is not a version (and is never run through the pattern). */
const MAX_LENGTH = 256;

/**
 * Parses a SemVer 2.0.0 version (`2.1.0`, `1.0.0-rc.1+build.5`); undefined for anything else,
 * including a leading `v`, missing parts (`2.1`) and numbers past `Number.MAX_SAFE_INTEGER`.
 * Build metadata is accepted and ignored, as the specification says for precedence.
 */
export function parseSemver(text: string): Semver | undefined {
  if (text.length > MAX_LENGTH) return undefined;
  const m = SEMVER.exec(text);
  if (m === null) return undefined;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (![major, minor, patch].every(Number.isSafeInteger)) return undefined;
  return { major, minor, patch, prerelease: m[4] === undefined ? [] : m[4].split('.') };
}

/**
 * SemVer 2.0.0 precedence: negative when `a` comes before `b`, 0 when equal, positive after.
 * Major, minor and patch compare as numbers; a pre-release comes before its release; pre-release
 * identifiers compare one by one, numeric ones as numbers and below alphanumeric ones, and a shorter
 * list that is a prefix of a longer one comes first (`1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-beta`).
 */
export function compareSemver(a: Semver, b: Semver): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  if (a.prerelease.length === 0 && b.prerelease.length === 0) return 0;
  if (a.prerelease.length === 0) return 1;
  if (b.prerelease.length === 0) return -1;
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const x = a.prerelease[i]!;
    const y = b.prerelease[i]!;
    if (x === y) continue;
    const xNum = /^\d+$/.test(x);
    const yNum = /^\d+$/.test(y);
    if (xNum && yNum) return Math.sign(Number(x) - Number(y)) || (x < y ? -1 : 1);
    if (xNum) return -1;
    if (yNum) return 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.prerelease.length - b.prerelease.length);
}
