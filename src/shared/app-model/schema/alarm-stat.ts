import { z } from 'zod';

const STAT = /^(?:Sum|Average|Minimum|Maximum|SampleCount|p(?:100|\d{1,2})(?:\.\d+)?)$/;

/** A CloudWatch statistic: Sum, Average, Minimum, Maximum, SampleCount or a percentile pNN (p99, p99.9). */
export const statSchema = z.string().regex(STAT, {
  error: (i) => `expected a statistic (Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99), got ${JSON.stringify(i.input)}`,
});
