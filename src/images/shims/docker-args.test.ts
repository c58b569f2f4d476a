import { describe, expect, it } from 'vitest';
import { isEcrHost, localReference, splitReference, translateDockerArgs } from './docker-args.js';

const ctx = { engine: { kind: 'podman' as const, command: '/usr/bin/podman', globalArgs: ['--runtime', 'runc'], runArgs: ['--ulimit', 'nofile=1024:1024'] }, registry: '127.0.0.1:5000' };

describe('the docker command of builds', () => {
  it('reads ECR hosts as the local registry, and leaves other references alone', () => {
    expect(isEcrHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toBe(true);
    expect(isEcrHost('ghcr.io')).toBe(false);
    expect(localReference('123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:v1', '127.0.0.1:5000')).toBe('127.0.0.1:5000/shop/web:v1');
    expect(localReference('docker.io/library/node:20', '127.0.0.1:5000')).toBe('docker.io/library/node:20');
    expect(localReference('node:20', '127.0.0.1:5000')).toBe('node:20');
    expect(splitReference('127.0.0.1:5000/shop/web:abc')).toEqual({ host: '127.0.0.1:5000', repository: 'shop/web', tag: 'abc' });
    expect(splitReference('127.0.0.1:5000/shop/web')).toEqual({ host: '127.0.0.1:5000', repository: 'shop/web', tag: 'latest' });
  });

  it('builds with the run flags this machine needs, tags and pushes to the local registry without TLS', () => {
    const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web';
    expect(translateDockerArgs(['build', '-t', `${ecr}:latest`, '--build-arg', 'A=1', '.'], ctx)).toEqual({
      kind: 'exec',
      args: ['--runtime', 'runc', 'build', '--ulimit', 'nofile=1024:1024', '--network', 'host', '-t', '127.0.0.1:5000/shop/web:latest', '--build-arg', 'A=1', '.'],
    });
    expect(translateDockerArgs(['tag', `${ecr}:latest`, `${ecr}:v1`], ctx)).toEqual({ kind: 'exec', args: ['--runtime', 'runc', 'tag', '127.0.0.1:5000/shop/web:latest', '127.0.0.1:5000/shop/web:v1'] });
    expect(translateDockerArgs(['push', `${ecr}:v1`], ctx)).toEqual({ kind: 'push', ref: '127.0.0.1:5000/shop/web:v1', args: ['--runtime', 'runc', 'push', '--tls-verify=false', '127.0.0.1:5000/shop/web:v1'] });
    expect(translateDockerArgs(['buildx', 'build', '-t', 'x:1', '.'], ctx)).toMatchObject({ kind: 'exec', args: expect.arrayContaining(['build', '-t', 'x:1', '.']) });
  });

  it('answers login and version itself, and passes anything else to the engine', () => {
    expect(translateDockerArgs(['login', '--username', 'AWS', '--password-stdin', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'], ctx)).toEqual({
      kind: 'login',
      host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      username: 'AWS',
      password: undefined,
      passwordStdin: true,
    });
    expect(translateDockerArgs(['--version'], ctx)).toEqual({ kind: 'version' });
    expect(translateDockerArgs(['images', '-q'], ctx)).toEqual({ kind: 'exec', args: ['--runtime', 'runc', 'images', '-q'] });
  });
});
