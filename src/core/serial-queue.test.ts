import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial-queue.js';

describe('SerialQueue', () => {
  it('runs jobs one at a time in order, and a failed job does not stop the next', async () => {
    // GIVEN a queue and three jobs, the second failing, each recording when it starts and ends
    const queue = new SerialQueue();
    const trace: string[] = [];
    const job = (name: string, fail = false) => async () => {
      trace.push(`${name}:start`);
      await new Promise((r) => setImmediate(r));
      trace.push(`${name}:end`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
    // WHEN they are queued together
    const results = await Promise.allSettled([queue.run(job('a')), queue.run(job('b', true)), queue.run(job('c'))]);
    await queue.idle();
    // THEN none overlapped, each got its own result, and c ran after b failed
    expect(trace).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'b failed', 'c']);
  });
});
