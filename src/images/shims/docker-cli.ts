#!/usr/bin/env node
// The `docker` command of builds: a buildspec's docker login/build/tag/push run on the engine slipway
// found, against the local registry. See docs/containers.md ("docker and aws in buildspecs").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnProcess } from '../../core/index.js';
import { RegistryClient } from '../registry/client/registry-client.js';
import { splitReference, translateDockerArgs, type DockerShimContext } from './docker-args.js';
import { SHIM_ENV, readStdin } from './shim-env.js';

async function main(argv: readonly string[]): Promise<number> {
  const engine = JSON.parse(process.env[SHIM_ENV.engine] ?? 'null') as DockerShimContext['engine'] | null;
  const registry = process.env[SHIM_ENV.registry] ?? '';
  if (engine === null) {
    process.stderr.write(`docker: slipway's docker command needs ${SHIM_ENV.engine}; it runs inside slipway builds only\n`);
    return 125;
  }
  const call = translateDockerArgs(argv, { engine, registry });
  switch (call.kind) {
    case 'version':
      process.stdout.write(`Docker version 24.0.0-slipway, backed by ${path.basename(engine.command)}\n`);
      return 0;
    case 'login': {
      const password = call.passwordStdin ? (await readStdin()).trim() : call.password;
      if (password === undefined || password !== process.env[SHIM_ENV.token]) {
        process.stderr.write(`Error response from daemon: login attempt to https://${call.host}/v2/ failed with status: 401 Unauthorized\n`);
        return 1;
      }
      process.stdout.write('Login Succeeded\n');
      return 0;
    }
    case 'push': {
      const refused = await immutableTagRefusal(call.ref, registry);
      if (refused !== undefined) {
        process.stderr.write(`${refused}\n`);
        return 1;
      }
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-push-'));
      try {
        const digestFile = path.join(tmp, 'digest');
        const args = engine.kind === 'podman' ? [...call.args.slice(0, -1), '--digestfile', digestFile, call.ref] : call.args;
        const code = await run(engine.command, args);
        if (code !== 0) return code;
        const digest = engine.kind === 'podman' ? fs.readFileSync(digestFile, 'utf8').trim() : '';
        const { repository, tag } = splitReference(call.ref);
        if (digest !== '') process.stdout.write(`${tag}: digest: ${digest}\n`);
        const log = process.env[SHIM_ENV.pushes];
        if (log !== undefined && log !== '' && digest !== '') fs.appendFileSync(log, `${JSON.stringify({ ref: call.ref, repository, tag, digest, atMs: Date.now() })}\n`);
        return 0;
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    }
    case 'exec':
      return run(engine.command, call.args);
  }
}

/**
 * ECR's refusal of a push to an immutable repository of a tag it already has (checked against the
 * registry before anything is pushed), or undefined when the push may go.
 */
async function immutableTagRefusal(ref: string, registry: string): Promise<string | undefined> {
  const immutable = JSON.parse(process.env[SHIM_ENV.immutable] ?? '[]') as string[];
  const { host, repository, tag } = splitReference(ref);
  if (host !== registry || !immutable.includes(repository)) return undefined;
  const existing = await new RegistryClient(`http://${registry}`).digestOf(repository, tag);
  if (existing === undefined) return undefined;
  return `tag invalid: The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`;
}

function run(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawnProcess(command, args, { stdio: 'inherit' });
    child.on('error', (err) => {
      process.stderr.write(`docker: ${err.message}\n`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

process.exitCode = await main(process.argv.slice(2));
