import type { Command } from 'commander';
import { type FlagDefinitionDto, type FlagDetailDto, type FlagDto, type FlagListDto } from '../../shared/index.js';
import { ApiClient, type ClientOptions } from '../client.js';
import { printJson, println, table } from '../output.js';
import { flagRolloutCommands } from './flag-rollouts.js';
import { defaultActor, definitionFromOptions, flagPath as path, show } from './flag-input.js';

/** One line per rule: `plan=pro 20% → true`. */
function ruleLines(d: FlagDefinitionDto): string[] {
  return d.rules.map((r, i) => {
    const match = Object.entries(r.match).map(([k, v]) => `${k}=${show(v)}`);
    const split = r.percentage < 100 ? [`${r.percentage}%`] : [];
    return `  ${i + 1}. ${[...match, ...split].join(' ') || 'everyone'} → ${show(r.value)}`;
  });
}

function stateLine(f: FlagDto): string {
  const rollout = f.rollout === undefined ? '' : `, rollout ${f.rollout.id} at ${f.rollout.percent}%`;
  return `${f.environment}/${f.key}: version ${f.version}, ${f.enabled ? 'enabled' : 'disabled (serves its default)'}${rollout}`;
}

export { parseFlagValue } from './flag-input.js';

interface JsonOption {
  json?: boolean;
}

interface ActorOption {
  by?: string;
}

/** `slipway flags list|get|set|kill|enable|history|rollout|rollouts`: the flags each environment serves over OFREP. */
export function flagsCommand(program: Command): void {
  const flags = program.command('flags').description('feature flags per environment: definitions, versions, kill switch');
  const client = (cmd: Command) => ApiClient.from(cmd.optsWithGlobals<ClientOptions>());

  flags
    .command('list', { isDefault: true })
    .description('every flag of every environment with its version and state')
    .option('--json', 'print JSON')
    .action(async (opts: JsonOption, cmd: Command) => {
      const list = await client(cmd).get<FlagListDto>('/api/v1/flags');
      if (opts.json) return printJson(list);
      const rows = list.environments.flatMap((e) => e.flags.map((f) => [e.name, f.key, String(f.version), f.enabled ? 'enabled' : 'disabled', show(f.definition.default), String(f.definition.rules.length), f.updatedAt]));
      if (rows.length === 0) return println('no flags defined');
      println(table(['environment', 'flag', 'version', 'state', 'default', 'rules', 'updated'], rows));
    });

  flags
    .command('get <env> <key>')
    .description("a flag's definition and state in an environment")
    .option('--json', 'print JSON (with the history)')
    .action(async (env: string, key: string, opts: JsonOption, cmd: Command) => {
      const f = await client(cmd).get<FlagDetailDto>(path(env, key));
      if (opts.json) return printJson(f);
      println(stateLine(f));
      if (f.definition.description !== null) println(`  ${f.definition.description}`);
      println(`  default → ${show(f.definition.default)}`);
      for (const line of ruleLines(f.definition)) println(line);
      if (f.definition.variants !== null) println(`  variants: ${Object.keys(f.definition.variants).join(', ')}`);
    });

  flags
    .command('set <env> <key>')
    .description('write a new version: a definition from a JSON file (as in the app model), or one value for everyone')
    .option('--file <def.json>', 'the definition: {"default": …, "rules": [{"match": {…}, "percentage": 20, "value": …}], "variants": {…}}')
    .option('--value <v>', 'serve this value to everyone (no rules); JSON (true, 3, "on") or plain text')
    .option('--by <who>', 'who makes the change (recorded in the history and the event log)')
    .option('--json', 'print JSON')
    .action(async (env: string, key: string, opts: JsonOption & ActorOption & { file?: string; value?: string }, cmd: Command) => {
      const c = client(cmd);
      const definition = await definitionFromOptions(c, 'set', env, key, opts);
      const f = await c.request<FlagDto>('PUT', path(env, key), { definition, by: opts.by ?? defaultActor() });
      if (opts.json) return printJson(f);
      println(stateLine(f));
    });

  for (const [verb, action, description] of [
    ['kill', 'disable', 'disable a flag (kill switch): it serves its default, reason DISABLED'],
    ['enable', 'enable', 'enable a flag again: its rules decide'],
  ] as const) {
    flags
      .command(`${verb} <env> <key>`)
      .description(description)
      .option('--by <who>', 'who makes the change (recorded in the history and the event log)')
      .option('--json', 'print JSON')
      .action(async (env: string, key: string, opts: JsonOption & ActorOption, cmd: Command) => {
        const f = await client(cmd).post<FlagDto>(path(env, key, `/${action}`), { by: opts.by ?? defaultActor() });
        if (opts.json) return printJson(f);
        println(stateLine(f));
      });
  }

  flags
    .command('history <env> <key>')
    .description("a flag's versions in an environment, newest first")
    .option('--limit <n>', 'at most this many versions', '50')
    .option('--json', 'print JSON')
    .action(async (env: string, key: string, opts: JsonOption & { limit: string }, cmd: Command) => {
      const f = await client(cmd).get<FlagDetailDto>(path(env, key), { limit: opts.limit });
      if (opts.json) return printJson(f.history);
      println(table(['version', 'time', 'change', 'state', 'by', 'default', 'rules'], f.history.map((v) => [String(v.version), v.time, v.change, v.enabled ? 'enabled' : 'disabled', v.actor, show(v.definition.default), String(v.definition.rules.length)])));
    });

  flagRolloutCommands(flags, client);
}
