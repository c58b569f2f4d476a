import type { CompiledEngine } from './model.js';
import { detectEngine } from './detect-engine.js';

/**
 * The container engine found on first use and kept: every caller shares one detection (it starts a
 * probe container). A failed detection is not kept, so the next use looks again (an engine installed
 * meanwhile is found).
 * @param find how to find it @default `detectEngine()`
 */
export function lazyEngine(find: () => Promise<CompiledEngine> = () => detectEngine()): () => Promise<CompiledEngine> {
  let engine: Promise<CompiledEngine> | undefined;
  return () => {
    engine ??= find().catch((err: unknown) => {
      engine = undefined;
      throw err;
    });
    return engine;
  };
}
