const DNS_NAME = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Keys that are never valid in an app definition, nor names of anything in it: on a
 * plain object they reach its prototype (`__proto__` replaces it, `constructor` is
 * inherited), so a lookup by such a name finds JavaScript, not the user's value.
 */
export const RESERVED_KEYS: readonly string[] = Object.freeze(['__proto__', 'constructor', 'prototype']);

/** Whether a key or name is one of {@link RESERVED_KEYS}. */
export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.includes(key);
}

/** The message for a reserved key or name. */
export function reservedKeyMessage(key: string): string {
  return `"${key}" is reserved: ${RESERVED_KEYS.join(', ')} are not allowed as keys or names anywhere in an app definition`;
}

/**
 * Whether a name is DNS-safe: lowercase letters, digits and hyphens, starting with a letter,
 * at most 63 characters; and not reserved (`constructor` and `prototype` look DNS-safe but are not names).
 */
export function isDnsName(name: string): boolean {
  return DNS_NAME.test(name) && !isReservedKey(name);
}

/** The message for a name that is not DNS-safe (or is reserved). */
export function dnsNameMessage(name: string): string {
  if (isReservedKey(name)) return reservedKeyMessage(name);
  return `"${name}" is not a valid name: use lowercase letters, digits and hyphens, start with a letter, at most 63 characters`;
}

/** Renders a list of values the way messages quote them: `"a", "b", "c"`. */
export function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** The closest candidate to a misspelt word, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(word.length / 4));
  if (bestDistance <= limit) return best;
  // A word with letters left out ("AfterTraffic" for "AfterAllowTraffic") is a likely slip too.
  if (word.length < 4) return undefined;
  return candidates.filter((c) => isSubsequence(word.toLowerCase(), c.toLowerCase())).sort((a, b) => a.length - b.length)[0];
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}

/** The message for a key an object does not know, with a suggestion for a likely typo. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const guess = closest(key, known);
  return guess === undefined ? `unknown key "${key}"` : `unknown key "${key}" (did you mean "${guess}"?)`;
}

/** The message for a reference to something that does not exist, e.g. `no alarm named "x"`, with a suggestion. */
export function noSuchMessage(what: string, name: string, known: readonly string[]): string {
  const guess = closest(name, known);
  return guess === undefined ? `no ${what} named "${name}"` : `no ${what} named "${name}" (did you mean "${guess}"?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
