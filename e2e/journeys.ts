import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import type { BrowserContext, Page } from 'playwright-core';

export interface Journey {
  name: string;
  viewport?: { width: number; height: number };
  locale?: string;
  run(page: Page, context: BrowserContext): Promise<void>;
}

const DEMO_PASSWORD = 'Xiaoguan2026';
const ADMIN = { username: 'admin', password: 'Admin2026ok' };
const CJK = /[\u4e00-\u9fff]/;

async function login(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('page-title').waitFor();
}

/** The menu entries the user can see, by their test ids. */
async function menuKeys(page: Page) {
  const ids = await page
    .locator('[data-testid^="menu-"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  return ids.filter((id): id is string => !!id && id !== 'menu-toggle' && id !== 'menu-profile').sort();
}

/** Texts of the interface itself (menu, headings, labels, buttons), not of the data shown in it. */
async function chromeTexts(page: Page) {
  const selectors = [
    '.ant-menu-item-group-title',
    '[data-testid^="menu-"]',
    '.ant-card-head-title',
    '.ant-descriptions-item-label',
  ];
  return page
    .locator(selectors.join(', '))
    .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()).filter(Boolean));
}

async function pickInSelect(page: Page, label: string, option: string) {
  await page.locator('.ant-form-item').filter({ hasText: label }).locator('.ant-select').first().click();
  await page.locator(`.ant-select-dropdown:visible [title="${option}"]`).first().click();
}

