import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exec } from '../../core/index.js';
import { buildImage } from '../engine/build-image.js';
import { imageExists } from '../engine/image-ops.js';
import type { CompiledEngine } from '../engine/model.js';

/**
 * The name {@link buildHostNodeImage} gives its image by default: the Node version is in the tag,
 * because native modules installed on this machine (better-sqlite3) load only in that Node.
 */
export function hostNodeImageName(version = process.versions.node): string {
  return `localhost/slipway/host-node:${version}`;
}

/** Options of {@link buildHostNodeImage}. */
export interface HostNodeImageOptions {
  /** Name of the image. @default {@link hostNodeImageName} */
  readonly tag?: string;
  /** Files written into the image: path in the image → content. @default none */
  readonly files?: Readonly<Record<string, string>>;
  /** The image's `CMD`. @default ["/usr/bin/node"] */
  readonly cmd?: readonly string[];
  /**
   * Native libraries or modules whose shared libraries the image must also hold (their `ldd`
   * closure is added to node's), e.g. a `.node` addon that links a library node does not.
   * @default none
   */
  readonly alsoLinking?: readonly string[];
  /** Build even when the image exists. @default true (tests want a fresh image) */
  readonly force?: boolean;
}

/** Result of {@link buildHostNodeImage}. */
export interface HostNodeImage {
  readonly image: string;
  /** The image's id; undefined when it existed and nothing was built. */
  readonly imageId?: string;
  readonly cached: boolean;
}

/**
 * Builds a `FROM scratch` image that runs Node without any registry or package mirror: this
 * machine's own `node` binary and the shared libraries `ldd` names for it (and for `alsoLinking`),
 * plus `files`. Seconds to build. Because the Node in the image is the one that ran
 * `npm install` here, native modules in a `node_modules` copied into an image built on it load as
 * they do on the host — which a distribution's Node of another major version would refuse. It has
 * no shell and no package manager: a Dockerfile on it may `COPY`, not `RUN`.
 */
export async function buildHostNodeImage(engine: CompiledEngine, options: HostNodeImageOptions = {}): Promise<HostNodeImage> {
  const image = options.tag ?? hostNodeImageName();
  if (options.force === false && (await imageExists(engine, image))) return { image, cached: true };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-host-node-'));
  try {
    const root = path.join(dir, 'root');
    const copy = (from: string, to: string) => {
      fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
      fs.copyFileSync(fs.realpathSync(from), path.join(root, to));
      fs.chmodSync(path.join(root, to), 0o755);
    };
    const node = fs.realpathSync(process.execPath);
    copy(node, 'usr/bin/node');
    const libraries = new Set<string>();
    for (const binary of [node, ...(options.alsoLinking ?? [])]) {
      const ldd = await exec('ldd', [binary]);
      for (const m of ldd.stdout.matchAll(/(\S+) => (\/\S+)|^\s*(\/\S+) \(/gm)) {
        const lib = m[2] ?? m[3];
        if (lib !== undefined) libraries.add(lib);
      }
    }
    for (const lib of libraries) copy(lib, lib.slice(1));
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
    for (const [p, content] of Object.entries(options.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      fs.writeFileSync(path.join(root, p), content);
    }
    fs.writeFileSync(path.join(dir, 'Dockerfile'), `FROM scratch\nCOPY root/ /\nCMD ${JSON.stringify(options.cmd ?? ['/usr/bin/node'])}\n`);
    const built = await buildImage(engine, { contextDir: dir, tags: [image] });
    return { image, imageId: built.imageId, cached: false };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
