// The decode worker: runs OTLP decode jobs off the control plane's main thread.
import { parentPort } from 'node:worker_threads';
import { runOtlpDecodeJob, type OtlpDecodeJob } from './otlp-decode-job.js';

parentPort?.on('message', (message: { readonly id: number; readonly job: OtlpDecodeJob }) => {
  parentPort?.postMessage({ id: message.id, output: runOtlpDecodeJob(message.job) });
});
