import type { MessagePort } from 'node:worker_threads';
import type { Impression } from '../../impressions/impression-counter.js';
import type { StoredFlag } from '../../store/model.js';

// The messages between the control plane's main thread and the OFREP worker.

/** What the worker starts with (`workerData`). */
export interface OfrepWorkerData {
  /** The flag signing secret: the worker checks tokens exactly as the API server's routes do. */
  readonly secret: string;
  readonly host: string;
  /** The port to listen on; 0 picks one. */
  readonly port: number;
  /** Every stored flag when the worker was started. */
  readonly flags: readonly StoredFlag[];
  /** Where each later snapshot arrives ({@link SnapshotMessage}); read before every request, so no answer is older than the last post. */
  readonly snapshots: MessagePort;
  /** Time between impression batches, ms. */
  readonly impressionBatchMs: number;
  readonly bodyLimitBytes: number;
}

/** Main → worker, on the snapshots port: every stored flag, after a change. */
export interface SnapshotMessage {
  readonly flags: readonly StoredFlag[];
}

/** Main → worker, on the parent port. */
export type ToOfrepWorker = { readonly type: 'flush'; readonly id: number } | { readonly type: 'close' };

/** Worker → main, on the parent port. */
export type FromOfrepWorker =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'listen-failed'; readonly code: string; readonly message: string }
  /** Evaluations counted since the last batch; `id` answers a flush. */
  | { readonly type: 'impressions'; readonly batch: readonly { readonly impression: Impression; readonly count: number }[]; readonly id?: number }
  | { readonly type: 'request-failed'; readonly message: string; readonly stack?: string }
  | { readonly type: 'closed' };
