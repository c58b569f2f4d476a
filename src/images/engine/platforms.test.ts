import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerfileRunsCommands, emulatedPlatforms, hostPlatform, planPlatforms, type PlatformFacts } from './platforms.js';

const facts = (o: Partial<PlatformFacts>): PlatformFacts => ({ platforms: [], host: 'linux/amd64', emulated: [], runsCommands: true, canAssembleManifest: true, ...o });

describe('planPlatforms', () => {
  it.each([
    // GIVEN no platforms, or only the host's THEN the build is as it always was
    ['nothing asked', facts({}), { kind: 'host' }],
    ['the host alone', facts({ platforms: ['linux/amd64'] }), { kind: 'host' }],
    // GIVEN a foreign platform with an emulator registered THEN --platform, one image
    ['arm64 with qemu', facts({ platforms: ['linux/arm64'], emulated: ['linux/arm64'] }), { kind: 'single', platform: 'linux/arm64' }],
    // GIVEN host + foreign with emulation THEN a manifest list of both, in the order asked
    ['both with qemu', facts({ platforms: ['linux/arm64', 'linux/amd64'], emulated: ['linux/arm64'] }), { kind: 'manifest', platforms: ['linux/arm64', 'linux/amd64'] }],
    // GIVEN a Dockerfile without RUN THEN no emulation is needed to build for another platform
    ['COPY-only, no qemu', facts({ platforms: ['linux/amd64', 'linux/arm64'], runsCommands: false }), { kind: 'manifest', platforms: ['linux/amd64', 'linux/arm64'] }],
  ] as const)('%s', (_name, f, expected) => {
    expect(planPlatforms(f)).toEqual(expected);
  });

  it('names each platform that cannot run here and how to enable it', () => {
    // GIVEN RUN steps, an amd64 host without emulators WHEN arm64 and arm/v7 are asked
    const plan = planPlatforms(facts({ platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], emulated: ['linux/riscv64'] }));
    // THEN unavailable, naming both foreign platforms and qemu-user-static
    expect(plan.kind).toBe('unavailable');
    if (plan.kind !== 'unavailable') return;
    expect(plan.missing).toEqual(['linux/arm64', 'linux/arm/v7']);
    expect(plan.why).toContain('qemu-user-static');
    expect(plan.why).toContain('/proc/sys/fs/binfmt_misc');
  });

  it('refuses several platforms where the engine cannot assemble a local manifest list (docker without a registry)', () => {
    const plan = planPlatforms(facts({ platforms: ['linux/amd64', 'linux/arm64'], emulated: ['linux/arm64'], canAssembleManifest: false }));
    expect(plan).toMatchObject({ kind: 'unavailable', missing: ['linux/amd64', 'linux/arm64'] });
    // AND one foreign platform alone is fine there: no list is needed
    expect(planPlatforms(facts({ platforms: ['linux/arm64'], emulated: ['linux/arm64'], canAssembleManifest: false }))).toEqual({ kind: 'single', platform: 'linux/arm64' });
  });
});

describe('emulatedPlatforms', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reads enabled qemu entries of binfmt_misc, and nothing where it is not mounted', () => {
    // GIVEN binfmt_misc with an enabled aarch64 entry, a disabled arm entry and the control files
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-binfmt-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'qemu-aarch64'), 'enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POCF\noffset 0\n');
    fs.writeFileSync(path.join(dir, 'qemu-arm'), 'disabled\ninterpreter /usr/libexec/qemu-binfmt/arm-binfmt-P\n');
    fs.writeFileSync(path.join(dir, 'register'), '');
    fs.writeFileSync(path.join(dir, 'status'), 'enabled\n');
    // THEN only arm64 is emulated
    expect(emulatedPlatforms(dir)).toEqual(['linux/arm64']);
    expect(emulatedPlatforms(path.join(dir, 'missing'))).toEqual([]);
  });
});

describe('hostPlatform and dockerfileRunsCommands', () => {
  it.each([
    ['x64', 'linux/amd64'],
    ['arm64', 'linux/arm64'],
    ['arm', 'linux/arm/v7'],
  ])('%s → %s', (arch, platform) => expect(hostPlatform(arch)).toBe(platform));

  it.each([
    ['FROM scratch\nCOPY . /app\n', false],
    ['FROM base\n  run npm ci\n', true],
    ['FROM base\n# RUN nothing\nCOPY x /x\n', false],
  ])('%j runs commands: %s', (text, runs) => expect(dockerfileRunsCommands(text)).toBe(runs));
});
