import { z } from 'zod';
import { eventSpec } from '../spec.js';

/** An experiment started collecting in an environment (subject `experiment/<environment>/<name>`). */
export const EXPERIMENT_STARTED = 'experiment.started';
/** An experiment was stopped: a guardrail breached, or someone stopped it. */
export const EXPERIMENT_STOPPED = 'experiment.stopped';
/** An experiment reached a significant verdict on its primary metric. */
export const EXPERIMENT_CONCLUDED = 'experiment.concluded';

const ref = { environment: z.string(), experiment: z.string(), flag: z.string() };

/** The `experiment.*` events of A/B experiments. */
export const experimentEvents = {
  [EXPERIMENT_STARTED]: eventSpec(
    'An `experiment` on `flag` started in an `environment`, comparing `arms` (the first is the control); exposures count from now.',
    z.object({ ...ref, arms: z.array(z.string()), minSamplePerVariant: z.number().int(), significance: z.number() }),
  ),
  [EXPERIMENT_STOPPED]: eventSpec(
    'An experiment stopped: `guardrail` breached (its `reason`), or `actor` stopped it; `controlServed` when the flag now serves the control to everyone.',
    z.object({ ...ref, reason: z.string(), guardrail: z.string().nullable(), actor: z.string(), controlServed: z.boolean() }),
  ),
  [EXPERIMENT_CONCLUDED]: eventSpec(
    'An experiment reached a significant verdict: `winner` beat the control by `difference` (interval `ci`, `pValue` below the significance level), or lost to it (`Worse`).',
    z.object({ ...ref, verdict: z.enum(['Better', 'Worse']), arm: z.string(), difference: z.number(), ci: z.tuple([z.number(), z.number()]), pValue: z.number() }),
  ),
} as const;
