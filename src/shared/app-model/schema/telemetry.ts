import { z } from 'zod';
import { strict } from './primitives.js';

/** How the local telemetry receivers (OTLP/HTTP, X-Ray UDP) treat senders. */
export const telemetrySchema = strict({
  /**
   * Accept OTLP and X-Ray from senders without an ingest key. Their data is stored, but their
   * metric datapoints are marked anonymous: alarms, deployment analysis and incident impact never
   * read them. A key that is sent and does not verify is refused either way. Local only: AWS
   * telemetry is authenticated by IAM.
   * @default false
   */
  allowUnauthenticated: z.boolean().optional(),
});
