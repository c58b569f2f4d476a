export { errorCatalog, errorSpec, type ErrorCode } from './catalog.js';
export type { ErrorCodeSpec } from './spec.js';
export {
  SlipwayError,
  InputError,
  NotFoundError,
  ConflictError,
  NotAllowedError,
  UnavailableError,
  formatIssues,
  type Issue,
  type SlipwayErrorOptions,
} from './classes.js';
