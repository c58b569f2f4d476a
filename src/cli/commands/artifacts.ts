import type { Command } from 'commander';
import type { ArtifactDto, ArtifactListDto, ArtifactPruneDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { formatAge, printJson, println, table } from '../output.js';


const kib = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

/** `slipway artifacts list|show <ref>|prune`. */
export function artifactsCommand(program: Command): void {
  const artifacts = program.command('artifacts').description('build artifacts: content-addressed archives and their tags');
  const api = (cmd: Command) => ApiClient.from(cmd.optsWithGlobals<ClientOptions>());

  artifacts
    .command('list')
    .description('list artifacts, newest first')
    .option('--service <name>', 'only this service')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(async (opts: { service?: string; limit: string; json?: boolean }, cmd: Command) => {
      const { artifacts: list } = await api(cmd).get<ArtifactListDto>('/api/v1/artifacts', { service: opts.service, limit: opts.limit });
      if (opts.json) return printJson(list);
      if (list.length === 0) return println('no artifacts yet');
      println(table(['DIGEST', 'SERVICE', 'COMMIT', 'FILES', 'SIZE', 'AGE', 'TAGS'], list.map((a) => [a.digest.slice(0, 19), a.service, a.commitSha?.slice(0, 12) ?? '-', String(a.fileCount), kib(a.sizeBytes), formatAge(Date.now() - a.createdAtMs), a.tags.map((t) => t.slice(t.indexOf(':') + 1)).filter((t) => !/^[0-9a-f]{40}$/.test(t)).join(', ')])));
    });

  artifacts
    .command('show <ref>')
    .description('show one artifact: sha256:<hex> or <service>:<tag>')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      const a = await api(cmd).get<ArtifactDto>(`/api/v1/artifacts/${encodeURIComponent(ref)}`);
      if (opts.json) return printJson(a);
      println(`digest   ${a.digest}`);
      println(`service  ${a.service}`);
      println(`commit   ${a.commitSha ?? '-'}`);
      println(`build    ${a.buildNumber ?? '-'}`);
      println(`files    ${a.fileCount} (${kib(a.sizeBytes)} compressed)`);
      println(`created  ${new Date(a.createdAtMs).toISOString()}`);
      println(`tags     ${a.tags.join(', ') || '-'}`);
    });

  artifacts
    .command('prune')
    .description('apply the lifecycle policy: untag beyond keepLast, delete expired untagged artifacts')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const r = await api(cmd).post<ArtifactPruneDto>('/api/v1/artifacts/prune', {});
      if (opts.json) return printJson(r);
      println(`untagged ${r.untagged}, deleted ${r.deleted.length}`);
      for (const d of r.deleted) println(`  ${d}`);
    });
}
