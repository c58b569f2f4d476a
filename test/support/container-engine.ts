import { detectEngine, type CompiledEngine } from '../../src/images/index.js';

/**
 * The container engine of this machine for tests, or undefined after printing why the container
 * tests are skipped (never silently): no engine, or one that cannot start a container here.
 */
export async function containerEngineOrSkip(suite: string): Promise<CompiledEngine | undefined> {
  try {
    return await detectEngine();
  } catch (err) {
    process.stderr.write(`SKIPPED ${suite}: no usable container engine (${(err as Error).message.split('\n')[0]}). Install podman and runc (apt-get install -y podman runc) to run these tests.\n`);
    return undefined;
  }
}
