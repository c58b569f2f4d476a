import type { z } from 'zod';
import type { Issue } from '../errors/index.js';
import { formatPath } from '../validation/index.js';
import { quoteList } from './names.js';

/**
 * Turns zod issues of the app schema into slipway issues with specific, lower-case messages.
 * Messages the schema wrote itself (they start with a lower-case letter) are kept as they are.
 */
export function zodToIssues(error: z.ZodError): Issue[] {
  const issues: Issue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const messages = issue.message.split('\n');
      issue.keys.forEach((key, i) => issues.push({ path: formatPath([...issue.path, key]), message: messages[i] ?? `unknown key "${key}"` }));
      continue;
    }
    if (issue.code === 'invalid_key') {
      const inner = issue.issues[0];
      issues.push({ path: formatPath(issue.path), message: inner !== undefined && isOwnMessage(inner.message) ? inner.message : `invalid key` });
      continue;
    }
    issues.push({ path: formatPath(issue.path), message: isOwnMessage(issue.message) ? issue.message : describe(issue) });
  }
  return issues;
}

function isOwnMessage(message: string): boolean {
  return /^[a-z"]/.test(message);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(value) ?? String(value);
}

const ARTICLES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
};

function describe(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'is required';
      return `expected ${ARTICLES[issue.expected] ?? issue.expected}, got ${show(input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}, got ${show(input)}`
        : `expected one of ${quoteList(issue.values)}, got ${show(input)}`;
    case 'too_small':
      if (issue.origin === 'array') return `must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return `must be at least ${String(issue.minimum)} character${issue.minimum === 1 ? '' : 's'} long`;
      return issue.inclusive === false ? `must be greater than ${String(issue.minimum)}, got ${show(input)}` : `must be at least ${String(issue.minimum)}, got ${show(input)}`;
    case 'too_big':
      if (issue.origin === 'array') return `must have at most ${String(issue.maximum)} items`;
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters long`;
      return issue.inclusive === false ? `must be less than ${String(issue.maximum)}, got ${show(input)}` : `must be at most ${String(issue.maximum)}, got ${show(input)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}, got ${show(input)}`;
    default:
      return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  }
}
