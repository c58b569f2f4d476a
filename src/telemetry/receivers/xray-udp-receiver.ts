import dgram from 'node:dgram';
import type { Logger } from '../../core/index.js';
import { SlipwayError } from '../../shared/index.js';
import type { IngestLimits } from '../model/index.js';
import { decodeXrayDatagram } from '../xray/index.js';
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
  /** Where decoded spans go. */
  readonly sink: IngestSink;
  /** Counters to update. */
  readonly counters: IngestCounters;
  /** Where refused datagrams are logged (debug) and socket errors (error). */
  readonly logger: Logger;
}

/**
 * Starts the X-Ray daemon receiver: each UDP datagram (header line + segment
 * document) becomes spans. A bad datagram is counted and logged at debug level;
 * nothing a sender does can throw out of the handler.
 */
export async function startXrayReceiver(options: XrayReceiverOptions): Promise<RunningReceiver> {
  const socket = dgram.createSocket('udp4');
  const { counters, sink, logger } = options;
  socket.on('message', (msg) => {
    counters.xray.datagrams++;
    try {
      const spans = decodeXrayDatagram(msg, options.limits);
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
