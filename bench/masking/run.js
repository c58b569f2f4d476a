// Secret masking over a 10 MB build log (`npm run bench -- masking`): slipway's StreamMasker (every
// encoding of 20 secrets, across line breaks, 64 KiB chunks) against, in the same run, the exact-value
// masking it replaced (one regex alternation of the 20 plain values) and a bare line split.
import crypto from 'node:crypto';
import { MaskedLineSplitter, SecretPatterns, StreamMasker, maskSecrets } from '../../dist/src/pipelines/index.js';

const MB = 10;
const RUNS = 5;
const secrets = Array.from({ length: 20 }, (_, i) => `s3cr3t-${i}-${crypto.randomBytes(12).toString('base64')}`);
const patterns = new SecretPatterns(secrets);

// Log-like text: words, digests, base64 blobs, and a secret (in some encoding) every 500 lines.
const words = ['npm', 'install', 'added', '1204', 'packages', 'in', '3.2s', 'found', '0', 'vulnerabilities', `sha256:${crypto.randomBytes(32).toString('hex')}`, crypto.randomBytes(24).toString('base64'), 'Building', 'webpack', 'compiled', 'successfully'];
const encoders = [(s) => s, (s) => Buffer.from(s).toString('base64'), (s) => Buffer.from(s).toString('hex'), (s) => encodeURIComponent(s)];
const lines = [];
let size = 0;
for (let n = 0; size < MB * 1024 * 1024; n++) {
  const line = `${Array.from({ length: 8 }, (_, k) => words[(n * 8 + k) * 7919 % words.length]).join(' ')}${n % 500 === 0 ? ` ${encoders[n % 4](secrets[n % 20])}` : ''}\n`;
  lines.push(line);
  size += line.length;
}
const text = lines.join('');
const chunks = [];
for (let i = 0; i < text.length; i += 65_536) chunks.push(Buffer.from(text.slice(i, i + 65_536)));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn) {
  const ms = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

let maskedLines = 0;
const splitter = () => {
  const s = new MaskedLineSplitter({ secrets: patterns, onLine: () => maskedLines++ });
  for (const c of chunks) s.write(c);
  s.end();
};
const stream = () => {
  const m = new StreamMasker(patterns);
  for (const c of chunks) m.push(c.toString());
  m.flush();
};
const perLine = () => {
  for (const l of lines) maskSecrets(l, patterns);
};
const escaped = secrets.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const exactOnly = () => {
  const re = new RegExp(escaped.join('|'), 'g');
  for (const c of chunks) c.toString().replace(re, '***').split('\n');
};
const bareSplit = () => {
  for (const c of chunks) c.toString().split('\n');
};

const figures = {
  'MaskedLineSplitter (decode, mask, split)': time(splitter),
  'StreamMasker alone': time(stream),
  'maskSecrets per line (the engine re-masks each stored line)': time(perLine),
  'baseline: exact values, one regex, then split': time(exactOnly),
  'baseline: decode and split only': time(bareSplit),
};
console.log(`${(text.length / 1048576).toFixed(1)} MiB, ${lines.length} lines, ${secrets.length} secrets → ${patterns.forms.length} patterns; median of ${RUNS} runs`);
for (const [name, ms] of Object.entries(figures)) console.log(`  ${name.padEnd(62)} ${ms.toFixed(0).padStart(6)} ms  ${(MB / (ms / 1000)).toFixed(0).padStart(5)} MB/s`);
console.log(`  ratio splitter / exact-value baseline: ${(figures['MaskedLineSplitter (decode, mask, split)'] / figures['baseline: exact values, one regex, then split']).toFixed(1)}×`);
if (maskedLines === 0) process.exitCode = 1;
