import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { readTar } from '../../artifacts/tar/read-tar.js';
import type { SecretFinding } from '../model.js';
import { secretScanner } from '../scan-secrets.js';
import { npmPackageAt, parseApkInstalled, parseDpkgStatus, type ImagePackage } from './os-packages.js';

/** A layer of an image, in order from the base up. */
export interface ImageLayer {
  /** 1-based position from the base. */
  readonly index: number;
  /** The layer's diff id (`sha256:` of its uncompressed tar), as the image config lists it. */
  readonly diffId: string;
  /** The instruction that made it, from the image's history (`COPY app.env /app/ # buildkit`), when known. */
  readonly createdBy: string;
}

/** A secret found in a layer. */
export interface LayerSecretFinding extends SecretFinding {
  /** The layer it is in, 1-based from the base. A secret deleted by a later layer is still in this one. */
  readonly layer: number;
  readonly layerDiffId: string;
}

/** What {@link scanImageArchive} found. */
export interface ImageScan {
  readonly layers: readonly ImageLayer[];
  readonly secrets: readonly LayerSecretFinding[];
  /** The packages of the final file system (a later layer's database or removal wins). */
  readonly packages: readonly ImagePackage[];
  /** Paths of `package-lock.json` files in the final file system, outside `node_modules`. */
  readonly lockfiles: readonly string[];
  /** Each of those lockfiles' text, by path, for the dependency audit. */
  readonly lockfileTexts: Readonly<Record<string, string>>;
}

/** Options of {@link scanImageArchive}. */
export interface ScanImageOptions {
  /** Files larger than this are not scanned for secrets. @default 1 MiB */
  readonly maxFileBytes?: number;
  /**
   * What earlier scans found in layers, by diff id: a layer already scanned (the base, a shared
   * `node_modules` layer, an unchanged service) is not read again. Filled by each scan.
   * @default none (every layer is read)
   */
  readonly layerCache?: LayerScanCache;
}

/**
 * What scans found per layer, keyed by the layer's diff id (the digest of its content, so a hit is
 * the same bytes) and the size limit; at most `capacity` layers, the least recently used dropped.
 */
export class LayerScanCache {
  readonly #entries = new Map<string, LayerResult>();
  readonly #capacity: number;

  constructor(capacity = 256) {
    this.#capacity = capacity;
  }

  /** The layer's result, if scanned before (and marks it recently used). */
  get(key: string): LayerResult | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Keeps a layer's result. */
  set(key: string, value: LayerResult): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
  }

  /** Layers held. */
  get size(): number {
    return this.#entries.size;
  }
}

/** What a scan found in one layer (kept by {@link LayerScanCache}). */
export interface LayerResult {
  secrets: SecretFinding[];
  /** path → package or lockfile found at it (null: a whiteout removed it). */
  files: Map<string, ImagePackage[] | Lockfile | null>;
  /** Directories made opaque by this layer (`.wh..wh..opq`). */
  opaque: string[];
}

/** A lockfile found in a layer, with its text. */
export interface Lockfile {
  readonly lockfile: string;
}

const DB_FILES: Record<string, (text: string, file: string) => ImagePackage[]> = { 'var/lib/dpkg/status': parseDpkgStatus, 'lib/apk/db/installed': parseApkInstalled };

/**
 * Scans an image saved as a `docker save` archive (what `podman save --format docker-archive`
 * writes), streaming each layer without unpacking it to disk: the secret scanner over every file of
 * every layer (so a key added in one layer and deleted in the next is still found, naming its
 * layer), the OS package database and the npm packages of the final file system, and its lockfiles.
 */
