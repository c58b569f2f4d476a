import { PatternAutomaton } from './pattern-automaton.js';
import { secretForms, type SecretEncoding } from './secret-encodings.js';

/** Where a value lives in the secret store: a secret, or one top-level key of a JSON secret. */
export interface SecretRef {
  readonly name: string;
  /** The JSON key, for `env.secrets-manager` references like `db/creds:password`. @default the whole value */
  readonly key?: string;
}

/** A secret value to mask, with where it lives in the store when that is known. */
export interface KnownSecret {
  readonly value: string;
  /** @default unknown: the value is masked but cannot be kept as a reference */
  readonly ref?: SecretRef;
}

/** What the masker is given: bare values, or values with their references. */
export type SecretInput = string | KnownSecret;

/** One compiled pattern: a form of one secret. */
export interface CompiledForm {
  readonly secret: KnownSecret;
  readonly encoding: SecretEncoding;
  /** The form as `encodeSecret` writes it. */
  readonly text: string;
  /** What the automaton looks for: `text` without line breaks, since the scanner skips them (a PEM key has some). */
  readonly matched: string;
}

/**
 * How far apart, in characters, the first and last character of a match may
 * be, as a multiple of the pattern's length, once the line breaks between them
 * are skipped: 3 lets a secret be printed one character per CRLF line, and
 * keeps two fragments far apart in a log from being joined.
 */
export const LINE_BREAK_WINDOW_FACTOR = 3;

/**
 * Secrets compiled once into every form worth masking (see `secretForms`) and
 * one automaton over all of them; shared by every stream masker of a build.
 */
export class SecretPatterns {
  /** Patterns with nothing to mask. */
  static readonly none = new SecretPatterns([]);

  /** The pattern behind each automaton pattern index. */
  readonly forms: readonly CompiledForm[];
  readonly automaton: PatternAutomaton;
  /** The widest span a match may have, line breaks included. */
  readonly maxSpanChars: number;

  /** @param secrets values to mask; empty ones are ignored, a value given twice counts once (the first reference wins). */
  constructor(secrets: Iterable<SecretInput>) {
    const forms: CompiledForm[] = [];
    const seen = new Set<string>();
    const known = [...secrets].map((s) => (typeof s === 'string' ? { value: s } : s));
    // Values with a reference first, so a form shared with a bare value keeps the reference.
    known.sort((a, b) => Number(b.ref !== undefined) - Number(a.ref !== undefined));
    for (const secret of known) {
      for (const form of secretForms(secret.value)) {
        const matched = form.text.replace(/[\r\n]/g, '');
        if (matched.length === 0 || seen.has(matched)) continue;
        seen.add(matched);
        forms.push({ secret, encoding: form.encoding, text: form.text, matched });
      }
    }
    this.forms = forms;
    this.automaton = new PatternAutomaton(forms.map((f) => f.matched));
    this.maxSpanChars = this.automaton.maxLength * LINE_BREAK_WINDOW_FACTOR;
  }

  /**
   * Whether some pattern occurs in `text` (line breaks skipped, window not
   * checked): a quick test before masking, false for almost every log line.
   */
  occursIn(text: string): boolean {
    const automaton = this.automaton;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10 || code === 13) continue;
      state = automaton.step(state, code);
      if (automaton.matchesAt(state) !== undefined) return true;
    }
    return false;
  }

  /** True when there is nothing to mask. */
  get isEmpty(): boolean {
    return this.forms.length === 0;
  }
}
