import { buildHostNodeImage as build, type CompiledEngine } from '../../src/images/index.js';

/**
 * Builds a `FROM scratch` image that runs this host's Node (see the images module's
 * `buildHostNodeImage`) with `files` (path in the image → content) and `cmd`, and returns its id.
 * Seconds to build, so container tests run on a machine with no base image.
 */
export async function buildHostNodeImage(engine: CompiledEngine, tag: string, files: Readonly<Record<string, string>>, cmd: readonly string[]): Promise<string> {
  const built = await build(engine, { tag, files, cmd });
  return built.imageId!;
}
