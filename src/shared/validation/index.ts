export { formatPath, zodIssues } from './zod-issues.js';
export { parseInput } from './parse-input.js';
export {
  findJsonLimitViolation,
  jsonLimitError,
  DEFAULT_JSON_MAX_DEPTH,
  DEFAULT_JSON_MAX_VALUES,
  type JsonLimits,
  type JsonLimitViolation,
} from './json-limits.js';
