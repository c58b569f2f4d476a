/** The variables the build shims read (set by `shimEnv`). */
export const SHIM_ENV = {
  /** JSON of the engine: kind, command, globalArgs, runArgs. */
  engine: 'SLIPWAY_DOCKER_ENGINE',
  /** The local registry, `host:port`. */
  registry: 'SLIPWAY_REGISTRY',
  /** The password `aws ecr get-login-password` prints and `docker login` accepts. */
  token: 'SLIPWAY_REGISTRY_TOKEN',
  /** A file each push appends a JSON line to (`{ ref, repository, tag, digest, atMs }`). */
  pushes: 'SLIPWAY_IMAGE_PUSHES',
  /** JSON list of the repositories with immutable tags: a push of a tag they have is refused before it starts. */
  immutable: 'SLIPWAY_IMMUTABLE_REPOSITORIES',
} as const;

/** All of stdin, as text. */
export async function readStdin(): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of process.stdin) parts.push(p as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
