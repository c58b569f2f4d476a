import path from 'node:path';
import type { Command } from 'commander';
import { buildBaseImage, detectEngine } from '../../images/index.js';
import type { ImageRepositoryListDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { resolveDataDir } from '../paths.js';
import { formatAge, printJson, println, table } from '../output.js';

/** `slipway images engine|base|list|sbom`: the container engine slipway found, the local Debian + Node base image, and the local registry's repositories. */
export function imagesCommand(program: Command): void {
  const images = program.command('images').description('container images: the engine, the local base image, the local registry');
  const api = (cmd: Command) => ApiClient.from(cmd.optsWithGlobals<ClientOptions>());
  images
    .command('list')
    .description("list the local registry's images by repository, with their tags and scan on push")
    .option('--repository <name>', 'only this repository (<app>/<service>)')
    .option('--json', 'print JSON')
    .action(async (opts: { repository?: string; json?: boolean }, cmd: Command) => {
      const r = await api(cmd).get<ImageRepositoryListDto>('/api/v1/images', { repository: opts.repository });
      if (opts.json) return printJson(r);
      if (r.repositories.length === 0) return println('no image repositories yet');
      const rows = r.repositories.flatMap((repo) =>
        repo.images.length === 0
          ? [[repo.name, '-', '-', '-', '-', repo.tagMutability]]
          : repo.images.map((i) => [repo.name, i.digest.slice(0, 19), i.tags.join(', ') || '<untagged>', i.scan ? `${i.scan.status}${i.scan.secrets.length > 0 ? ` (${i.scan.secrets.length} secrets)` : ''}` : '-', formatAge(Date.now() - i.pushedAtMs), repo.tagMutability]),
      );
      println(table(['REPOSITORY', 'DIGEST', 'TAGS', 'SCAN', 'PUSHED', 'TAGS ARE'], rows));
    });
  images
    .command('sbom <repository> <digest>')
    .description("print an image's CycloneDX SBOM, as stored beside it by its scan on push")
    .action(async (repository: string, digest: string, _opts: unknown, cmd: Command) => {
      printJson(await api(cmd).get<unknown>('/api/v1/images/sbom', { repository, digest }));
    });
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
