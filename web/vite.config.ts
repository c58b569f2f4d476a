import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.SLIPWAY_URL ?? 'http://127.0.0.1:4400';

/**
 * The dashboard: built into `web/dist`, which the API server serves at `/`.
 * `npm run dev:web` proxies `/api` to a running control plane (SLIPWAY_URL, default :4400).
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1600,
    reportCompressedSize: true,
  },
  server: {
    host: '127.0.0.1',
    // The API answers only to its own Host and, for the session cookie, its own Origin: the proxy speaks as the API's origin.
    proxy: { '/api': { target: api, changeOrigin: true, headers: { origin: new URL(api).origin } } },
  },
});
