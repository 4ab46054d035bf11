/**
 * Browser journeys: the built app (`npm run build`) on a fresh embedded database, driven in
 * Debian's Chromium through playwright-core. Journeys run in order (the first one sets the
 * company up) and each failure leaves a screenshot in e2e/artifacts/.
 *
 *   XG_E2E_SCREENSHOTS=1   also keep a screenshot of every journey's end state
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { journeys } from './journeys.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const artifacts = path.join(root, 'e2e', 'artifacts');
const port = Number(process.env.XG_E2E_PORT ?? 3210);
const baseUrl = `http://127.0.0.1:${port}`;

async function startServer(dataDir: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, [path.join(root, 'dist/server/main.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      XG_DATA_DIR: dataDir,
      XG_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become healthy within 60 s');
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xiaoguan-e2e-'));
  const server = await startServer(dataDir);
  let browser: Browser | undefined;
  let passed = 0;
  let failed = 0;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    for (const journey of journeys) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: journey.viewport ?? { width: 1280, height: 800 },
        locale: journey.locale ?? 'zh-CN',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      const t0 = Date.now();
      const file = path.join(artifacts, `${journey.name.replace(/[^\w-]+/g, '_')}.png`);
      try {
        await journey.run(page, context);
        if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
        passed++;
        console.log(`✓ ${journey.name} (${Date.now() - t0} ms)`);
        if (process.env.XG_E2E_SCREENSHOTS) await page.screenshot({ path: file, fullPage: true });
      } catch (err) {
        failed++;
        console.log(
          `✗ ${journey.name} (${Date.now() - t0} ms)\n  ${err instanceof Error ? err.message : err}`,
        );
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        console.log(`  screenshot: ${path.relative(root, file)}`);
      }
      await context.close();
    }
  } finally {
    await browser?.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
