import type { Logger } from '../../core/index.js';

/** Options of {@link startPolling}. */
export interface PollingOptions {
  readonly intervalMs: number;
  /** One poll; its errors are logged and the loop goes on. */
  poll(): Promise<void>;
  readonly logger: Logger;
}

/** A running polling loop. */
export interface PollingLoop {
  /** Polls now (waits for a poll in flight first); resolves when done. */
  pollNow(): Promise<void>;
  /** Stops the loop; resolves once a poll in flight is done. */
  stop(): Promise<void>;
}

/**
 * Calls `poll` at once, then `intervalMs` after each poll ends (never two at
 * a time). A failing poll is logged once per distinct message, not thrown.
 */
export function startPolling(options: PollingOptions): PollingLoop {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  let lastError: string | undefined;
  const once = (): Promise<void> => {
    current = current.then(async () => {
      try {
        await options.poll();
        lastError = undefined;
      } catch (err) {
        const message = (err as Error).message;
        if (message !== lastError) options.logger.warn('polling the source repository failed', { err: message });
        lastError = message;
      }
    });
    return current;
  };
  const tick = (): void => {
    void once().then(() => {
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    });
  };
  tick();
  return {
    pollNow: () => once(),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
