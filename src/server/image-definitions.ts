import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../shared/index.js';

/** The file a container build writes for the deploy stage, as CodePipeline's ECS deploy action reads it. */
export const IMAGE_DEFINITIONS_FILE = 'imagedefinitions.json';

/**
 * The images a build's artifact names, by service (ECS's `imagedefinitions.json`:
 * `[{ "name": "<container>", "imageUri": "<repo>:<tag>" }]`, the container name being the service's);
 * empty when the artifact has no such file.
 * @throws InputError `SLW_ERR_DEPLOY_IMAGE_INVALID` for a file that is not that shape, naming the entry.
 */
export function readImageDefinitions(sourceDir: string): Record<string, string> {
  const file = path.join(sourceDir, IMAGE_DEFINITIONS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const invalid = (where: string, message: string) => new InputError('SLW_ERR_DEPLOY_IMAGE_INVALID', `${IMAGE_DEFINITIONS_FILE}${where}: ${message}`, { issues: [{ path: `${IMAGE_DEFINITIONS_FILE}${where}`, message }] });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalid('', `not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(doc)) throw invalid('', 'expected a list of { "name", "imageUri" }');
  const out: Record<string, string> = {};
  doc.forEach((entry: unknown, i) => {
    const e = entry as { name?: unknown; imageUri?: unknown };
    if (typeof entry !== 'object' || entry === null || typeof e.name !== 'string' || typeof e.imageUri !== 'string' || e.name === '' || e.imageUri === '') {
      throw invalid(`[${i}]`, 'expected { "name": "<service>", "imageUri": "<repository>:<tag>" }');
    }
    if (out[e.name] !== undefined) throw invalid(`[${i}].name`, `"${e.name}" is named twice`);
    out[e.name] = e.imageUri;
  });
  return out;
}
