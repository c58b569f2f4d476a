import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../shared/index.js';

/** A CloudFormation template, as far as a diff reads it. */
export interface TemplateJson {
  readonly Resources?: Readonly<Record<string, { readonly Type: string; readonly Properties?: unknown; readonly [key: string]: unknown }>>;
}

/** One stack of a cloud assembly. */
export interface AssemblyStack {
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** The template file, relative to the assembly directory. */
  readonly templateFile: string;
  readonly template: TemplateJson;
}

interface ManifestJson {
  readonly artifacts?: Readonly<Record<string, { readonly type: string; readonly properties?: { readonly templateFile?: string; readonly stackName?: string } }>>;
}

/**
 * Reads the stacks of a cloud assembly (`manifest.json` and the templates it names).
 * @throws {InputError} `SLW_ERR_SYNTH_NOT_ASSEMBLY` when `dir` has no readable manifest.
 */
export function readAssembly(dir: string): AssemblyStack[] {
  const manifestFile = path.join(dir, 'manifest.json');
  let manifest: ManifestJson;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ManifestJson;
  } catch (cause) {
    throw new InputError('SLW_ERR_SYNTH_NOT_ASSEMBLY', `${dir} is not a cloud assembly (no readable manifest.json)`, { cause });
  }
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack' || artifact.properties?.templateFile === undefined) continue;
    const templateFile = artifact.properties.templateFile;
    const template = JSON.parse(fs.readFileSync(path.join(dir, templateFile), 'utf8')) as TemplateJson;
    stacks.push({ stackName: artifact.properties.stackName ?? id, templateFile, template });
  }
  return stacks.sort((a, b) => a.stackName.localeCompare(b.stackName));
}
