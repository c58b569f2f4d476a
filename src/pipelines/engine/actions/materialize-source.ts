import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { prepareWorkspace } from '../../build/index.js';
import type { ActionServices } from './action-context.js';

/**
 * The directory a deploy hands to the deployer: the artifact unpacked under
 * `<releases>/<digest hex>` (or, without an artifact, a checkout of the commit
 * under `<releases>/commit-<sha>`). Made once, atomically (a temporary folder
 * renamed into place), and kept, since the deployed revision runs from it.
 */
export async function materializeSource(services: ActionServices, artifact: string | undefined, commitSha: string): Promise<string> {
  fs.mkdirSync(services.releasesDir, { recursive: true });
  if (artifact !== undefined) {
    const dir = path.join(services.releasesDir, artifact.slice('sha256:'.length));
    if (fs.existsSync(dir)) return dir;
    const tmp = path.join(services.releasesDir, `.tmp-${crypto.randomUUID()}`);
    try {
      await services.artifacts.extractTo(artifact, tmp);
      renameInto(tmp, dir);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return dir;
  }
  const { prefix } = await services.repo.location();
  const dir = path.join(services.releasesDir, `commit-${commitSha}`);
  if (!fs.existsSync(dir)) {
    const tmpId = `.tmp-${crypto.randomUUID()}`;
    const ws = await prepareWorkspace({ repoDir: services.repo.dir, revision: commitSha, workspacesDir: services.releasesDir, buildId: tmpId });
    try {
      renameInto(ws.dir, dir);
    } finally {
      ws.remove();
    }
  }
  return path.join(dir, prefix);
}

function renameInto(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    // Another deploy made the same folder first: same content, keep theirs.
    if (!fs.existsSync(to)) throw err;
  }
}
