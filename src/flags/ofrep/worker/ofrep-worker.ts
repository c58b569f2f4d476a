// Entry point of the OFREP worker thread (started by `OfrepEndpoint`): its own HTTP listener on
// loopback, answering OFREP from the flag snapshots the main thread posts, so evaluations never
// wait behind the control plane's event loop.
import http from 'node:http';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ImpressionCounter, type Impression } from '../../impressions/impression-counter.js';
import { FlagTokens } from '../flag-tokens.js';
import { ofrepRequestListener } from './ofrep-listener.js';
import type { FromOfrepWorker, OfrepWorkerData, SnapshotMessage, ToOfrepWorker } from './protocol.js';
import { SnapshotFlagSource } from './snapshot-source.js';

const data = workerData as OfrepWorkerData;
const parent = parentPort!;
const post = (m: FromOfrepWorker): void => parent.postMessage(m);

const source = new SnapshotFlagSource(data.flags);
const apply = (m: SnapshotMessage): void => source.replace(m.flags);
data.snapshots.on('message', apply);
// A change posted just before a request is applied before that request is answered, even when
// this thread has not yet run the port's message event.
const catchUp = (): void => {
  for (let m = receiveMessageOnPort(data.snapshots); m !== undefined; m = receiveMessageOnPort(data.snapshots)) apply(m.message as SnapshotMessage);
};

let counter = new ImpressionCounter(0);
const impressions = { record: (i: Impression, n?: number): void => counter.record(i, n) };
const batch = (id?: number): void => {
  if (counter.size === 0 && id === undefined) return;
  const entries = counter.entries();
  counter = new ImpressionCounter(0);
  post({ type: 'impressions', batch: entries, ...(id === undefined ? {} : { id }) });
};
const timer = setInterval(() => batch(), data.impressionBatchMs);

const tokens = new FlagTokens(data.secret);
const server = http.createServer(
  ofrepRequestListener({
    store: source,
    authenticate: tokens.check,
    impressions,
    bodyLimitBytes: data.bodyLimitBytes,
    beforeRequest: catchUp,
    onError: (err) => post({ type: 'request-failed', message: err instanceof Error ? err.message : String(err), ...(err instanceof Error && err.stack !== undefined ? { stack: err.stack } : {}) }),
  }),
);
server.keepAliveTimeout = 65_000;
server.once('error', (err: NodeJS.ErrnoException) => {
  post({ type: 'listen-failed', code: err.code ?? 'UNKNOWN', message: err.message });
  process.exit(1);
});
server.listen(data.port, data.host, () => {
  const address = server.address();
  post({ type: 'listening', port: typeof address === 'object' && address !== null ? address.port : data.port });
});

parent.on('message', (m: ToOfrepWorker) => {
  if (m.type === 'flush') return batch(m.id);
  clearInterval(timer);
  server.close();
  server.closeAllConnections();
  batch();
  data.snapshots.close();
  post({ type: 'closed' });
  parent.close();
});
