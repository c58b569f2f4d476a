import type { ErrorCodeSpec } from '../spec.js';

/** Codes of the synthesizers (`slipway synth aws|k8s`). */
export const synthCodes = {
  SLW_ERR_SYNTH_OPTION: { status: 400, message: 'A synth option is invalid' },
  SLW_ERR_SYNTH_NOT_ASSEMBLY: { status: 400, message: 'The directory is not a cloud assembly' },
  SLW_ERR_SYNTH_VALIDATION: { status: 422, message: 'The synthesized templates failed validation' },
  SLW_ERR_SYNTH_UNMAPPABLE: { status: 422, message: 'The app model says something the target platform cannot express' },
  SLW_ERR_SYNTH_NAG: { status: 422, message: 'The synthesized templates have unsuppressed cdk-nag errors' },
} as const satisfies Record<string, ErrorCodeSpec>;
