import type { Command } from 'commander';
import { InputError, type SecretDto, type SecretListDto, type SecretSetDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';

const path = (name: string): string => `/api/v1/secrets/${encodeURIComponent(name)}`;

/** Reads the value: all of stdin when it is piped (one trailing newline dropped), else a hidden prompt on the terminal. */
async function readValue(name: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  process.stderr.write(`value of ${name} (not shown): `);
  return new Promise((resolve, reject) => {
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new InputError('SLW_ERR_PIPELINE_SECRET_INVALID', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** `slipway secrets set NAME` (value from stdin or a hidden prompt), `list [--json]`, `rm NAME`. */
export function secretsCommand(program: Command): void {
  const secrets = program.command('secrets').description('secrets tasks get as environment variables (values are never shown)');
  const client = (cmd: Command) => ApiClient.from(cmd.optsWithGlobals<ClientOptions>());

  secrets
    .command('set <name> [value...]')
    .description('store a new version of a secret, read from stdin or a hidden prompt; rolls the services that declare it')
    .option('--json', 'print JSON')
    .action(async (name: string, given: string[], opts: { json?: boolean }, cmd: Command) => {
      // An argument lands in shell history and in every process listing: refused, before anything is sent.
      if (given.length > 0) {
        throw new InputError('SLW_ERR_PIPELINE_SECRET_INVALID', `secrets set ${name}: the value is never taken as an argument (it would be kept in shell history and process listings); pipe it in (\`printf %s "$VALUE" | slipway secrets set ${name}\`) or type it at the prompt`);
      }
      const value = await readValue(name);
      if (value === '') throw new InputError('SLW_ERR_PIPELINE_SECRET_INVALID', `secrets set ${name}: no value was given on stdin`);
      const set = await client(cmd).request<SecretSetDto>('PUT', path(name), { value });
      if (opts.json) return printJson(set);
      println(`${set.name}: version ${set.version}${set.usedBy.length > 0 ? ` (used by ${set.usedBy.join(', ')})` : ''}`);
      for (const r of set.rotations) println(r.deploymentId !== null ? `  ${r.service} in ${r.environment}: deployment ${r.deploymentId}` : `  ${r.service} in ${r.environment}: not deployed: ${r.error ?? ''}`);
    });

  secrets
    .command('list', { isDefault: true })
    .description('names, versions, last change and users; never values')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { secrets: list } = await client(cmd).get<SecretListDto>('/api/v1/secrets');
      if (opts.json) return printJson(list);
      if (list.length === 0) return println('no secrets set');
      println(table(['name', 'version', 'updated', 'used by'], list.map((s) => [s.name, String(s.version), s.updatedAt, s.usedBy.join(', ')])));
    });

  secrets
    .command('rm <name>')
    .description('remove a secret and all its versions (refused while a service declares it)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      const removed = await client(cmd).request<SecretDto>('DELETE', path(name));
      if (opts.json) return printJson(removed);
      println(`${removed.name}: removed (it was at version ${removed.version})`);
    });
}
