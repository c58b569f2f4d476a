import { z } from 'zod';
import { durationMessage, tryParseDuration } from '../duration.js';
import { dnsNameMessage, isDnsName, unknownKeyMessage } from '../names.js';

/**
 * A strict object: unknown keys are errors, each reported with a suggestion for a likely typo.
 * (One issue lists every unknown key; the messages are joined by newlines, one per key.)
 */
export function strict<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((k) => unknownKeyMessage(k, known)).join('\n') : undefined),
  });
}

/**
 * A schema that picks one of several schemas by looking at the input, so that the
 * issues reported are those of the one the user meant (instead of a union's "no option matched").
 * `choose` returns the schema to apply, or a message when the input fits none.
 */
export function dispatch<T extends z.ZodType>(choose: (input: unknown) => T | string): z.ZodType<z.output<T>, z.input<T>> {
  const schema = z.unknown().transform((input, ctx) => {
    const chosen = choose(input);
    if (typeof chosen === 'string') {
      ctx.addIssue({ code: 'custom', message: chosen, input });
      return z.NEVER;
    }
    const result = chosen.safeParse(input, { reportInput: true });
    if (result.success) return result.data as z.output<T>;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });
  return schema as unknown as z.ZodType<z.output<T>, z.input<T>>;
}

/** Whether a value is a plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A duration such as `"30s"`, greater than zero. */
export const durationSchema = z.string({ error: (issue) => durationMessage(issue.input) }).check((ctx) => {
  const ms = tryParseDuration(ctx.value);
  if (ms === undefined) ctx.issues.push({ code: 'custom', message: durationMessage(ctx.value), input: ctx.value });
  else if (ms <= 0) ctx.issues.push({ code: 'custom', message: `expected a duration greater than zero, got "${ctx.value}"`, input: ctx.value });
});

/** A DNS-safe name (lowercase letters, digits, hyphens; starts with a letter; at most 63 characters). */
export const dnsNameSchema = z.string().refine(isDnsName, { error: (issue) => dnsNameMessage(String(issue.input)) });

/** A record whose keys are DNS-safe names. */
export function namedRecord<V extends z.ZodType>(value: V) {
  return z.record(z.string(), value).check((ctx) => {
    for (const key of Object.keys(ctx.value)) {
      if (!isDnsName(key)) ctx.issues.push({ code: 'custom', message: dnsNameMessage(key), input: key, path: [key] });
    }
  });
}

/** A record whose keys match `pattern`; `rule` says what a key may be, in the message of one that does not. */
export function keyedRecord<V extends z.ZodType>(value: V, pattern: RegExp, rule: string) {
  return z.record(z.string(), value).check((ctx) => {
    for (const key of Object.keys(ctx.value)) {
      if (!pattern.test(key)) ctx.issues.push({ code: 'custom', message: `"${key}" is not a valid name: ${rule}`, input: key, path: [key] });
    }
  });
}

/** A TCP port; 0 asks for any free port. */
export const portSchema = z.number().int().min(0).max(65535);

/** A whole number of at least `min`. */
export function count(min: number) {
  return z.number().int().min(min);
}

/** A percentage from `min` to 100. */
export function percent(min = 0) {
  return z.number().min(min).max(100);
}

/** An environment variable name (`PORT`, `CATALOG_URL`). */
export const envNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
  error: (issue) => `"${String(issue.input)}" is not a valid environment variable name: use letters, digits and underscores, not starting with a digit`,
});

/** Names in a list must be unique: reports each repeat at its index. */
export function uniqueStrings<T extends z.ZodType<string>>(item: T, what: string) {
  return z.array(item).check((ctx) => {
    const seen = new Map<string, number>();
    ctx.value.forEach((value, index) => {
      const first = seen.get(value);
      if (first !== undefined) ctx.issues.push({ code: 'custom', message: `${what} "${value}" is listed twice (first at [${first}])`, input: value, path: [index] });
      else seen.set(value, index);
    });
  });
}
