import type { z } from 'zod';
import type { Issue } from '../errors/index.js';

/** Renders a zod path as `a.b[0].c`, the form every slipway message uses. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Turns zod issues into slipway issues: one per problem, each with its dotted path. */
export function zodIssues(error: z.ZodError, prefix = ''): Issue[] {
  const issues: Issue[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) issues.push({ path: formatPath([...i.path, key], prefix), message: `unknown key "${key}"` });
      continue;
    }
    issues.push({ path: formatPath(i.path, prefix), message: lowerFirst(i.message) });
  }
  return issues;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}
