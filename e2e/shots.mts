import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
for (const [lang, width] of [
  ['zh-CN', 1280],
  ['en', 1280],
  ['zh-CN', 375],
] as const) {
  const page = await browser.newPage({
    baseURL: 'http://127.0.0.1:3301',
    locale: lang,
    viewport: { width, height: 800 },
  });
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      console.log('console', m.type(), m.text().slice(0, 200));
  });
  await page.goto('/login');
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill('Admin2026ok');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('page-title').waitFor();
  for (const path of [
    '/',
    '/admin/users',
    '/admin/org',
    '/admin/roles',
    '/admin/audit',
    '/admin/settings',
    '/admin/api-tokens',
    '/me',
  ]) {
    await page.goto(path);
    await page.waitForTimeout(1200);
    await page.screenshot({
      path: `/tmp/shots/${lang}-${width}${path.replace(/\//g, '_')}.png`,
      fullPage: width > 400,
    });
  }
  if (width > 400) {
    await page.goto('/admin/roles');
    await page.waitForTimeout(800);
    await page.locator('.ant-table-row', { hasText: 'rep' }).getByRole('button').first().click();
    await page.waitForTimeout(800);
    await page.screenshot({ path: `/tmp/shots/${lang}-role-editor.png` });
  }
  await page.close();
}
await browser.close();
