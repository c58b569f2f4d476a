#!/usr/bin/env node
// The `aws` command of builds: only what a container buildspec needs of it, against the local registry.
import { SHIM_ENV } from './shim-env.js';

function main(argv: readonly string[]): number {
  const words = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && ['--region', '--profile', '--output'].includes(argv[i - 1]!)));
  if (argv.includes('--version')) {
    process.stdout.write('aws-cli/2.0.0-slipway (ecr get-login-password only)\n');
    return 0;
  }
  if (words[0] === 'ecr' && words[1] === 'get-login-password') {
    const token = process.env[SHIM_ENV.token];
    if (token === undefined || token === '') {
      process.stderr.write('Unable to locate credentials: slipway provides the registry password inside its builds only\n');
      return 253;
    }
    process.stdout.write(`${token}\n`);
    return 0;
  }
  process.stderr.write(`aws: slipway's aws command supports only \`aws ecr get-login-password\` (got \`aws ${argv.join(' ')}\`)\n`);
  return 252;
}

process.exitCode = main(process.argv.slice(2));
