import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, ManualClock, eventMigrations, openDatabase, type Db } from '../../core/index.js';
import { ArtifactStore } from './artifact-store.js';
import { artifactMigrations } from './model.js';
import { encodeTarHeader } from './tar/tar-header.js';
import { tarGzFromBuffers } from './tar/write-tar.js';
import { extractTarGz } from './tar/extract-tar.js';

let tmp: string;
let db: Db;
let clock: ManualClock;
let events: EventLog;
let store: ArtifactStore;

function write(rel: string, content: string, mode = 0o644): void {
  const file = path.join(tmp, 'src', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-artifacts-'));
  db = openDatabase(':memory:', { migrations: [...eventMigrations, ...artifactMigrations] });
  clock = new ManualClock(1_000_000);
  events = new EventLog(db, { clock });
  store = new ArtifactStore({ db, dir: path.join(tmp, 'artifacts'), events, clock });
});
afterEach(() => {
  db.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('ArtifactStore', () => {
  it('round-trips files, modes, symlinks and long names', async () => {
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(80)}.txt`;
    write('app/server.js', 'console.log(1)\n');
    write('app/run.sh', '#!/bin/sh\necho hi\n', 0o755);
    write(long, 'deep');
    fs.symlinkSync('server.js', path.join(tmp, 'src/app/link.js'));
    const a = await store.putDirectory(path.join(tmp, 'src'), ['app/server.js', 'app/run.sh', 'app/link.js', long], { service: 'web', commitSha: 'abc123', buildNumber: 7 });
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.fileCount).toBe(4);
    expect(a.tags).toEqual(['web:abc123', 'web:build-7', 'web:latest']);
    expect(fs.statSync(store.archivePath(a.digest)).size).toBe(a.sizeBytes);
    const out = path.join(tmp, 'out');
    expect(await store.extractTo('web:build-7', out)).toBe(4);
    expect(fs.readFileSync(path.join(out, 'app/server.js'), 'utf8')).toBe('console.log(1)\n');
    expect(fs.statSync(path.join(out, 'app/run.sh')).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(out, 'app/server.js')).mode & 0o777).toBe(0o644);
    expect(fs.readlinkSync(path.join(out, 'app/link.js'))).toBe('server.js');
    expect(fs.readFileSync(path.join(out, long), 'utf8')).toBe('deep');
  });

  it('is content-addressed and immutable: the same files give the same digest and the file is not rewritten', async () => {
    write('a.txt', 'same');
    const first = await store.putDirectory(path.join(tmp, 'src'), ['a.txt'], { service: 'web', buildNumber: 1 });
    const file = store.archivePath(first.digest);
    const inode = fs.statSync(file).ino;
    clock.advance(1000);
    const second = await store.putDirectory(path.join(tmp, 'src'), ['a.txt'], { service: 'web', buildNumber: 2 });
    expect(second.digest).toBe(first.digest);
    expect(fs.statSync(file).ino).toBe(inode);
    expect(second.buildNumber).toBe(1);
    expect(second.tags).toEqual(['web:build-1', 'web:build-2', 'web:latest']);
    expect(fs.readdirSync(path.join(tmp, 'artifacts/tmp'))).toEqual([]);
  });

  it('moves tags and records each move as an event', async () => {
    write('a.txt', 'one');
    const one = await store.putDirectory(path.join(tmp, 'src'), ['a.txt'], { service: 'web', buildNumber: 1 });
    write('a.txt', 'two');
    const two = await store.putDirectory(path.join(tmp, 'src'), ['a.txt'], { service: 'web', buildNumber: 2 });
    expect(store.resolve('web:latest').digest).toBe(two.digest);
    store.tag('web', 'latest', one.digest);
    expect(store.resolve('web:latest').digest).toBe(one.digest);
    const moves = events.list({ type: 'artifact.tag.moved', subject: 'artifact-tag/web:latest' }).map((e) => e.data);
    expect(moves).toEqual([
      { service: 'web', tag: 'latest', from: null, to: one.digest },
      { service: 'web', tag: 'latest', from: one.digest, to: two.digest },
      { service: 'web', tag: 'latest', from: two.digest, to: one.digest },
    ]);
    expect(() => store.resolve('web:nope')).toThrow('no artifact tagged web:nope');
    expect(() => store.resolve('sha256:xyz')).toThrow('is not a digest');
    expect(store.list({ service: 'web' }).map((a) => a.buildNumber)).toEqual([2, 1]);
  });

  it('applies the lifecycle: keeps the last N per service, expires untagged, never deletes a digest in use', async () => {
    const digests: string[] = [];
    for (let n = 1; n <= 4; n++) {
      write('a.txt', `build ${n}`);
      digests.push((await store.putDirectory(path.join(tmp, 'src'), ['a.txt'], { service: 'web', buildNumber: n })).digest);
      clock.advance(1000);
    }
    const [d1, d2, d3, d4] = digests as [string, string, string, string];
    // GIVEN keepLast 2 and build 1 in use WHEN the lifecycle runs THEN build 2 is deleted, build 1 kept
    const result = store.applyLifecycle({ policy: { keepLast: 2, expireUntaggedAfterMs: 0 }, inUse: new Set([d1]) });
    expect(result).toEqual({ untagged: 1, deleted: [d2] });
    expect(fs.existsSync(store.archivePath(d2))).toBe(false);
    expect(store.list().map((a) => a.digest)).toEqual([d4, d3, d1]);
    expect(store.get(d1).tags).toEqual(['web:build-1']);
    // GIVEN an untagged artifact younger than the expiry WHEN the lifecycle runs THEN it stays
    write('a.txt', 'untagged');
    const u = await store.putDirectory(path.join(tmp, 'src'), ['a.txt'], { service: 'web', tags: [] });
    expect(store.applyLifecycle({ policy: { keepLast: 2, expireUntaggedAfterMs: 5000 }, inUse: new Set() }).deleted).toEqual([]);
    clock.advance(5000);
    expect(store.applyLifecycle({ policy: { keepLast: 2, expireUntaggedAfterMs: 5000 }, inUse: new Set([d1]) }).deleted).toEqual([u.digest]);
    expect(events.list({ type: 'artifact.deleted' }).map((e) => e.data.digest)).toEqual([d2, u.digest]);
  });

  it('refuses symlinks that leave the artifact and duplicate paths', async () => {
    fs.mkdirSync(path.join(tmp, 'src'), { recursive: true });
    fs.symlinkSync('../../etc/passwd', path.join(tmp, 'src/evil'));
    await expect(store.putDirectory(path.join(tmp, 'src'), ['evil'], { service: 'web' })).rejects.toThrow('symlink evil -> ../../etc/passwd points outside the artifact');
    write('a.txt', 'x');
    await expect(store.putFiles([{ path: 'a.txt', sourcePath: path.join(tmp, 'src/a.txt') }, { path: 'a.txt', sourcePath: path.join(tmp, 'src/a.txt') }], { service: 'web' })).rejects.toThrow('listed twice');
  });
});

describe('extractTarGz rejects hostile archives', () => {
  const file = (p: string, body = 'x') => [encodeTarHeader({ path: p, type: 'file', size: body.length }), Buffer.from(body)];
  // GIVEN a hand-crafted archive WHEN it is extracted THEN it is refused with the reason and nothing escapes
  const cases: { name: string; parts: Buffer[]; message: string }[] = [
    { name: 'absolute path', parts: file('/tmp/slipway-evil'), message: 'archive entry "/tmp/slipway-evil": absolute paths are not allowed' },
    { name: 'dot-dot entry', parts: file('a/../../evil'), message: 'archive entry "a/../../evil": ".." is not allowed' },
    { name: 'symlink to an absolute path', parts: [encodeTarHeader({ path: 'l', type: 'symlink', linkTarget: '/etc' })], message: 'archive entry "l": symlink target "/etc" is absolute or empty' },
    { name: 'symlink climbing out', parts: [encodeTarHeader({ path: 'a/l', type: 'symlink', linkTarget: '../../x' })], message: 'archive entry "a/l": symlink target "../../x" points outside the target directory' },
    { name: 'write through an inside symlink', parts: [encodeTarHeader({ path: 's', type: 'symlink', linkTarget: '.' }), ...file('s/x')], message: 'archive entry "s/x": it would be written through a symlink' },
    { name: 'hardlink outside', parts: [encodeTarHeader({ path: 'h', type: 'hardlink', linkTarget: '../outside.txt' })], message: 'archive entry "h": ".." is not allowed' },
    { name: 'hardlink to an absolute path', parts: [encodeTarHeader({ path: 'h', type: 'hardlink', linkTarget: '/etc/passwd' })], message: 'archive entry "h": absolute paths are not allowed' },
    { name: 'hardlink to a symlink', parts: [encodeTarHeader({ path: 's', type: 'symlink', linkTarget: 'x' }), encodeTarHeader({ path: 'h', type: 'hardlink', linkTarget: 's' })], message: 'archive entry "h": hardlink target "s" is not a file extracted earlier' },
  ];
  it.each(cases)('$name', async ({ parts, message }) => {
    const archive = path.join(tmp, 'evil.tar.gz');
    fs.writeFileSync(archive, tarGzFromBuffers(parts));
    const out = path.join(tmp, 'root', 'out');
    await expect(extractTarGz(archive, out)).rejects.toThrow(message);
    expect(fs.readdirSync(path.join(tmp, 'root'))).toEqual(['out']);
    expect(fs.existsSync('/tmp/slipway-evil')).toBe(false);
  });

  it('refuses device entries and corrupt headers', async () => {
    const dev = encodeTarHeader({ path: 'dev', type: 'file' });
    dev.write('3', 156, 'ascii');
    // Recompute the checksum for the changed type flag.
    dev.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of dev) sum += b;
    dev.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'binary');
    const archive = path.join(tmp, 'dev.tar.gz');
    fs.writeFileSync(archive, tarGzFromBuffers([dev]));
    await expect(extractTarGz(archive, path.join(tmp, 'o1'))).rejects.toThrow('unsupported entry type "3" for dev');
    const broken = encodeTarHeader({ path: 'a', type: 'file', size: 1 });
    broken[0] = 0x62;
    fs.writeFileSync(archive, tarGzFromBuffers([broken, Buffer.from('x')]));
    await expect(extractTarGz(archive, path.join(tmp, 'o2'))).rejects.toThrow('header checksum mismatch');
  });
});
