import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; browser tests never download one. */
export const CHROMIUM_PATH = process.env.SLIPWAY_CHROMIUM ?? '/usr/bin/chromium';

/** The dashboard's source folder. */
export const WEB_DIR = path.resolve(import.meta.dirname, '../../web');

/** True when the browser the tests drive is installed. */
export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

/** Builds the dashboard into `web/dist` with Vite (what `npm run build:web` does). */
export async function buildDashboard(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn' });
}

/** A headless chromium with a fresh profile, closed and removed by `close()`. */
export async function launchChromium(options: { width?: number; height?: number } = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A chromium signed in to the control plane's dashboard (through its one-time login link), with
 * every page error and console error collected in `pageErrors` for the test to assert empty.
 */
export async function openDashboard(cp: { loginUrl(): string }, options: { width?: number; height?: number } = {}): Promise<{ page: Page; pageErrors: string[]; close: () => Promise<void> }> {
  const browser = await launchChromium(options);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`${msg.text()} (${msg.location().url})`);
  });
  await page.goto(cp.loginUrl());
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
  return { page, pageErrors, close: browser.close };
}
