import type { BandPoint, ComparisonOperator } from './model.js';

const BAND_COMPARISONS: ReadonlySet<ComparisonOperator> = new Set([
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
]);

/** Whether a comparison is made against an anomaly detection band rather than a static threshold. */
export function isBandComparison(comparison: ComparisonOperator): boolean {
  return BAND_COMPARISONS.has(comparison);
}

/**
 * Whether one datapoint breaches. Static comparisons use `threshold`; band comparisons use `band`
 * (the edges themselves are inside the band, as in CloudWatch).
 */
export function isBreaching(comparison: ComparisonOperator, value: number, threshold: number, band?: BandPoint): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    case 'LessThanLowerOrGreaterThanUpperThreshold':
      return band !== undefined && (value < band.lower || value > band.upper);
    case 'LessThanLowerThreshold':
      return band !== undefined && value < band.lower;
    case 'GreaterThanUpperThreshold':
      return band !== undefined && value > band.upper;
  }
}

/** The words of a comparison for reasons, e.g. `greater than or equal to`. */
export function comparisonPhrase(comparison: ComparisonOperator): string {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return 'greater than';
    case 'GreaterThanOrEqualToThreshold':
      return 'greater than or equal to';
    case 'LessThanThreshold':
      return 'less than';
    case 'LessThanOrEqualToThreshold':
      return 'less than or equal to';
    case 'LessThanLowerOrGreaterThanUpperThreshold':
      return 'less than the lower thresholds or greater than the upper thresholds';
    case 'LessThanLowerThreshold':
      return 'less than the lower thresholds';
    case 'GreaterThanUpperThreshold':
      return 'greater than the upper thresholds';
  }
}
