import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { type BrowserContext, type Page, request } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { amountInChineseCapitals } from '../src/server/platform/money/amount-in-words.js';
import { pdfText } from '../src/server/platform/pdf/testing.js';
import { compactYuan } from '../src/web/modules/analytics/format.js';

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

async function signOut(page: Page) {
  await page.goto('/');
  // A click on the menu item while the menu is still opening can be lost (seen under load): retry.
  for (let attempt = 1; ; attempt++) {
    if (!page.url().includes('/login')) {
      await page.getByTestId('user-menu').click();
      await page.getByTestId('logout').click();
    }
    try {
      await page.waitForURL('**/login', { timeout: 5000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** Approves the pending request whose title contains `text` from the approvals inbox. */
async function approveFromInbox(page: Page, text: string) {
  await page.goto('/approvals');
  await page.getByTestId('approvals-table').locator('.ant-table-row', { hasText: text }).first().click();
  await page.getByTestId('approval-approve').click();
  const ok = page.locator('.ant-modal:visible').getByRole('button', { name: /确\s*定|OK/ });
  // A click while the dialog is still opening can be lost: retry until the decision took.
  for (let attempt = 1; ; attempt++) {
    await ok.click();
    try {
      await page.getByTestId('approval-approve').waitFor({ state: 'detached', timeout: 4000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** An antd input by test id, whether the id landed on the <input> or on its wrapper. */
const inputOf = (page: Page, testId: string) =>
  page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

/** The JSON API as one user, for the setup a journey is not about (its own cookie jar). */
async function apiAs(page: Page, username: string, password: string) {
  const api = await request.newContext({ baseURL: new URL(page.url()).origin });
  const login = await api.post('/api/v1/auth/login', { data: { username, password } });
  assert.equal(login.status(), 200, await login.text());
  const { csrfToken } = await login.json();
  const call = async (method: string, path: string, data?: unknown) => {
    const res = await api.fetch(`/api/v1${path}`, {
      method,
      headers: { 'x-csrf-token': csrfToken },
      ...(data === undefined ? {} : { data }),
    });
    const body = await res.json().catch(() => null);
    assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, data: unknown) => call('POST', path, data),
    put: (path: string, data: unknown) => call('PUT', path, data),
    dispose: () => api.dispose(),
  };
}

/** Picks `option` in an antd search select after typing `text` into it. */
async function searchSelect(page: Page, testId: string, text: string, option: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  const dropdown = page.locator('.ant-select-dropdown:visible');
  // The options of a remote search can be replaced while the click lands (the choice is then
  // lost and the dropdown stays open over the dialog): click again until the dropdown closes.
  for (let attempt = 1; ; attempt++) {
    await dropdown.locator('.ant-select-item-option', { hasText: option }).first().click();
    try {
      await dropdown.first().waitFor({ state: 'hidden', timeout: 2000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** A business day in the demo company's time zone (Shanghai), `offsetDays` from today. */
const isoDay = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    Date.now() + offsetDays * 86_400_000,
  );

/** Picks `option` in a select (the form item labelled `label`, or a select by its test id). */
async function pickInSelect(
  page: Page,
  label: string | { testId: string },
  option: string,
  opts: { search?: boolean } = {},
) {
  const select =
    typeof label === 'string'
      ? page.locator('.ant-form-item').filter({ hasText: label }).locator('.ant-select').first()
      : page.getByTestId(label.testId);
  // A click while the dropdown is still opening can be lost, and so can the click that should
  // open it: check the choice took, else retry. A tree select's option can keep moving (its
  // motion) past Playwright's wait for a stable element: after a short wait, click it where it
  // is. In a long list the option may lie outside the rendered (virtual) rows: a searchable
  // select is narrowed to it first.
  const dropdown = page.locator('.ant-select-dropdown:visible');
  const choice = dropdown.locator(`[title="${option}"]`).first();
  for (let attempt = 1; ; attempt++) {
    if (!(await dropdown.count())) await select.click();
    if (opts.search) await select.locator('input').fill(option);
    const clicked = await choice.click({ timeout: 3000 }).then(
      () => true,
      () =>
        choice.click({ force: true, timeout: 3000 }).then(
          () => true,
          () => false,
        ),
    );
    if (clicked) {
      await page.waitForTimeout(200);
      if (((await select.textContent()) ?? '').includes(option)) return;
    }
    if (attempt === 3) throw new Error(`"${option}" could not be picked`);
  }
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
        'menu-bids',
        'menu-calendar',
        'menu-complaints',
        'menu-contacts',
        'menu-contract-ledger',
        'menu-contracts',
        'menu-custom-fields',
        'menu-customer-settings',
        'menu-customers',
        'menu-cycle-counts',
        'menu-dashboard-director',
        'menu-dashboard-manager',
        'menu-dashboard-rep',
        'menu-directory',
        'menu-due-follow-ups',
        'menu-forecast',
        'menu-forecast-vs-target',
        'menu-imports',
        'menu-invoices',
        'menu-jobs',
        'menu-lead-scoring',
        'menu-leads',
        'menu-loyalty-settings',
        'menu-missing-reviews',
        'menu-my-day',
        'menu-notification-channels',
        'menu-notifications',
        'menu-opportunities',
        'menu-org-units',
        'menu-payments',
        'menu-pipelines',
        'menu-pool',
        'menu-price-lists',
        'menu-price-tester',
        'menu-product-categories',
        'menu-production-requests',
        'menu-products',
        'menu-quotes',
        'menu-receivables',
        'menu-reception',
        'menu-returns',
        'menu-roles',
        'menu-sales-orders',
        'menu-settings',
        'menu-stock-movements',
        'menu-stock-overview',
        'menu-stock-receipts',
        'menu-stock-reorder',
        'menu-stock-reservations',
        'menu-target-agreements',
        'menu-target-plans',
        'menu-unit-projects',
        'menu-units',
        'menu-users',
        'menu-visit-plans',
        'menu-warehouses',
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
        'menu-bids',
        'menu-calendar',
        'menu-complaints',
        'menu-contacts',
        'menu-contract-ledger',
        'menu-contracts',
        'menu-customers',
        'menu-cycle-counts',
        'menu-dashboard-rep',
        'menu-directory',
        'menu-due-follow-ups',
        'menu-forecast',
        'menu-forecast-vs-target',
        'menu-invoices',
        'menu-leads',
        'menu-missing-reviews',
        'menu-my-day',
        'menu-notifications',
        'menu-opportunities',
        'menu-payments',
        'menu-pool',
        'menu-price-lists',
        'menu-price-tester',
        'menu-product-categories',
        'menu-products',
        'menu-quotes',
        'menu-receivables',
        'menu-reception',
        'menu-returns',
        'menu-sales-orders',
        'menu-stock-movements',
        'menu-stock-overview',
        'menu-stock-receipts',
        'menu-stock-reorder',
        'menu-stock-reservations',
        'menu-target-agreements',
        'menu-target-plans',
        'menu-unit-projects',
        'menu-units',
        'menu-visit-plans',
        'menu-warehouses',
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
      assert.equal(
        usernames.length,
        5,
        'a rep sees their team: the lead, three reps and a dealer salesperson',
      );
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
      await pickInSelect(page, '所属部门', '苏州团队', { search: true });
      await pickInSelect(page, '角色', '销售代表');
      await page.getByTestId('user-password').fill('Suzhou2026');
      await page.getByTestId('user-save').click();
      await page.locator('.ant-table-row', { hasText: 'suzhou01' }).waitFor();

      await signOut(page);
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
  {
    name: 'a walk-in becomes a graded customer, falls due, is reminded, returns to the pool and is claimed in its team',
    async run(page) {
      const field = (label: string) =>
        page.locator('.ant-form-item').filter({ has: page.locator(`label:text-is("${label}")`) });
      const runJob = async (label: string) => {
        await page.goto('/admin/jobs');
        const row = page.locator('.ant-table-row', { hasText: label });
        await row.getByRole('button').click();
        await page.getByText('已加入队列').first().waitFor();
        // The app's worker polls every second.
        await page.waitForTimeout(2500);
      };

      // Reception logs a walk-in from Shanghai: scored, and assigned by territory to 华东一组.
      await login(page, 'assistant01', DEMO_PASSWORD);
      await page.goto('/leads/reception');
      await field('客户姓名').locator('input').fill('周建国');
      await field('手机号').locator('input').fill('13812345678');
      await field('省份').locator('.ant-select').click();
      await page.keyboard.type('上海');
      await page.keyboard.press('Enter');
      await field('意向产品 / 需求').locator('textarea').fill('想看 SUV，预算 20 万');
      await page.getByRole('button', { name: /保\s*存/ }).click();
      const assigned = page.getByText(/已分配给/);
      await assigned.waitFor();
      assert.match((await assigned.textContent()) ?? '', /华东一组.*评分 \d+/);
      await signOut(page);

      // The team lead hands it to rep01 (the team has more reps; round robin picked one of them).
      await login(page, 'manager02', DEMO_PASSWORD);
      await page.goto('/leads');
      await page.getByText('周建国').first().click();
      await page.getByTestId('lead-assign').click();
      await searchSelect(page, 'lead-assign-owner', 'rep01', '华东一组');
      await page
        .locator('.ant-modal:visible')
        .getByRole('button', { name: /确\s*定|OK/ })
        .click();
      await page.getByText('已分配').first().waitFor();
      await signOut(page);

      // The rep logs the visit (eight days ago) and converts the lead into a customer with a contact.
      await login(page, 'rep01', DEMO_PASSWORD);
      await page.goto('/leads');
      await page.getByText('周建国').first().click();
      await page.getByTestId('activity-log').click();
      await page.getByTestId('activity-subject').fill('到店看车，试驾 SUV');
      const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
      const stamp = `${eightDaysAgo.getFullYear()}-${String(eightDaysAgo.getMonth() + 1).padStart(2, '0')}-${String(eightDaysAgo.getDate()).padStart(2, '0')} 10:00`;
      const when = page
        .locator('input[data-testid="activity-occurred-at"], [data-testid="activity-occurred-at"] input')
        .first();
      await when.click();
      await when.fill(stamp);
      // Enter commits the typed time and submits the quick form.
      await when.press('Enter');
      await page.getByTestId('activity-item').first().waitFor();
      await page.getByTestId('lead-convert').click();
      await page.getByRole('button', { name: /确\s*定/ }).click();
      await page.getByText('已转化').first().waitFor();

      // …and grades the customer A: with the last follow-up eight days ago, it is overdue.
      await page.goto('/customers');
      await page.getByText('周建国').first().click();
      await page.getByTestId('customer-edit').click();
      await pickInSelect(page, { testId: 'customer-grade' }, 'A');
      await page.getByTestId('customer-save').click();
      await page.getByTestId('customer-save').waitFor({ state: 'hidden' });
      await page.goto('/customers/due');
      await page.getByTestId('due-table').locator('.ant-table-row', { hasText: '周建国' }).waitFor();
      await signOut(page);

      // The morning reminder reaches the rep; the pool period for A is set to a week and the
      // reclaim job returns the customer to 华东一组's pool.
      await login(page, ADMIN.username, ADMIN.password);
      await runJob('提醒待跟进客户');
      await page.goto('/admin/customer-settings');
      const poolA = page.locator('.ant-input-number', { hasText: 'A' }).nth(1).locator('input');
      await poolA.fill('7');
      await page.getByTestId('customer-settings-save').click();
      await page.getByText('已保存').first().waitFor();
      await runJob('长期未跟进退回公海');
      await signOut(page);

      await login(page, 'rep01', DEMO_PASSWORD);
      await page.goto('/notifications');
      await page.getByTestId('inbox-item').filter({ hasText: '待跟进' }).first().waitFor();
      await page.getByTestId('inbox-item').filter({ hasText: '退回公海' }).first().waitFor();
      await signOut(page);

      // A rep of another region never sees it; a teammate claims it.
      await login(page, 'rep07', DEMO_PASSWORD);
      await page.goto('/customers/pool');
      await page.getByTestId('pool-table').waitFor();
      await page.waitForTimeout(1000);
      assert.equal(await page.getByTestId('pool-table').getByText('周建国').count(), 0);
      await signOut(page);

      await login(page, 'rep02', DEMO_PASSWORD);
      await page.goto('/customers/pool');
      const row = page.getByTestId('pool-table').locator('.ant-table-row', { hasText: '周建国' });
      await row.getByTestId('pool-claim').click();
      await row.waitFor({ state: 'detached' });
      await page.goto('/customers');
      await page.getByText('周建国').first().waitFor();
    },
  },
  {
    name: 'on a phone, a rep works the day: checks in and out at a planned stop and logs an unplanned visit',
    viewport: { width: 390, height: 844 },
    async run(page) {
      await login(page, 'rep01', DEMO_PASSWORD);
      await page.goto('/my-day');
      // The demo gives rep01 a submitted plan for today; check in at its first stop, then out.
      const stops = page.getByTestId('my-day-stop');
      await stops.first().waitFor();
      const states = await stops.evaluateAll((els) =>
        els.map((e) => !!e.querySelector('[data-testid="stop-check-in"]')),
      );
      const stop = stops.nth(states.indexOf(true));
      const customer = (await stop.locator('a').first().textContent()) ?? '';
      await stop.getByTestId('stop-check-in').click();
      await stop.getByTestId('stop-check-out').click();
      await page.getByTestId('checkout-outcome').fill('客户同意下周试驾');
      await page.getByTestId('checkout-save').click();
      await page.getByTestId('checkout-save').waitFor({ state: 'hidden' });
      await page
        .getByTestId('my-day-stop')
        .filter({ hasText: customer })
        .getByText(/已拜访|Visited/)
        .waitFor();

      // An unplanned visit: log a visit → pick one of my customers → save (subject prefilled).
      await page.getByTestId('my-day-log-visit').click();
      const picked = page.getByTestId('my-day-quick-customer').first();
      const name = (await picked.textContent()) ?? '';
      await picked.click();
      await page.getByTestId('activity-save').click();
      await page.getByTestId('activity-save').waitFor({ state: 'hidden' });
      // Both visits are on the customers' timelines.
      for (const who of [customer, name]) {
        await page.goto('/customers');
        await page.getByTestId('customer-search').locator('input').fill(who);
        await page.getByTestId('customer-search').locator('input').press('Enter');
        await page.getByTestId('customer-link').filter({ hasText: who }).first().click();
        await page.getByRole('tab', { name: /跟进记录|Timeline/ }).click();
        await page.getByTestId('activity-item').first().waitFor();
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    },
  },
  {
    name: 'release control in the unit grid, then the warehouse receives a purchase that raises stock',
    async run(page) {
      const cell = (n: string, status: string) =>
        page.locator(`[data-unit-number="${n}"][data-unit-status="${status}"]`);

      // A sales manager holds back two good units of 江湾府 with a reason (销控), then releases them.
      await login(page, 'manager01', DEMO_PASSWORD);
      await page.goto('/catalog/unit-projects');
      await page.getByTestId('unit-project-JWF').click();
      await page.getByTestId('unit-grid').waitFor();
      const picked = await page
        .locator('[data-testid="unit-grid"] [data-unit-status="available"]')
        .evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-unit-number') ?? ''));
      assert.equal(picked.length, 2);
      await page.getByTestId('unit-grid-select-mode').click();
      for (const n of picked) await page.getByTestId(`unit-cell-${n}`).click();
      await page.getByTestId('unit-grid-hold').click();
      await page.getByTestId('unit-reason').fill('好房源保留，开盘后期提价');
      await page.getByTestId('unit-reason-ok').click();
      for (const n of picked) await cell(n, 'held').waitFor();
      for (const n of picked) await page.getByTestId(`unit-cell-${n}`).click();
      await page.getByTestId('unit-grid-release').click();
      await page.getByTestId('unit-reason').fill('提价完成，重新开放');
      await page.getByTestId('unit-reason-ok').click();
      for (const n of picked) await cell(n, 'available').waitFor();
      await signOut(page);

      // The warehouse receives 30 brake discs into 上海总仓 and posts the receipt: stock rises by 30.
      await login(page, 'warehouse01', DEMO_PASSWORD);
      const onHand = async () => {
        await page.goto('/stock');
        await page.getByTestId('stock-search').locator('input').fill('BK-0003');
        await page.getByTestId('stock-search').locator('input').press('Enter');
        const row = page.locator('.ant-table-row', { hasText: '上海总仓' }).filter({ hasText: 'BK-0003' });
        await row.waitFor();
        return Number(((await row.locator('td').nth(3).textContent()) ?? '').replace(/,/g, ''));
      };
      const before = await onHand();
      await page.goto('/stock/receipts');
      await page.getByTestId('receipt-new').click();
      await page.getByTestId('receipt-supplier').fill('博世汽车配件（华东）');
      await pickInSelect(page, { testId: 'receipt-warehouse' }, 'WH-SH 上海总仓');
      await searchSelect(page, 'receipt-line-product-0', 'BK-0003', 'BK-0003');
      await page.getByTestId('receipt-line-quantity-0').fill('30');
      await page.getByTestId('receipt-save-post').click();
      await page.getByTestId('receipt-reverse').waitFor();
      assert.equal(await page.getByTestId('receipt-total-quantity').textContent(), '30');
      assert.equal(await onHand(), before + 30);
    },
  },
  {
    name: 'a rep takes an opportunity to a 20% quote, approved by the manager and the director, then to an active contract',
    async run(page) {
      const download = async (testId: string) => {
        const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
        return readFile((await file.path()) ?? '');
      };

      // rep01 opens an opportunity for one of their customers who has a contact.
      await login(page, 'rep01', DEMO_PASSWORD);
      const mine = await (await page.request.get('/api/v1/customers?view=mine&limit=50')).json();
      let customer: { id: string; name: string } | undefined;
      for (const c of mine.items as { id: string; name: string }[]) {
        const contacts = await (await page.request.get(`/api/v1/customers/${c.id}/contacts`)).json();
        if ((contacts.items ?? contacts).length > 0) {
          customer = c;
          break;
        }
      }
      assert.ok(customer, 'rep01 has a customer with a contact');
      await page.goto(`/customers/${customer.id}`);
      await page.getByRole('tab', { name: '商机' }).click();
      await page.getByTestId('customer-opportunities').getByRole('button').first().click();
      const name = `刹车盘年度集采 ${Date.now() % 100_000}`;
      await page.getByTestId('opportunity-name').fill(name);
      const contactsSelect = page
        .locator('.ant-modal:visible .ant-form-item', { hasText: '联系人' })
        .locator('.ant-select');
      await contactsSelect.click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
      await page.keyboard.press('Escape');
      await inputOf(page, 'opportunity-amount').fill('800000');
      await page.getByTestId('opportunity-save').click();
      await page.getByTestId('customer-opportunities').getByRole('link', { name }).click();
      await page.getByTestId('opportunity-steps').waitFor();

      // Forward through the stages: leaving 需求调研 asks for its required checklist item.
      const step = (name: string) => page.getByTestId('opportunity-steps').getByText(name, { exact: true });
      await step('需求调研').click();
      await page.locator('.ant-steps-item-process', { hasText: '需求调研' }).waitFor();
      await step('方案设计').click();
      await page.getByTestId('move-checklist').getByText('客户需求已书面确认').click();
      await page.getByTestId('move-retry').click();
      await page.locator('.ant-steps-item-process', { hasText: '方案设计' }).waitFor();
      await step('报价').click();
      await page.getByTestId('move-checklist').getByText('方案已向客户演示').click();
      await page.getByTestId('move-retry').click();
      await page.locator('.ant-steps-item-process', { hasText: '报价' }).waitFor();

      // The quote: 400 brake discs at 20% off, which needs the manager and then the director.
      await page.getByTestId('opportunity-new-quote').click();
      await searchSelect(page, 'quote-line-product-0', 'BK-0003', 'BK-0003');
      await inputOf(page, 'quote-line-qty-0').fill('400');
      await inputOf(page, 'quote-line-discount-0').fill('20');
      await page.getByTestId('quote-approval-hint').filter({ hasText: '总监' }).waitFor();
      await page.getByTestId('quote-save').click();
      await page.getByTestId('quote-submit').click();
      await page.getByTestId('quote-state').filter({ hasText: '审批中' }).waitFor();
      const quoteNumber = (await page.getByTestId('page-title').textContent())?.match(/Q-\d{4}-\d{6}/)?.[0];
      assert.ok(quoteNumber, 'the quote has a number');
      const quoteUrl = page.url();
      await signOut(page);

      for (const approver of ['manager02', 'director']) {
        await login(page, approver, DEMO_PASSWORD);
        await approveFromInbox(page, quoteNumber);
        await signOut(page);
      }

      // Approved: the Chinese PDF states the total in capital numerals; the customer accepts.
      await login(page, 'rep01', DEMO_PASSWORD);
      await page.goto(quoteUrl);
      await page.getByTestId('quote-state').filter({ hasText: '已审批' }).waitFor();
      const total = Math.round(
        Number(((await page.getByTestId('quote-total').first().textContent()) ?? '').replace(/[^\d.]/g, '')) *
          100,
      );
      assert.ok(total >= 50_000_000, `a large quote (${total})`);
      const pdf = pdfText(await download('quote-pdf-zh'));
      assert.ok(pdf.includes(amountInChineseCapitals(total)), 'the PDF states the amount in 大写');
      await page.getByTestId('quote-accept').click();
      await page.getByTestId('quote-state').filter({ hasText: '已接受' }).waitFor();

      // …and it becomes a contract paid in three installments, sent for review.
      await page.getByTestId('quote-contract').click();
      await page.getByTestId('quote-dialog-ok').click();
      await page.getByTestId('contract-submit').click();
      await page.getByTestId('contract-state').filter({ hasText: '评审中' }).waitFor();
      const contractNumber = (await page.getByTestId('page-title').textContent())?.match(
        /C-\d{4}-\d{6}/,
      )?.[0];
      assert.ok(contractNumber, 'the contract has a number');
      const contractUrl = page.url();
      await signOut(page);

      // Over ¥500,000: finance reviews, then the director.
      for (const approver of ['finance01', 'director']) {
        await login(page, approver, DEMO_PASSWORD);
        await approveFromInbox(page, contractNumber);
        await signOut(page);
      }

      // Signed, the contract is active and in the ledger with its amount.
      await login(page, 'rep01', DEMO_PASSWORD);
      await page.goto(contractUrl);
      await page.getByTestId('contract-sign').click();
      // The signed date defaults to today.
      await page
        .locator('.ant-modal:visible')
        .getByRole('button', { name: /确\s*定|OK/ })
        .click();
      await page.getByTestId('contract-state').filter({ hasText: '履行中' }).waitFor();
      assert.equal(await page.getByTestId('contract-installments').locator('.ant-table-row').count(), 3);
      await page.goto('/sales/contract-ledger');
      await page
        .getByTestId('contract-ledger')
        .locator('.ant-table-row', { hasText: contractNumber })
        .waitFor();
    },
  },
  {
    name: 'order to cash: a contract order over the credit limit waits for approval, ships in two parts with a tracking e-mail, is invoiced and paid in two installments',
    async run(page) {
      const mails: string[] = [];
      const sink = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onData(stream, _session, done) {
          let text = '';
          stream.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
          });
          stream.on('end', () => {
            // Headers as sent, then the base64 body parts decoded.
            const parts = [
              ...text.matchAll(/Content-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/g),
            ];
            mails.push(
              [
                text,
                ...parts.map((m) => Buffer.from(m[1]!.replace(/\s/g, ''), 'base64').toString('utf8')),
              ].join('\n'),
            );
            done();
          });
        },
      });
      await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
      try {
        await page.goto('/login');
        const admin = await apiAs(page, ADMIN.username, ADMIN.password);
        const channel = await admin.get('/notification-channels/email');
        await admin.put('/notification-channels/email', {
          enabled: true,
          host: '127.0.0.1',
          port: (sink.server.address() as { port: number }).port,
          secure: false,
          username: '',
          fromAddress: 'shipping@xingchen.example',
          fromName: '星辰汽车',
          appUrl: '',
          version: channel.version,
        });
        await admin.dispose();

        // Setup through the API: a new customer with a ¥10,000 credit limit and a signed-off
        // contract of ¥20,900 in two installments (the contract journey covers these screens).
        const rep = await apiAs(page, 'rep01', DEMO_PASSWORD);
        const name = `无锡顺捷物流有限公司${Date.now() % 100_000}`;
        const customer = await rep.post('/customers', { name, kind: 'company', creditLimit: 1_000_000 });
        const contact = await rep.post(`/customers/${customer.id}/contacts`, {
          name: '周立',
          mobile: '13900001234',
          email: 'zhouli@shunjie.example',
          isPrimary: true,
        });
        const drafted = await rep.post('/contracts', {
          title: '刹车盘年度供货',
          customerId: customer.id,
          contactId: contact.id,
          amount: 2_090_000,
          startDate: isoDay(0),
          endDate: isoDay(365),
          installments: [
            { dueDate: isoDay(10), amount: 1_045_000 },
            { dueDate: isoDay(40), amount: 1_045_000 },
          ],
        });
        await rep.post(`/contracts/${drafted.id}/submit`, { version: drafted.version });
        await login(page, 'manager02', DEMO_PASSWORD);
        await approveFromInbox(page, drafted.number);
        await signOut(page);
        const approved = await rep.get(`/contracts/${drafted.id}`);
        await rep.post(`/contracts/${drafted.id}/sign`, { signedDate: isoDay(0), version: approved.version });

        // The rep orders 10 brake discs on the contract: above the credit limit, it waits.
        await login(page, 'rep01', DEMO_PASSWORD);
        await page.goto(`/sales/contracts/${drafted.id}`);
        await page.getByTestId('contract-create-order').click();
        await pickInSelect(page, '发货仓库', 'WH-SH 上海总仓');
        await searchSelect(page, 'sales-order-line-product-0', 'BK-0003', 'BK-0003');
        await page.getByTestId('sales-order-line-quantity-0').fill('10');
        await page.getByTestId('sales-order-save').click();
        await page.getByTestId('sales-order-confirm').click();
        await page.getByText('信用审批中').first().waitFor();
        const orderNumber = (await page.getByTestId('page-title').textContent())?.match(
          /SO-\d{4}-\d{6}/,
        )?.[0];
        assert.ok(orderNumber, 'the order has a number');
        const orderUrl = page.url();
        await signOut(page);
        for (const approver of ['finance01', 'director']) {
          await login(page, approver, DEMO_PASSWORD);
          await approveFromInbox(page, orderNumber);
          await signOut(page);
        }

        // Approved, the order is confirmed with all 10 reserved in 上海总仓.
        const confirmedOrder = await rep.get(`/sales-orders/${orderUrl.split('/').pop()}`);
        assert.equal(confirmedOrder.state, 'confirmed');
        assert.equal(confirmedOrder.lines[0].reservedQuantity, '10');
        assert.equal(confirmedOrder.contactId, contact.id, "the contract's contact hears about the order");

        // The warehouse ships 4, then the other 6; the buyer gets the tracking number by e-mail.
        await login(page, 'warehouse01', DEMO_PASSWORD);
        for (const [quantity, tracking] of [
          ['4', 'SF1400000001'],
          ['6', 'SF1400000002'],
        ] as const) {
          await page.goto(orderUrl);
          await page.getByTestId('sales-order-ship').click();
          await page.getByTestId('shipment-carrier').fill('顺丰速运');
          await page.getByTestId('shipment-tracking').fill(tracking);
          await inputOf(page, 'shipment-quantity-0').fill(quantity);
          await page.getByTestId('shipment-submit').click();
          await page.getByText(tracking).first().waitFor();
        }
        await page.getByText('已发货').first().waitFor();
        for (let i = 0; i < 20 && !mails.some((m) => m.includes('SF1400000001')); i++)
          await page.waitForTimeout(500);
        assert.ok(
          mails.some((m) => m.includes('SF1400000001') && m.includes('zhouli@shunjie.example')),
          `the tracking e-mail (${mails.length} received): ${mails.join('\n').slice(0, 2000)}`,
        );
        await signOut(page);

        // The buyer tracks the order with its number and their mobile, without signing in.
        const visitor = await request.newContext({ baseURL: new URL(page.url()).origin });
        const tracked = await visitor.post('/api/v1/public/order-tracking', {
          data: { orderNumber, phone: '139 0000 1234' },
        });
        assert.equal(tracked.status(), 200, await tracked.text());
        const tracking = await tracked.json();
        assert.deepEqual(tracking.shipments.map((x: { trackingNo: string }) => x.trackingNo).sort(), [
          'SF1400000001',
          'SF1400000002',
        ]);
        await visitor.dispose();

        // Finance invoices the first installment and records two payments, oldest first.
        await login(page, 'finance01', DEMO_PASSWORD);
        await page.goto('/orders/invoices/new');
        await page.getByTestId('invoice-mode').getByText('合同分期').click();
        await searchSelect(page, 'invoice-customer', name, name);
        const labelled = (label: string) =>
          page.locator('.ant-form-item').filter({ has: page.locator(`label:text-is("${label}")`) });
        await labelled('合同').locator('.ant-select').click();
        await page.locator(`.ant-select-dropdown:visible [title^="${drafted.number}"]`).click();
        await labelled('分期').locator('.ant-select').click();
        await page
          .locator('.ant-select-dropdown:visible .ant-select-item-option')
          .filter({ hasText: '10,450' })
          .first()
          .click();
        await page.getByTestId('invoice-save').click();
        await page.getByTestId('invoice-issue').click();
        await page
          .locator('.ant-modal:visible')
          .getByRole('button', { name: /确\s*定|OK|开\s*具/ })
          .click();
        await page.getByTestId('invoice-state').filter({ hasText: '已开具' }).waitFor();
        for (let n = 0; n < 2; n++) {
          await page.goto('/orders/payments');
          await page.getByTestId('payment-new').click();
          await searchSelect(page, 'payment-customer', name, name);
          await inputOf(page, 'payment-amount').fill('10450');
          await page.getByTestId('payment-submit').click();
          await page.getByTestId('payment-submit').waitFor({ state: 'detached' });
        }
        const finance = await apiAs(page, 'finance01', DEMO_PASSWORD);
        const open = await finance.get(`/receivables/customers/${customer.id}`);
        assert.equal(open.balance, 0, 'nothing owed');
        const aging = await finance.get(`/receivables/aging?by=customer&q=${encodeURIComponent(name)}`);
        const agingRow = aging.items.find((r: { customerId: string }) => r.customerId === customer.id);
        assert.ok(!agingRow || agingRow.balance === 0, 'nothing in the aging report');
        await finance.dispose();

        // The contract ledger: everything ordered, shipped and collected.
        await page.goto('/sales/contract-ledger');
        const row = page
          .getByTestId('contract-ledger')
          .locator('.ant-table-row', { hasText: drafted.number });
        await row.waitFor();
        await page.getByTestId(`ledger-collected-${drafted.number}`).filter({ hasText: '100' }).waitFor();
        await rep.dispose();
      } finally {
        await new Promise<void>((resolve) => sink.close(() => resolve()));
      }
    },
  },
  {
    name: 'targets: the director sets next year’s target and splits it by last year’s seasonality, a manager splits it to teams and reps, a rep signs, the dashboards show attainment',
    async run(page) {
      // Setup: bring the sales facts roll-up up to date (the job runs every five minutes), so
      // last year's actuals and this year's attainment are there to read.
      await page.goto('/login');
      const admin = await apiAs(page, ADMIN.username, ADMIN.password);
      const before = await admin.get('/analytics/facts/status');
      await admin.post('/analytics/facts/refresh', { full: false });
      for (let i = 0; i < 60; i++) {
        const status = await admin.get('/analytics/facts/status');
        if (status.lastRunAt && status.lastRunAt !== before.lastRunAt) break;
        await page.waitForTimeout(500);
      }
      await admin.dispose();

      const year = Number(isoDay(0).slice(0, 4)) + 1;
      const planName = `${year} 年度销售目标 ${Date.now() % 100_000}`;
      const planRow = (label: string) =>
        page.locator('.ant-table-row').filter({ has: page.getByTestId(`target-row-${label}`) });
      const yuanOf = (text: string | null) => Math.round(Number((text ?? '').replace(/[^\d.]/g, '')) * 100);
      const amountOf = async (label: string) => {
        const cell = planRow(label).locator('td').nth(1);
        await cell.locator('input').or(cell.locator('span')).first().waitFor();
        return (await cell.locator('input').count())
          ? yuanOf(await cell.locator('input').inputValue())
          : yuanOf(await cell.textContent());
      };
      // The tree opens fully when the page loads; rows allocated later are opened by hand.
      const expandAll = async () => {
        await page.waitForTimeout(300);
        const collapsed = page.locator('.ant-table-row-expand-icon-collapsed');
        while (await collapsed.count()) await collapsed.first().click();
      };
      const allocate = async (
        label: string,
        split: string,
        method: string,
        weights: [string, string][] = [],
      ) => {
        await page.getByTestId(`target-allocate-${label}`).click();
        const dialog = page.locator('.ant-modal:visible');
        await dialog.waitFor();
        await pickInSelect(page, '分解到', split);
        await dialog.getByText(method, { exact: true }).click();
        for (const [child, weight] of weights)
          await dialog.locator('.ant-form-item', { hasText: child }).locator('input').fill(weight);
        await page.getByTestId('target-allocate-ok').click();
        await dialog.waitFor({ state: 'detached' });
        await expandAll();
      };

      // The director sets the company's annual target for next year: ¥120,000,000 booked revenue.
      await login(page, 'director', DEMO_PASSWORD);
      await page.getByTestId('menu-target-plans').click();
      await page.getByTestId('target-plan-new').click();
      await page.getByTestId('target-plan-name').fill(planName);
      await inputOf(page, 'target-plan-amount').fill('120000000');
      await page.getByTestId('target-plan-save').click();
      await page.getByTestId('page-title').filter({ hasText: planName }).waitFor();
      const planUrl = page.url();
      const company = (
        (await page.locator('[data-testid^="target-row-"]').first().getAttribute('data-testid')) ?? ''
      ).slice('target-row-'.length);

      // …splits it to the regions by last year's seasonality, and publishes: Σ regions = the company.
      await allocate(company, '下级组织', '按去年同期');
      await planRow('华东').waitFor();
      const regions = ['华东', '华南', '华北', '西南'];
      const amounts: number[] = [];
      for (const r of regions) amounts.push(await amountOf(r));
      assert.equal(
        amounts.reduce((a, b) => a + b, 0),
        12_000_000_000,
        `the regions sum to the company target: ${amounts}`,
      );
      assert.ok(new Set(amounts).size > 1, `a seasonal split, not an even one: ${amounts}`);
      assert.equal(yuanOf(await page.getByTestId(`target-gap-${company}`).textContent()), 12_000_000_000);
      await page.getByTestId(`target-publish-${company}`).click();
      await planRow('华东').getByText('待签署').waitFor();
      const east = amounts[0]!;
      await signOut(page);

      // The head of 华东 signs the region's agreement, splits it to the teams by weights and the
      // first team evenly to its reps, and publishes both levels.
      await login(page, 'manager01', DEMO_PASSWORD);
      await page.getByTestId('menu-target-agreements').click();
      const mine = page.locator('.ant-table-row', { hasText: planName });
      await mine.locator('[data-testid^="agreement-sign-"]').click();
      await mine.getByText('已签署').waitFor();
      await page.goto(planUrl);
      await allocate('华东', '下级组织', '平均分配');
      await planRow('华东一组').waitFor();
      // Every team weighs 1 unless changed: 华东一组 takes three shares.
      const teams = await page.locator('.ant-table-row-level-1').count();
      await allocate('华东', '下级组织', '按权重', [['华东一组', '3']]);
      // The amounts of drafts are inputs: read them as they are after a reload.
      await page.reload();
      await page.locator('[data-testid^="target-row-"]').first().waitFor();
      await expandAll();
      const first = await amountOf('华东一组');
      assert.ok(
        Math.abs(first - (east * 3) / (teams + 2)) <= 1,
        `华东一组 has 3 of ${teams + 2} shares of 华东: ${first} of ${east}`,
      );
      await page.getByTestId('target-publish-华东').click();
      await planRow('华东一组').getByText('待签署').waitFor();
      await allocate('华东一组', '销售代表', '平均分配');
      // manager01's tree starts at 华东: teams one level down, reps two.
      const reps = page.locator('.ant-table-row-level-2');
      await reps.first().waitFor();
      await page.getByTestId('target-publish-华东一组').click();
      await reps.first().getByText('待签署').waitFor();
      const team = await amountOf('华东一组');
      assert.equal(yuanOf(await page.getByTestId('target-gap-华东').textContent()), east, 'Σ teams = 华东');
      assert.equal(
        yuanOf(await page.getByTestId('target-gap-华东一组').textContent()),
        team,
        'Σ reps = the team',
      );
      await signOut(page);

      // A rep of the team signs the agreement, then sees this year's attainment on their dashboard.
      await login(page, 'rep01', DEMO_PASSWORD);
      await page.getByTestId('menu-target-agreements').click();
      const agreement = page.locator('.ant-table-row', { hasText: planName });
      await agreement.locator('[data-testid^="agreement-sign-"]').click();
      await agreement.getByText('已签署').waitFor();
      await page.getByTestId('menu-dashboard-rep').click();
      await page
        .getByTestId('widget-myTargets')
        .getByText(/\d+(\.\d)?%/)
        .first()
        .waitFor();
      await signOut(page);

      // The director sees the agreements signed and this year's attainment by region.
      await login(page, 'director', DEMO_PASSWORD);
      await page.goto(planUrl);
      await page.locator('[data-testid^="target-row-"]').first().waitFor();
      await expandAll();
      await planRow('华东').getByText('已签署').waitFor();
      await page.locator('.ant-table-row-level-3', { hasText: '已签署' }).first().waitFor();
      assert.equal(yuanOf(await page.getByTestId('target-gap-华东').textContent()), east, 'Σ teams = 华东');
      assert.equal(
        await page.locator('[data-testid^="target-gap-"] .ant-tag').count(),
        0,
        'no level out of balance',
      );
      // The figures the chart draws are the ones the page fetched.
      const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/dashboards/director');
      await page.getByTestId('menu-dashboard-director').click();
      const data = await (await answer).json();
      const chart = page.getByTestId('widget-regionAttainment-chart');
      await chart.locator('canvas').waitFor();
      const widget = data.widgets.find((w: { key: string }) => w.key === 'regionAttainment');
      const eastRow = widget.rows.find((r: { label: string }) => r.label === '华东');
      assert.ok(
        Number(eastRow.values.target) > 0 && Number(eastRow.values.actual) > 0,
        JSON.stringify(eastRow),
      );
      // The region's target on the dashboard is this year's (the demo's) 华东 target.
      const thisYear = await (await page.request.get(`/api/v1/target-plans?fiscalYear=${year - 1}`)).json();
      const thisPlan = await (await page.request.get(`/api/v1/target-plans/${thisYear.items[0].id}`)).json();
      const eastTarget = thisPlan.nodes.find(
        (n: { label: string; period: { kind: string } }) => n.label === '华东' && n.period.kind === 'year',
      );
      assert.equal(Number(eastRow.values.target), eastTarget.amount);
      // Hovering over 华东 (the first bar group) shows its actual and target.

      const box = (await chart.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.6);
      const tooltip = chart.locator('div', { hasText: '华东' }).filter({ hasText: '目标' }).last();
      await tooltip.waitFor();
      const text = (await tooltip.textContent()) ?? '';
      const expected = [eastRow.values.actual, eastRow.values.target].map((v) => compactYuan(v, 'zh-CN'));
      assert.ok(
        expected.every((v) => text.includes(v)),
        `tooltip ${text}, expected ${expected.join(' and ')} (${JSON.stringify(eastRow)})`,
      );
    },
  },
];
