import dgram from 'node:dgram';
import type { Logger } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';
import { authorizeIngest, describeDenial, spanMismatch, type IngestPolicy } from '../ingest-auth/index.js';
import type { IngestLimits } from '../model/index.js';
import { decodeXrayDatagram, readXrayHeader } from '../xray/index.js';
import type { IngestCounters } from './ingest-counters.js';
import type { IngestSink } from './ingest-sink.js';
import type { RunningReceiver } from './otlp-http-receiver.js';

/** Options of {@link startXrayReceiver}. */
export interface XrayReceiverOptions {
  /** Address to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** UDP port; 0 picks a free one. @default 2000 */
  readonly port?: number;
  /** Time window and clock of decoding. */
  readonly limits?: IngestLimits;
  /** Who may write; the key is read from the header line before the segment is parsed. */
  readonly policy: IngestPolicy;
  /** Where decoded spans go. */
  readonly sink: IngestSink;
  /** Counters to update. */
  readonly counters: IngestCounters;
  /** Where refused datagrams are logged (debug) and socket errors (error). */
  readonly logger: Logger;
}

/**
 * Starts the X-Ray daemon receiver: each UDP datagram (header line + segment
 * document) becomes spans. UDP has no headers, so the ingest key travels in the header
 * line (`"slipway_ingest_key"`); without a valid one a datagram is dropped unless the
 * policy allows anonymous senders. With a service key, a segment of another service is
 * dropped whole (one segment document is one unit). A bad or refused datagram is
 * counted and logged at debug level; nothing a sender does can throw out of the handler.
 */
export async function startXrayReceiver(options: XrayReceiverOptions): Promise<RunningReceiver> {
  const socket = dgram.createSocket('udp4');
  const { counters, sink, logger, policy } = options;
  const deny = (code: string, message: string): void => {
    counters.xray.rejected++;
    counters.xray.denied++;
    logger.debug('X-Ray datagram refused', { code, message });
  };
  socket.on('message', (msg) => {
    counters.xray.datagrams++;
    try {
      const decision = authorizeIngest(policy.keys.identify(readXrayHeader(msg).ingestKey), 'traces', policy.allowUnauthenticated);
      if (!decision.allowed) {
        const denial = describeDenial(decision.reason, 'xray');
        deny(denial.code, denial.message);
        return;
      }
      const spans = decodeXrayDatagram(msg, options.limits);
      const b = decision.binding;
      const foreign = b === undefined ? undefined : spans.map((s) => spanMismatch(s, b)).find((m) => m !== undefined);
      if (b !== undefined && foreign !== undefined) {
        deny('SLW_ERR_XRAY_SERVICE_MISMATCH', `the segment names ${foreign}, but the key is for service "${b.service}" in environment "${b.environment}"`);
        return;
      }
      counters.xray.accepted += spans.length;
      if (spans.length > 0) sink.spans(spans);
    } catch (err) {
      counters.xray.rejected++;
      if (err instanceof SlipwayError) logger.debug('X-Ray datagram refused', { code: err.code, message: err.message });
      else logger.error('X-Ray datagram failed', { err });
    }
  });
  socket.on('error', (err) => logger.error('X-Ray socket error', { err }));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 2000, options.host ?? '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    port: socket.address().port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
