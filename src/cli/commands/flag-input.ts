import fs from 'node:fs';
import os from 'node:os';
import { InputError, SlipwayError, type FlagDetailDto, type FlagValue } from '../../shared/index.js';
import type { ApiClient } from '../client.js';

/** The API path of a flag in an environment, with an optional suffix (`/enable`, `/rollouts`). */
export const flagPath = (env: string, key: string, suffix = ''): string => `/api/v1/flags/${encodeURIComponent(env)}/${encodeURIComponent(key)}${suffix}`;

/** A value as JSON text, for tables. */
export const show = (v: unknown): string => JSON.stringify(v);

/** Who the CLI records a change as when `--by` is not given: `cli:<login name>`. */
export function defaultActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/**
 * The value of `--value`: JSON when it reads as a boolean, number or string (`true`, `3`, `"on"`),
 * else the text itself (`on`).
 */
export function parseFlagValue(text: string): FlagValue {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
  } catch {
    // not JSON: the text is the value
  }
  return text;
}

/** The JSON definition in `--file`. @throws {InputError} `SLW_ERR_CLI_USAGE` when it cannot be read or is not JSON */
export function readDefinitionFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError('SLW_ERR_CLI_USAGE', `--file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError('SLW_ERR_CLI_USAGE', `--file ${file}: not JSON (${(err as Error).message})`);
  }
}

/** The flag as it is, or undefined when the environment has none by that key. */
export async function tryGetFlag(client: ApiClient, env: string, key: string): Promise<FlagDetailDto | undefined> {
  try {
    return await client.get<FlagDetailDto>(flagPath(env, key), { limit: 1 });
  } catch (err) {
    if (err instanceof SlipwayError && err.code === 'SLW_ERR_FLAG_NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * The definition `--file` or `--value` names (exactly one): the file's JSON, or one value for
 * everyone keeping the flag's variants and description (what the value means).
 * @throws {InputError} `SLW_ERR_CLI_USAGE` when neither or both are given
 */
export async function definitionFromOptions(client: ApiClient, verb: string, env: string, key: string, opts: { readonly file?: string; readonly value?: string }): Promise<unknown> {
  if ((opts.file === undefined) === (opts.value === undefined)) throw new InputError('SLW_ERR_CLI_USAGE', `flags ${verb} ${env} ${key}: give exactly one of --file <def.json> or --value <v>`);
  if (opts.file !== undefined) return readDefinitionFile(opts.file);
  const d = (await tryGetFlag(client, env, key))?.definition;
  return { default: parseFlagValue(opts.value!), ...(d?.variants ? { variants: d.variants } : {}), ...(d?.description ? { description: d.description } : {}) };
}
