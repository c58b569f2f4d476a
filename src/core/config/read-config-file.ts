import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../shared/index.js';

/**
 * The entry of this package, which `import ... from 'slipway'` in a config file resolves to
 * wherever the config lives: `src/index.ts` when running from source, `dist/src/index.js` when built.
 */
export const PACKAGE_ENTRY = fileURLToPath(new URL(`../../index.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url));

/**
 * Reads a config file into the value it defines, by extension: TypeScript and JavaScript
 * are evaluated (default export, else `module.exports`), JSON and YAML are parsed.
 * @param label how messages name the file, e.g. `slipway.config.ts`.
 * @throws {InputError} `SLW_ERR_CONFIG_LOAD` when the file cannot be read, parsed or evaluated.
 */
export async function readConfigFile(file: string, label: string): Promise<unknown> {
  const fail = (reason: string, cause: unknown): never => {
    throw new InputError('SLW_ERR_CONFIG_LOAD', `${label}: ${reason}`, { cause });
  };
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      return fail(reasonOf(error), error);
    }
    try {
      return ext === '.json' ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
    } catch (error) {
      return fail(reasonOf(error), error);
    }
  }
  const jiti = createJiti(import.meta.url, {
    alias: { slipway: PACKAGE_ENTRY },
    moduleCache: false,
    fsCache: false,
    interopDefault: true,
  });
  try {
    return await jiti.import(file, { default: true });
  } catch (error) {
    return fail(reasonOf(error), error);
  }
}

/** One line saying what went wrong; a transpiler's location line (`<file>:2:17`) becomes `(line 2, column 17)`. */
function reasonOf(error: unknown): string {
  const [first = '', ...rest] = (error instanceof Error ? error.message : String(error)).split('\n');
  const location = rest.map((line) => /:(\d+):(\d+)\s*$/.exec(line)).find((m) => m !== null);
  return location === undefined ? first.trim() : `${first.trim()} (line ${location[1]}, column ${location[2]})`;
}
