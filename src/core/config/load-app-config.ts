import fs from 'node:fs';
import path from 'node:path';
import { InputError, NotFoundError, formatIssues, isRunbookUrl, validateApp, type Issue, type ResolvedApp } from '../../shared/index.js';
import { CONFIG_FILE_NAMES } from './config-file-names.js';
import { readConfigFile } from './read-config-file.js';

/** Where to find the app definition. */
export interface LoadAppConfigOptions {
  /** The config file (relative to `cwd`); when absent, the first of {@link CONFIG_FILE_NAMES} found in `cwd`. */
  readonly file?: string;
  /** Directory the search starts in and relative paths are resolved against. @default process.cwd() */
  readonly cwd?: string;
}

/** A loaded app definition: the file it came from and its resolved form. */
export interface LoadedAppConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  /** The validated, resolved app. */
  readonly app: ResolvedApp;
}

/**
 * Finds, loads, validates and resolves the app definition.
 * @throws {NotFoundError} `SLW_ERR_CONFIG_NOT_FOUND` when there is no config file.
 * @throws {InputError} `SLW_ERR_CONFIG_LOAD` when the file cannot be parsed or evaluated.
 * @throws {InputError} `SLW_ERR_CONFIG_INVALID` with one issue (and one message line) per problem,
 * including files the model names that are not there (alarm runbooks).
 */
export async function loadAppConfig(options: LoadAppConfigOptions = {}): Promise<LoadedAppConfig> {
  const { file, label, definition } = await readAppDefinition(options);
  const result = validateApp(definition);
  if (!result.ok) throw new InputError('SLW_ERR_CONFIG_INVALID', formatIssues(result.issues, label), { issues: result.issues });
  const missing = missingFiles(result.app, path.dirname(file));
  if (missing.length > 0) throw new InputError('SLW_ERR_CONFIG_INVALID', formatIssues(missing, label), { issues: missing });
  return { file, app: result.app };
}

/**
 * The files a valid model names that are not in the repository: alarm runbooks that are paths
 * (the schema has already refused absolute paths and `..`). Validation itself reads no files, so
 * a model checked from a git ref is not refused for files of the working tree.
 */
export function missingFiles(app: Pick<ResolvedApp, 'alarms'>, appDir: string): Issue[] {
  const issues: Issue[] = [];
  for (const alarm of Object.values(app.alarms)) {
    if (alarm.runbook === undefined || isRunbookUrl(alarm.runbook)) continue;
    if (!fs.statSync(path.join(appDir, alarm.runbook), { throwIfNoEntry: false })?.isFile()) {
      issues.push({ path: `alarms.${alarm.name}.runbook`, message: `no file ${JSON.stringify(alarm.runbook)} next to the config file` });
    }
  }
  return issues;
}

/**
 * Finds and reads the app definition without validating it (what a plan sends to be validated).
 * @throws {NotFoundError} `SLW_ERR_CONFIG_NOT_FOUND`, {InputError} `SLW_ERR_CONFIG_LOAD`
 */
export async function readAppDefinition(options: LoadAppConfigOptions = {}): Promise<{ file: string; label: string; definition: unknown }> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const file = findConfigFile(cwd, options.file);
  const label = labelOf(file, cwd);
  return { file, label, definition: await readConfigFile(file, label) };
}

function findConfigFile(cwd: string, given: string | undefined): string {
  if (given !== undefined) {
    const file = path.resolve(cwd, given);
    if (!fs.existsSync(file)) throw new NotFoundError('SLW_ERR_CONFIG_NOT_FOUND', `config file ${given} not found in ${cwd}`);
    return file;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(cwd, name);
    if (fs.existsSync(file)) return file;
  }
  throw new NotFoundError('SLW_ERR_CONFIG_NOT_FOUND', `no slipway.config.{ts,mts,js,mjs,json,yaml,yml} found in ${cwd}`);
}

/** How messages name the file: its path relative to cwd when inside it, else its absolute path. */
function labelOf(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}
