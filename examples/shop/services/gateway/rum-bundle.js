// Bundles browser/rum.js (the page's OpenTelemetry web SDK set-up) for the shop page, once per
// gateway process, on the first request for /rum.js. Vite (rolldown) resolves the packages from
// the shop's node_modules, so this needs no network and no build step before `slipway up`; the
// buildspec runs the same function, so a bundle that cannot be built fails the pipeline's Build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'browser', 'rum.js');

/** Builds the RUM bundle: an ES module, minified, as text. */
export async function buildRumBundle() {
  const { build } = await import('vite');
  const result = await build({
    configFile: false,
    root: path.dirname(ENTRY),
    logLevel: 'warn',
    // Libraries read process.env.NODE_ENV; a browser has no process.
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: true,
      target: 'es2020',
      lib: { entry: ENTRY, formats: ['es'], fileName: 'rum' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output ?? []);
  const chunk = outputs.find((o) => o.type === 'chunk' && o.isEntry);
  if (!chunk) throw new Error('the RUM bundle has no entry chunk');
  return chunk.code;
}

let bundle;

/** The bundle of this process, built on first use; a failed build is tried again on the next call. */
export function rumBundle() {
  bundle ??= buildRumBundle().catch((err) => {
    bundle = undefined;
    throw err;
  });
  return bundle;
}
