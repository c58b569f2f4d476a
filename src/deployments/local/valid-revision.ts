import { InputError } from '../../shared/index.js';

/** Throws an InputError unless `revision` is 1-64 letters, digits, dots, dashes or underscores. */
export function validRevision(revision: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(revision)) {
    throw new InputError('SLW_ERR_DEPLOY_REVISION_INVALID', `revision: "${revision}" must be 1-64 letters, digits, dots, dashes or underscores`);
  }
}
