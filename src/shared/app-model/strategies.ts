import type { z } from 'zod';
import type { BlueGreenOptions, CanaryOptions, LinearOptions, RollingOptions, blueGreenSchema, canarySchema, linearSchema, rollingSchema } from './schema/strategy.js';

/** A canary strategy as written in an app definition. */
export type CanaryStrategy = z.input<typeof canarySchema>;
/** A linear strategy as written in an app definition. */
export type LinearStrategy = z.input<typeof linearSchema>;
/** A rolling strategy as written in an app definition. */
export type RollingStrategy = z.input<typeof rollingSchema>;
/** A blue/green strategy as written in an app definition. */
export type BlueGreenStrategy = z.input<typeof blueGreenSchema>;

/**
 * Shifts traffic to the new revision in increasing steps, waiting `interval` at each.
 * @example canary({ steps: [5, 25, 50, 100], interval: '30s' })
 */
export function canary(options: CanaryOptions): CanaryStrategy {
  return { type: 'canary', ...options };
}

/**
 * Shifts `percent` more traffic every `every` until all traffic is shifted.
 * @example linear({ percent: 10, every: '1m' })
 */
export function linear(options: LinearOptions): LinearStrategy {
  return { type: 'linear', ...options };
}

/**
 * Replaces tasks batch by batch (by count or by percentage).
 * @example rolling({ batchPercent: 50, minHealthyPercent: 50 })
 */
export function rolling(options: RollingOptions = {}): RollingStrategy {
  return { type: 'rolling', ...options };
}

/**
 * Starts the new revision beside the old, optionally exposes it on the test port, then shifts all traffic.
 * @example blueGreen({ bakeTime: '2m', terminateBlueAfter: '10m' })
 */
export function blueGreen(options: BlueGreenOptions = {}): BlueGreenStrategy {
  return { type: 'blueGreen', ...options };
}
