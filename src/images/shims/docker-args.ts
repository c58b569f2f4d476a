/** What the `docker` command of builds needs to know, from its environment. */
export interface DockerShimContext {
  /** The engine's command, global and `run` arguments, kind. */
  readonly engine: { readonly kind: 'podman' | 'docker'; readonly command: string; readonly globalArgs: readonly string[]; readonly runArgs: readonly string[] };
  /** The local registry, `host:port`. */
  readonly registry: string;
}

/** An ECR registry host, `<account>.dkr.ecr.<region>.amazonaws.com`, as buildspecs name it. */
const ECR_HOST = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** Whether a registry host is ECR's (which the local registry stands in for). */
export function isEcrHost(host: string): boolean {
  return ECR_HOST.test(host);
}

/** An image reference with an ECR host turned into the local registry's; any other reference as it is. */
export function localReference(ref: string, registry: string): string {
  const slash = ref.indexOf('/');
  if (slash < 0) return ref;
  return isEcrHost(ref.slice(0, slash)) ? `${registry}${ref.slice(slash)}` : ref;
}

/** Whether a reference's registry is plain HTTP on loopback. */
export function isLoopbackReference(ref: string): boolean {
  return /^(127\.0\.0\.1|localhost)(:\d+)?\//.test(ref);
}

/** The parts of a pushed reference: repository (without host) and tag. */
export function splitReference(ref: string): { readonly host: string; readonly repository: string; readonly tag: string } {
  const slash = ref.indexOf('/');
  const host = slash < 0 ? '' : ref.slice(0, slash);
  const rest = slash < 0 ? ref : ref.slice(slash + 1);
  const at = rest.lastIndexOf(':');
  return at < 0 || rest.slice(at).includes('/') ? { host, repository: rest, tag: 'latest' } : { host, repository: rest.slice(0, at), tag: rest.slice(at + 1) };
}

/** One docker invocation, as the shim will carry it out. */
export type DockerCall =
  | { readonly kind: 'login'; readonly host: string; readonly username: string; readonly password: string | undefined; readonly passwordStdin: boolean }
  | { readonly kind: 'version' }
  | { readonly kind: 'push'; readonly ref: string; readonly args: readonly string[] }
  | { readonly kind: 'exec'; readonly args: readonly string[] };

/** Options of `docker` subcommands that take a value (so the value is not taken for an image reference). */
const VALUED = new Set(['-t', '--tag', '-f', '--file', '--build-arg', '--target', '--label', '--platform', '-e', '--env', '-p', '--publish', '-v', '--volume', '--name', '--network', '-u', '--user', '-w', '--workdir', '--entrypoint', '--cache-from', '--iidfile', '--secret']);

/**
 * Turns a `docker …` command line of a buildspec into what the engine runs: ECR hosts become the
 * local registry's in every image reference, `build` and `run` get the run arguments this machine
 * needs, pushes and pulls to the loopback registry skip TLS. `login` and `version` are answered by
 * the shim itself.
 */
export function translateDockerArgs(argv: readonly string[], ctx: DockerShimContext): DockerCall {
  const [cmd, ...rest] = argv;
  const g = ctx.engine.globalArgs;
  const podman = ctx.engine.kind === 'podman';
  const refs = (args: readonly string[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-t' || a === '--tag') {
        out.push(a, localReference(args[i + 1] ?? '', ctx.registry));
        i++;
      } else if (a.startsWith('--tag=')) out.push(`--tag=${localReference(a.slice(6), ctx.registry)}`);
      else if (VALUED.has(a)) {
        out.push(a, args[i + 1] ?? '');
        i++;
      } else out.push(a.startsWith('-') ? a : localReference(a, ctx.registry));
    }
    return out;
  };
  switch (cmd) {
    case undefined:
    case '--version':
    case 'version':
      return { kind: 'version' };
    case 'login': {
      let username = '';
      let password: string | undefined;
      let passwordStdin = false;
      let host = '';
      for (let i = 0; i < rest.length; i++) {
        const a = rest[i]!;
        if (a === '-u' || a === '--username') username = rest[++i] ?? '';
        else if (a.startsWith('--username=')) username = a.slice(11);
        else if (a === '-p' || a === '--password') password = rest[++i];
        else if (a.startsWith('--password=')) password = a.slice(11);
        else if (a === '--password-stdin') passwordStdin = true;
        else host = a;
      }
      return { kind: 'login', host, username, password, passwordStdin };
    }
    case 'build':
    case 'buildx': {
      const args = cmd === 'buildx' && rest[0] === 'build' ? rest.slice(1) : rest;
      return { kind: 'exec', args: [...g, 'build', ...(podman ? [...ctx.engine.runArgs, '--network', 'host'] : []), ...refs(args)] };
    }
    case 'run':
      return { kind: 'exec', args: [...g, 'run', ...ctx.engine.runArgs, ...refs(rest)] };
    case 'push': {
      const ref = localReference(rest.filter((a) => !a.startsWith('-'))[0] ?? '', ctx.registry);
      const tls = podman && isLoopbackReference(ref) ? ['--tls-verify=false'] : [];
      return { kind: 'push', ref, args: [...g, 'push', ...tls, ...rest.filter((a) => a.startsWith('-')), ref] };
    }
    case 'pull': {
      const mapped = refs(rest);
      const ref = mapped.filter((a) => !a.startsWith('-'))[0] ?? '';
      return { kind: 'exec', args: [...g, 'pull', ...(podman && isLoopbackReference(ref) ? ['--tls-verify=false'] : []), ...mapped] };
    }
    default:
      return { kind: 'exec', args: [...g, cmd, ...refs(rest)] };
  }
}
