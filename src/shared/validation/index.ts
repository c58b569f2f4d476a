export { formatPath, zodIssues } from './zod-issues.js';
export { parseInput } from './parse-input.js';
