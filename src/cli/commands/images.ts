import path from 'node:path';
import type { Command } from 'commander';
import { buildBaseImage, detectEngine } from '../../images/index.js';
import { resolveDataDir } from '../paths.js';
import { printJson, println } from '../output.js';

/** `slipway images engine|base`: the container engine slipway found, and the local Debian + Node base image. */
export function imagesCommand(program: Command): void {
  const images = program.command('images').description('container images: the engine, the local base image');
  images
    .command('engine')
    .description('find the container engine and how it starts containers on this machine')
    .option('--json', 'print the compiled engine as JSON')
    .action(async (opts: { json?: boolean }) => {
      const engine = await detectEngine();
      if (opts.json) return printJson(engine);
      println(engine.description);
    });
  images
    .command('base')
    .description('build the Debian + Node base image with mmdebstrap from the configured mirror and import it (skipped when it exists)')
    .option('--force', 'build even when the image exists')
    .option('--suite <suite>', 'Debian suite', 'bookworm')
    .option('--mirror <url>', "package mirror (default: the host's apt source for the suite)")
    .option('--json', 'print the result as JSON')
    .action(async (opts: { force?: boolean; suite: string; mirror?: string; json?: boolean }, cmd: Command) => {
      const engine = await detectEngine();
      const dataDir = resolveDataDir(cmd.optsWithGlobals<{ data?: string }>().data);
      const result = await buildBaseImage(engine, {
        workDir: path.join(dataDir.root, 'images', 'base'),
        suite: opts.suite,
        force: opts.force ?? false,
        ...(opts.mirror !== undefined ? { mirror: opts.mirror } : {}),
        ...(opts.json ? {} : { onLine: (l: string) => println(l) }),
      });
      if (opts.json) return printJson(result);
      println(result.cached ? `${result.image} exists (use --force to build it again)` : `${result.image} built from ${result.mirror} in ${(result.durationMs / 1000).toFixed(1)} s (${result.imageId})`);
    });
}
