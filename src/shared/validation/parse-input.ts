import type { z } from 'zod';
import { InputError, formatIssues, type ErrorCode } from '../errors/index.js';
import { zodIssues } from './zod-issues.js';

/**
 * Validates untrusted input against a schema at a boundary (an API body, a
 * query string, a CLI option). Throws an {@link InputError} whose issues name
 * each offending field as `<where>.<path>`.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string, code: ErrorCode = 'SLW_ERR_API_VALIDATION'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = zodIssues(result.error, where);
  throw new InputError(code, formatIssues(issues), { issues });
}
