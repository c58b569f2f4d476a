import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exec } from '../../src/core/index.js';
import { buildImage, type CompiledEngine } from '../../src/images/index.js';

/**
 * Builds a `FROM scratch` image that runs Node without any registry or package mirror: the host's
 * own `node` binary and the shared libraries `ldd` names, plus `files` (path in the image →
 * content). Seconds to build, so container tests run on a machine with no base image.
 */
export async function buildHostNodeImage(engine: CompiledEngine, tag: string, files: Readonly<Record<string, string>>, cmd: readonly string[]): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-host-node-'));
  try {
    const root = path.join(dir, 'root');
    const node = fs.realpathSync(process.execPath);
    const copy = (from: string, to: string) => {
      fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
      fs.copyFileSync(fs.realpathSync(from), path.join(root, to));
      fs.chmodSync(path.join(root, to), 0o755);
    };
    copy(node, 'usr/bin/node');
    const ldd = await exec('ldd', [node]);
    for (const m of ldd.stdout.matchAll(/(\S+) => (\/\S+)|^\s*(\/\S+) \(/gm)) {
      const lib = m[2] ?? m[3];
      if (lib !== undefined) copy(lib, lib.slice(1));
    }
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
    for (const [p, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      fs.writeFileSync(path.join(root, p), content);
    }
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM scratch\nCOPY root/ /\nCMD ${JSON.stringify(cmd)}\n`);
    return (await buildImage(engine, { contextDir: dir, tags: [tag] })).imageId;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