export async function scanImageArchive(file: string, options: ScanImageOptions = {}): Promise<ImageScan> {
  const scan = secretScanner();
  const maxBytes = options.maxFileBytes ?? 1 << 20;
  const byLayerFile = new Map<string, LayerResult>();
  // docker-archive names each layer after its diff id (`<hex>.tar` or `<hex>/layer.tar`); the
  // config's diff ids, read at the end, confirm each layer taken from the cache.
  const fromCache = new Map<string, string>();
  let manifest: { Config: string; Layers: string[] } | undefined;
  const jsonFiles = new Map<string, Buffer>();
  for await (const entry of readTar(fs.createReadStream(file))) {
    if (entry.type !== 'file') continue;
    const name = entry.path.replace(/^\.\//, '');
    if (name.endsWith('.tar') || name.endsWith('/layer.tar') || name.endsWith('.tar.gz')) {
      const hex = /^([0-9a-f]{64})(?:\.tar|\/layer\.tar)$/.exec(name)?.[1];
      const key = hex === undefined ? undefined : `sha256:${hex}|${maxBytes}`;
      const cached = key === undefined ? undefined : options.layerCache?.get(key);
      if (cached !== undefined) {
        byLayerFile.set(name, cached);
        fromCache.set(name, `sha256:${hex}`);
        continue;
      }
      const result = await scanLayer(entry.body(), scan, maxBytes);
      byLayerFile.set(name, result);
      if (key !== undefined) options.layerCache?.set(key, result);
    } else if (name.endsWith('.json') && entry.size <= 16 << 20) {
      jsonFiles.set(name, await collect(entry.body()));
    }
  }
  const manifestJson = jsonFiles.get('manifest.json');
  if (manifestJson !== undefined) manifest = (JSON.parse(manifestJson.toString('utf8')) as { Config: string; Layers: string[] }[])[0];
  if (manifest === undefined) throw new Error(`${file} is not an image archive: it has no manifest.json`);
  const config = JSON.parse(jsonFiles.get(manifest.Config)?.toString('utf8') ?? '{}') as { rootfs?: { diff_ids?: string[] }; history?: { created_by?: string; empty_layer?: boolean }[] };
  const history = (config.history ?? []).filter((h) => h.empty_layer !== true);
  const layers = manifest.Layers.map((l, i): ImageLayer => ({ index: i + 1, diffId: config.rootfs?.diff_ids?.[i] ?? l, createdBy: history[i]?.created_by ?? '' }));
  // A layer named like a digest it is not: scan the whole archive again, reading every layer.
  if (manifest.Layers.some((l, i) => fromCache.has(l) && fromCache.get(l) !== layers[i]!.diffId)) return scanImageArchive(file, { maxFileBytes: maxBytes });
  const secrets: LayerSecretFinding[] = [];
  const final = new Map<string, ImagePackage[] | Lockfile>();
  manifest.Layers.forEach((l, i) => {
    const r = byLayerFile.get(l);
    if (r === undefined) return;
    for (const s of r.secrets) secrets.push({ ...s, layer: i + 1, layerDiffId: layers[i]!.diffId });
    for (const dir of r.opaque) for (const k of [...final.keys()]) if (k.startsWith(`${dir}/`)) final.delete(k);
    for (const [path, found] of r.files) {
      if (found === null) {
        for (const k of [...final.keys()]) if (k === path || k.startsWith(`${path}/`)) final.delete(k);
      } else final.set(path, found);
    }
  });
  const packages = [...final.values()].filter((v): v is ImagePackage[] => Array.isArray(v)).flat();
  const locks = [...final.entries()].filter((e): e is [string, Lockfile] => !Array.isArray(e[1])).sort(([a], [b]) => (a < b ? -1 : 1));
  return { layers, secrets, packages, lockfiles: locks.map(([k]) => k), lockfileTexts: Object.fromEntries(locks.map(([k, v]) => [k, v.lockfile])) };
}

async function scanLayer(body: AsyncGenerator<Buffer>, scan: ReturnType<typeof secretScanner>, maxBytes: number): Promise<LayerResult> {
  const result: LayerResult = { secrets: [], files: new Map(), opaque: [] };
  for await (const e of readTar(await maybeGunzip(body), { skipSpecialFiles: true })) {
    const path = e.path.replace(/^\.?\//, '').replace(/\/$/, '');
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (base === '.wh..wh..opq') {
      result.opaque.push(path.slice(0, -base.length - 1));
      continue;
    }
    if (base.startsWith('.wh.')) {
      result.files.set(`${path.slice(0, path.length - base.length)}${base.slice(4)}`, null);
      continue;
    }
    if (e.type !== 'file' || e.size > maxBytes) continue;
    const content = await collect(e.body());
    result.secrets.push(...scan(path, content));
    const db = DB_FILES[path];
    if (db !== undefined) result.files.set(path, db(content.toString('utf8'), path));
    else if (base === 'package.json') {
      const pkg = npmPackageAt(path, content);
      if (pkg !== undefined) result.files.set(path, [pkg]);
    } else if (base === 'package-lock.json' && !path.includes('node_modules/')) result.files.set(path, { lockfile: content.toString('utf8') });
  }
  return result;
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of body) parts.push(p);
  return Buffer.concat(parts);
}

/** The layer's tar stream, gunzipped when it starts with gzip's magic bytes. */
async function maybeGunzip(body: AsyncGenerator<Buffer>): Promise<AsyncIterable<Buffer>> {
  const first = await body.next();
  if (first.done) return Readable.from([]);
  const rest = (async function* () {
    yield first.value;
    yield* body;
  })();
  if (first.value[0] === 0x1f && first.value[1] === 0x8b) return Readable.from(rest).pipe(zlib.createGunzip());
  return rest;
}