export const journeys: Journey[] = [
  {
    name: 'first-run setup with the demo company',
    async run(page) {
      await page.goto('/');
      await page.waitForURL('**/setup');
      await page.getByTestId('setup-company').fill('星辰汽车销售有限公司');
      await page.getByTestId('setup-admin-name').fill('王管理');
      await page.getByTestId('setup-username').fill(ADMIN.username);
      await page.getByTestId('setup-password').fill(ADMIN.password);
      await page.getByTestId('setup-confirm').fill(ADMIN.password);
      await page.getByTestId('setup-submit').click();
      await page.getByTestId('page-title').waitFor({ timeout: 60_000 });
      assert.match((await page.getByTestId('page-title').textContent()) ?? '', /王管理/);
      assert.deepEqual(await menuKeys(page), [
        'menu-api-tokens',
        'menu-approval-policies',
        'menu-approvals',
        'menu-audit',
        'menu-customer-settings',
        'menu-customers',
        'menu-directory',
        'menu-due-follow-ups',
        'menu-imports',
        'menu-jobs',
        'menu-lead-scoring',
        'menu-leads',
        'menu-notification-channels',
        'menu-notifications',
        'menu-org-units',
        'menu-pool',
        'menu-reception',
        'menu-roles',
        'menu-settings',
        'menu-users',
        'menu-workbench',
      ]);
    },
  },
  {
    name: 'a rep signs in, sees the Chinese UI with only permitted menus, and switches to English',
    async run(page) {
      await page.goto('/login');
      await page.getByTestId('demo-accounts').getByText('rep01', { exact: true }).click();
      await page.getByTestId('login-submit').click();
      await page.getByTestId('page-title').waitFor();
      assert.deepEqual(await menuKeys(page), [
        'menu-approvals',
        'menu-customers',
        'menu-directory',
        'menu-due-follow-ups',
        'menu-leads',
        'menu-notifications',
        'menu-pool',
        'menu-reception',
        'menu-workbench',
      ]);
      const chinese = await chromeTexts(page);
      assert.ok(chinese.includes('工作台') && chinese.includes('团队成员'), chinese.join(' | '));

      await page.getByTestId('lang-switch').click();
      await page.getByText('Workbench', { exact: true }).waitFor();
      const english = await chromeTexts(page);
      assert.equal(english.length, chinese.length);
      english.forEach((text, i) => {
        assert.notEqual(text, chinese[i], `"${text}" did not change`);
        assert.ok(!CJK.test(text), `"${text}" is still Chinese`);
      });
      assert.match((await page.getByTestId('page-title').textContent()) ?? '', /^Hello, /);
      // The switch names the other language in that language.
      assert.equal(((await page.getByTestId('lang-switch').textContent()) ?? '').trim(), '中文');

      await page.getByTestId('menu-directory').click();
      await page.locator('.ant-table-row').first().waitFor();
      const usernames = await page.locator('.ant-table-row').allInnerTexts();
      assert.equal(usernames.length, 4, 'a rep sees the four members of their team');
      assert.ok(usernames.some((row) => row.includes('rep02')));
      assert.ok(!usernames.some((row) => row.includes('rep07')), 'another team stays hidden');
      await page.reload();
      await page.getByText('Directory', { exact: true }).first().waitFor();
    },
  },
  {
    name: 'the administrator adds an org unit and a user, who then signs in',
    async run(page) {
      await login(page, ADMIN.username, ADMIN.password);
      await page.getByTestId('menu-org-units').click();
      await page.locator('.ant-tree-title', { hasText: /^华东 \(/ }).click();
      await page.getByTestId('org-add-child').click();
      await page.getByTestId('org-name').fill('苏州团队');
      await page.getByTestId('org-save').click();
      await page.locator('.ant-tree-title', { hasText: '苏州团队' }).waitFor();

      await page.getByTestId('menu-users').click();
      await page.getByTestId('user-create').click();
      await page.getByTestId('user-username').fill('suzhou01');
      await page.getByTestId('user-name').fill('苏小新');
      await pickInSelect(page, '所属部门', '苏州团队');
      await pickInSelect(page, '角色', '销售代表');
      await page.getByTestId('user-password').fill('Suzhou2026');
      await page.getByTestId('user-save').click();
      await page.locator('.ant-table-row', { hasText: 'suzhou01' }).waitFor();

      await page.getByTestId('user-menu').click();
      await page.getByTestId('logout').click();
      await page.waitForURL('**/login');
      await login(page, 'suzhou01', 'Suzhou2026');
      assert.match((await page.getByTestId('page-title').textContent()) ?? '', /苏小新/);
    },
  },
  {
    name: 'a rep uses the app on a 375 px phone',
    viewport: { width: 375, height: 740 },
    async run(page) {
      await login(page, 'rep01', DEMO_PASSWORD);
      await page.getByTestId('menu-toggle').click();
      await page.getByTestId('menu-directory').click();
      await page.locator('.ant-table-row').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    },
  },
  {
    name: 'the administrator imports users from a GBK CSV: dry run first, then the import',
    async run(page) {
      await login(page, ADMIN.username, ADMIN.password);
      await page.getByTestId('menu-users').click();
      await page.getByTestId('import-users').click();
      const csv = [
        '用户名,姓名,手机号,所属部门,角色',
        'hz.zhou,周杰,13900000011,华东一组,销售代表',
        'hz.wu,吴敏,13900000012,华东二组,销售代表',
        'hz.bad,坏数据,12345,不存在的部门,销售代表',
      ].join('\r\n');
      await page
        .getByTestId('import-wizard')
        .locator('input[type=file]')
        .setInputFiles({ name: '新员工.csv', mimeType: 'text/csv', buffer: iconv.encode(csv, 'gbk') });
      await page.getByTestId('import-dry-run').click();
      const report = page.getByTestId('import-dry-run-counts');
      await report.waitFor();
      await page.getByTestId('import-errors').locator('.ant-table-row').first().waitFor();
      assert.ok(
        (await page.getByTestId('import-errors').locator('.ant-table-row').count()) >= 1,
        'the bad row is reported before anything is written',
      );
      // Valid rows in batches: the two good rows go in, the bad one is reported.
      await page.getByTestId('import-mode').getByText('导入正确的行').click();
      await page.getByTestId('import-run').click();
      await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
      await page.keyboard.press('Escape');
      await page.locator('.ant-table-row', { hasText: 'hz.zhou' }).waitFor();
      assert.ok(await page.locator('.ant-table-row', { hasText: '周杰' }).count());
      assert.equal(await page.locator('.ant-table-row', { hasText: 'hz.bad' }).count(), 0);
    },
  },
  {
    name: 'the administrator pauses a scheduled job on the background jobs page',
    async run(page) {
      await login(page, ADMIN.username, ADMIN.password);
      await page.getByTestId('menu-jobs').click();
      const row = page.locator('.ant-table-row', { hasText: '清理过期会话' });
      await row.waitFor();
      await row.locator('.ant-switch').click();
      await page.getByText('已保存').first().waitFor();
      await page.reload();
      await row.waitFor();
      assert.equal(await row.locator('.ant-switch-checked').count(), 0, 'the schedule stays paused');
    },
  },
];
