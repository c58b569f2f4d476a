import fs from 'node:fs';
import path from 'node:path';

/** Where the kernel lists the interpreters it runs foreign binaries with (qemu-user-static registers here). */
export const BINFMT_MISC_DIR = '/proc/sys/fs/binfmt_misc';

/** Node's `os.arch()` → the OCI platform of a Linux host. */
const ARCH_PLATFORMS: Readonly<Record<string, string>> = { x64: 'linux/amd64', arm64: 'linux/arm64', arm: 'linux/arm/v7' };

/** binfmt_misc entry names (as qemu-user-static and tonistiigi/binfmt register them) → the platform they run. */
const BINFMT_PLATFORMS: Readonly<Record<string, string>> = {
  'qemu-x86_64': 'linux/amd64',
  'qemu-aarch64': 'linux/arm64',
  'qemu-arm': 'linux/arm/v7',
};

/** The platform of this machine, e.g. `linux/amd64`. */
export function hostPlatform(arch: string = process.arch): string {
  return ARCH_PLATFORMS[arch] ?? `linux/${arch}`;
}

/**
 * The platforms this machine can run binaries of through an emulator registered in binfmt_misc:
 * every enabled `qemu-*` entry. Empty when binfmt_misc is not mounted or lists nothing.
 */
export function emulatedPlatforms(dir: string = BINFMT_MISC_DIR): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const platform = BINFMT_PLATFORMS[name];
    if (platform === undefined) continue;
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      continue;
    }
    if (/^enabled$/m.test(text)) out.push(platform);
  }
  return out.sort();
}

/** Whether a Dockerfile runs commands while it builds (`RUN`): only those need the target platform's binaries to execute. */
export function dockerfileRunsCommands(text: string): boolean {
  return /^\s*RUN\b/im.test(text);
}

/** What {@link planPlatforms} decided. */
export type PlatformPlan =
  /** Build as always: for the host, no `--platform`. */
  | { readonly kind: 'host' }
  /** One platform (not the host's): `--platform P`, an ordinary image. */
  | { readonly kind: 'single'; readonly platform: string }
  /** Several platforms: one image each, assembled into a manifest list under the tag. */
  | { readonly kind: 'manifest'; readonly platforms: readonly string[] }
  /** A platform cannot be built here: which, and what is missing. */
  | { readonly kind: 'unavailable'; readonly missing: readonly string[]; readonly why: string };

/** The facts {@link planPlatforms} decides on. */
export interface PlatformFacts {
  /** `image.platforms`; empty means the host's. */
  readonly platforms: readonly string[];
  /** This machine's platform. */
  readonly host: string;
  /** Platforms an emulator is registered for. */
  readonly emulated: readonly string[];
  /** Whether the Dockerfile has `RUN` steps (which execute the target platform's binaries). */
  readonly runsCommands: boolean;
  /** Whether the engine can assemble a manifest list locally (podman can; docker needs buildx and a registry). */
  readonly canAssembleManifest: boolean;
}

/**
 * How to build for the platforms asked: the host's alone as always; a foreign one only where its
 * binaries can run (an emulator registered in binfmt_misc), unless the Dockerfile runs nothing (a
 * `COPY`-only image needs no emulation); several as a manifest list, where the engine can make one.
 */
export function planPlatforms(f: PlatformFacts): PlatformPlan {
  const wanted = f.platforms.length === 0 ? [f.host] : [...f.platforms];
  if (wanted.length === 1 && wanted[0] === f.host) return { kind: 'host' };
  const missing = f.runsCommands ? wanted.filter((p) => p !== f.host && !f.emulated.includes(p)) : [];
  if (missing.length > 0) {
    return {
      kind: 'unavailable',
      missing,
      why:
        `this ${f.host} machine cannot run ${missing.join(', ')} binaries for the Dockerfile's RUN steps: no emulator is registered in ${BINFMT_MISC_DIR}` +
        ` (install qemu-user-static and binfmt-support: apt-get install -y qemu-user-static binfmt-support, or run \`podman run --rm --privileged docker.io/tonistiigi/binfmt --install all\`)`,
    };
  }
  if (wanted.length === 1) return { kind: 'single', platform: wanted[0]! };
  if (!f.canAssembleManifest) {
    return { kind: 'unavailable', missing: wanted, why: 'docker builds a multi-platform image only with buildx pushing to a registry; use podman for local manifest lists, or build one platform' };
  }
  return { kind: 'manifest', platforms: wanted };
}
