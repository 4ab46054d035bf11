import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/audit/schema.js';
import { addDays } from '../../platform/calendar.js';
import { pdfBytes, uploadFile } from '../../platform/files/testing.js';
import { enqueueJob, runDueJobs } from '../../platform/jobs/jobs.js';
import { notifications } from '../../platform/notifications/schema.js';
import { dayIn } from '../../platform/settings/settings.service.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { makeCustomer, userByName } from '../customers/activities.fixtures.js';
import { BID_ALERTS_JOB } from './bids.jobs.js';
import { bids } from './bids.schema.js';

// The bid story: a rep bids on a hospital's tender with a bond, uploads the tender documents,
// submits, loses to a competitor; finance chases the bond; reminders go out before deadlines.

let t: TestApp;
let rep: Client;
let rep07: Client;
let finance: Client;
let customerId: string;
const db = () => t.database.db;
const auditCount = async () => (await db().select({ n: count() }).from(auditLog))[0]!.n;
const bidCount = async () => (await db().select({ n: count() }).from(bids))[0]!.n;
const notificationsOf = async (username: string, event: string) =>
  db()
    .select()
    .from(notifications)
    .where(
      and(eq(notifications.userId, (await userByName(db(), username)).id), eq(notifications.event, event)),
    );

const inDays = (days: number, hour = 9) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour - 8, 30, 0, 0);
  return d.toISOString();
};
// Business days count in the company's time zone, as the bid rules do.
const dayOffset = (days: number) => addDays(dayIn('Asia/Shanghai'), days);

let tenderSeq = 0;
const tender = (over: Record<string, unknown> = {}) => ({
  tenderNumber: `ZB-2026-${String(++tenderSeq).padStart(4, '0')}`,
  projectName: '门诊楼医用设备采购项目',
  customerId,
  documentsPurchasedOn: dayOffset(-10),
  submissionDeadline: inDays(20),
  openingAt: inDays(20),
  bidPrice: 128_000_000,
  bondAmount: 2_000_000,
  competitors: [{ name: '迈瑞医疗', price: 125_000_000 }, { name: '联影医疗' }],
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
  rep07 = await as(t.app, 'rep07');
  finance = await as(t.app, 'finance01');
  customerId = (await makeCustomer(db(), { name: '苏州市第一人民医院', owner: 'rep01' })).id;
});
afterAll(() => t.close());

describe('a bid from purchase of the documents to the result', () => {
  it('a rep bids with a bond, uploads the tender documents, submits, loses with a reason and the winner; then nothing more can change', async () => {
    const created = await rep.post('/bids', tender({ tenderNumber: 'SZYY-2026-017' }));
    expect(created.statusCode).toBe(201);
    const b = created.body;
    expect(b).toMatchObject({
      state: 'preparing',
      issuerName: '苏州市第一人民医院',
      customerName: '苏州市第一人民医院',
      bidPrice: 128_000_000,
      bondAmount: 2_000_000,
      bondPaidOn: null,
      deadlineSoon: false,
      actions: ['edit', 'submit', 'cancel'],
    });
    expect(b.competitors).toEqual([
      { name: '迈瑞医疗', price: 125_000_000, note: null },
      { name: '联影医疗', price: null, note: null },
    ]);

    // The same tender number from the same hospital is the same tender.
    const dup = await rep.post('/bids', tender({ tenderNumber: 'SZYY-2026-017' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.body.code).toBe('bid_duplicate_tender');
    expect(dup.body.detail).toContain('SZYY-2026-017');

    const paid = await rep.post(`/bids/${b.id}/bond`, {
      amount: 2_000_000,
      method: 'bank_transfer',
      paidOn: dayOffset(-5),
      version: b.version,
    });
    expect(paid.statusCode).toBe(200);
    expect(paid.body).toMatchObject({
      bondPaidOn: dayOffset(-5),
      bondMethod: 'bank_transfer',
      bondOverdue: false,
    });

    const upload = await uploadFile(
      rep,
      { entity: 'bid', entityId: b.id },
      '招标文件.pdf',
      pdfBytes('tender'),
    );
    expect(upload.statusCode).toBe(201);
    const files = await rep.get(`/attachments?entity=bid&entityId=${b.id}`);
    expect(files.body.items.map((f: { fileName: string }) => f.fileName)).toEqual(['招标文件.pdf']);

    const submitted = await rep.post(`/bids/${b.id}/submit`, { version: paid.body.version });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.body.state).toBe('submitted');
    expect(submitted.body.submittedAt).not.toBeNull();

    // Lost needs a reason from the sales settings' list and the winner.
    const before = await auditCount();
    const noReason = await rep.post(`/bids/${b.id}/result`, {
      outcome: 'lost',
      resultOn: dayOffset(0),
      version: submitted.body.version,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'lossReason',
      'winnerName',
    ]);
    const badReason = await rep.post(`/bids/${b.id}/result`, {
      outcome: 'lost',
      resultOn: dayOffset(0),
      lossReason: 'weather',
      winnerName: '迈瑞医疗',
      version: submitted.body.version,
    });
    expect(badReason.statusCode).toBe(400);
    expect(await auditCount()).toBe(before);

    const lost = await rep.post(`/bids/${b.id}/result`, {
      outcome: 'lost',
      resultOn: dayOffset(0),
      lossReason: 'price',
      winnerName: '迈瑞医疗',
      winningPrice: 124_500_000,
      version: submitted.body.version,
    });
    expect(lost.statusCode).toBe(200);
    expect(lost.body).toMatchObject({
      state: 'lost',
      lossReason: 'price',
      winnerName: '迈瑞医疗',
      winningPrice: 124_500_000,
      // 35 days after the result: signing within 30 days, refund within 5 more.
      bondRefundDueOn: dayOffset(35),
      actions: [],
    });

    const edit = await rep.patch(`/bids/${b.id}`, { projectName: '改名', version: lost.body.version });
    expect(edit.statusCode).toBe(409);
    expect(edit.body.code).toBe('bid_wrong_state');
    expect(edit.body.detail).toContain('未中标');
    rep.locale = 'en';
    const editEn = await rep.patch(`/bids/${b.id}`, { projectName: '改名', version: lost.body.version });
    expect(editEn.body.detail).toBe(
      'The bid is lost; it cannot be changed. Reload to see its current state.',
    );
    rep.locale = 'zh-CN';
    const late = await uploadFile(rep, { entity: 'bid', entityId: b.id }, '澄清.pdf', pdfBytes('late'));
    expect(late.statusCode).toBe(403);

    // Finance books the refund; the history tells the whole story.
    const refund = await finance.post(`/bids/${b.id}/bond-refund`, {
      refundedOn: dayOffset(0),
      version: lost.body.version,
    });
    expect(refund.statusCode).toBe(200);
    expect(refund.body.bondRefundedOn).toBe(dayOffset(0));
    const again = await finance.post(`/bids/${b.id}/bond-refund`, {
      refundedOn: dayOffset(0),
      version: refund.body.version,
    });
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('bid_bond_not_paid');

    const hist = await rep.get(`/bids/${b.id}/history`);
    expect(hist.statusCode).toBe(200);
    expect(hist.body.items.map((h: { action: string }) => h.action)).toEqual([
      'bond_refund',
      'lose',
      'submit',
      'attachment_upload',
      'bond_pay',
      'create',
    ]);
  });

  it('bad dates, a zero price or a missing issuer are refused with the field named, and nothing is written', async () => {
    const before = [await bidCount(), await auditCount()];
    const afterPurchase = await rep.post(
      '/bids',
      tender({ documentsPurchasedOn: dayOffset(5), submissionDeadline: inDays(3), openingAt: inDays(3) }),
    );
    expect(afterPurchase.statusCode).toBe(400);
    expect(afterPurchase.body.errors).toEqual([
      { path: 'submissionDeadline', message: '投标截止时间须晚于标书购买日期' },
    ]);
    const openingEarly = await rep.post('/bids', tender({ openingAt: inDays(19) }));
    expect(openingEarly.statusCode).toBe(400);
    expect(openingEarly.body.errors[0].path).toBe('openingAt');
    const zero = await rep.post('/bids', tender({ bidPrice: 0 }));
    expect(zero.statusCode).toBe(400);
    expect(zero.body.errors[0].path).toBe('bidPrice');
    const noIssuer = await rep.post('/bids', tender({ customerId: undefined }));
    expect(noIssuer.statusCode).toBe(400);
    expect(noIssuer.body.errors[0].path).toBe('issuerName');
    const notMine = await rep07.post('/bids', tender());
    expect(notMine.statusCode).toBe(400);
    expect(notMine.body.code).toBe('invalid_reference');
    expect([await bidCount(), await auditCount()]).toEqual(before);

    // An issuer that is not a customer yet is recorded by name.
    const byName = await rep07.post(
      '/bids',
      tender({ customerId: undefined, issuerName: '杭州市公共资源交易中心', bidPrice: undefined }),
    );
    expect(byName.statusCode).toBe(201);
    expect(byName.body).toMatchObject({ customerId: null, issuerName: '杭州市公共资源交易中心' });
    // No price, no submission.
    const unpriced = await rep07.post(`/bids/${byName.body.id}/submit`, { version: byName.body.version });
    expect(unpriced.statusCode).toBe(400);
    expect(unpriced.body.errors[0].path).toBe('bidPrice');

    // A stale version changes nothing.
    const moved = await rep07.patch(`/bids/${byName.body.id}`, { openingAt: inDays(21), version: 1 });
    expect(moved.statusCode).toBe(200);
    const stale = await rep07.patch(`/bids/${byName.body.id}`, { bidPrice: 100, version: 1 });
    expect(stale.statusCode).toBe(409);
    // Moving the deadline past the opening is refused as a whole.
    const pastOpening = await rep07.patch(`/bids/${byName.body.id}`, {
      submissionDeadline: inDays(25),
      version: moved.body.version,
    });
    expect(pastOpening.statusCode).toBe(400);
    expect(pastOpening.body.errors[0].path).toBe('openingAt');
  });

  it('a cancelled tender (流标) needs its reason; a won one stays linked to its opportunity, which stays open', async () => {
    const o = await rep.post('/opportunities', { name: '门诊楼设备', customerId });
    expect(o.statusCode).toBe(201);
    const b = (await rep.post('/bids', tender({ opportunityId: o.body.id }))).body;
    expect(b.opportunityName).toBe('门诊楼设备');
    const noReason = await rep.post(`/bids/${b.id}/result`, {
      outcome: 'cancelled',
      resultOn: dayOffset(0),
      version: b.version,
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body.errors[0].path).toBe('cancelReason');
    // Won only after submitting.
    const early = await rep.post(`/bids/${b.id}/result`, {
      outcome: 'won',
      resultOn: dayOffset(0),
      version: b.version,
    });
    expect(early.statusCode).toBe(409);
    const s = (await rep.post(`/bids/${b.id}/submit`, { version: b.version })).body;
    const won = await rep.post(`/bids/${b.id}/result`, {
      outcome: 'won',
      resultOn: dayOffset(0),
      version: s.version,
    });
    expect(won.statusCode).toBe(200);
    expect(won.body.state).toBe('won');
    expect((await rep.get(`/opportunities/${o.body.id}`)).body.status).toBe('open');
    const listed = await rep.get(`/bids?opportunityId=${o.body.id}`);
    expect(listed.body.items.map((x: { id: string }) => x.id)).toEqual([b.id]);

    const other = (await rep.post('/bids', tender())).body;
    const cancelled = await rep.post(`/bids/${other.id}/result`, {
      outcome: 'cancelled',
      resultOn: dayOffset(0),
      cancelReason: '投标人不足三家，流标',
      version: other.version,
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
  });

  it('the list filters by state, deadline range and text, and flags deadlines in the next three days', async () => {
    const soon = (
      await rep.post(
        '/bids',
        tender({ projectName: '急诊信息化', submissionDeadline: inDays(2), openingAt: inDays(2) }),
      )
    ).body;
    expect(soon.deadlineSoon).toBe(true);
    const list = await rep.get(
      `/bids?state=preparing&deadlineFrom=${dayOffset(0)}&deadlineTo=${dayOffset(3)}`,
    );
    expect(list.statusCode).toBe(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([soon.id]);
    const q = await rep.get(`/bids?q=${encodeURIComponent('急诊')}`);
    expect(q.body.items.map((x: { id: string }) => x.id)).toEqual([soon.id]);
    const byTender = await rep.get(`/bids?q=${soon.tenderNumber}`);
    expect(byTender.body.total).toBe(1);
    // Paging by deadline.
    const p1 = await rep.get('/bids?sort=submissionDeadline&limit=2');
    expect(p1.body.items).toHaveLength(2);
    const p2 = await rep.get(`/bids?sort=submissionDeadline&limit=2&cursor=${p1.body.nextCursor}`);
    expect(p2.statusCode).toBe(200);
    expect(p2.body.items[0].id).not.toBe(p1.body.items[0].id);
    // rep07 sees none of rep01's bids.
    expect((await rep07.get(`/bids/${soon.id}`)).statusCode).toBe(404);
  });
});

describe('finance and the bond', () => {
  it('finance sees every bid and books its bond, but cannot open or change a bid', async () => {
    const b = (await rep.post('/bids', tender())).body;
    expect((await finance.get(`/bids/${b.id}`)).statusCode).toBe(200);
    expect((await finance.patch(`/bids/${b.id}`, { note: 'x', version: b.version })).statusCode).toBe(403);
    expect((await finance.post('/bids', tender())).statusCode).toBe(403);
    const paid = await finance.post(`/bids/${b.id}/bond`, {
      amount: 800_000,
      method: 'guarantee_letter',
      paidOn: dayOffset(0),
      refundDueOn: dayOffset(-1),
      version: b.version,
    });
    expect(paid.statusCode).toBe(400);
    expect(paid.body.errors[0].path).toBe('refundDueOn');
    const ok = await finance.post(`/bids/${b.id}/bond`, {
      amount: 800_000,
      method: 'guarantee_letter',
      paidOn: dayOffset(0),
      version: b.version,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toMatchObject({
      bondAmount: 800_000,
      bondMethod: 'guarantee_letter',
      bondRefundDueOn: null,
    });
  });
});

describe('customer merges', () => {
  it("a merged customer's bids move to the survivor, except a tender the survivor already bid on; unmerge moves them back", async () => {
    const director = await as(t.app, 'director');
    const dupe = (await makeCustomer(db(), { name: '苏州第一人民医院（重复）', owner: 'rep01' })).id;
    const survivor = (await makeCustomer(db(), { name: '苏州市第一人民医院总院', owner: 'rep01' })).id;
    const same = (await rep.post('/bids', tender({ tenderNumber: 'MERGE-1', customerId: dupe }))).body;
    const other = (await rep.post('/bids', tender({ tenderNumber: 'MERGE-2', customerId: dupe }))).body;
    await rep.post('/bids', tender({ tenderNumber: 'MERGE-1', customerId: survivor }));
    const merged = await director.post(`/customers/${dupe}/merge`, { survivorId: survivor });
    expect(merged.statusCode).toBe(200);
    expect((await rep.get(`/bids/${other.id}`)).body.customerId).toBe(survivor);
    expect((await rep.get(`/bids/${same.id}`)).body.customerId).toBe(dupe);
    expect((await director.post(`/customers/${dupe}/unmerge`, {})).statusCode).toBe(200);
    expect((await rep.get(`/bids/${other.id}`)).body.customerId).toBe(dupe);
  });
});

describe('alerts', () => {
  it('the owner is reminded 3 days and 1 day before the deadline, once each; an overdue bond alerts the owner and finance once', async () => {
    const b = (
      await rep.post(
        '/bids',
        tender({ projectName: '体检中心设备', submissionDeadline: inDays(3, 8), openingAt: inDays(3, 8) }),
      )
    ).body;
    const run = async () => {
      await enqueueJob(db(), BID_ALERTS_JOB, {});
      await runDueJobs(db(), { kinds: [BID_ALERTS_JOB] });
    };
    // 2 days 23 hours left at most: the three-day reminder.
    await db()
      .update(bids)
      .set({ submissionDeadline: new Date(Date.now() + 71 * 3_600_000) })
      .where(eq(bids.id, b.id));
    await run();
    const mine = async () =>
      (await notificationsOf('rep01', 'sales.bid-deadline')).filter((n) => n.entityId === b.id);
    expect(await mine()).toHaveLength(1);
    expect((await mine())[0]!.params.days).toBe(3);
    await run();
    expect(await mine()).toHaveLength(1);
    // A day before: the one-day reminder, once.
    await db()
      .update(bids)
      .set({ submissionDeadline: new Date(Date.now() + 20 * 3_600_000) })
      .where(eq(bids.id, b.id));
    await run();
    await run();
    expect(await mine()).toHaveLength(2);
    expect((await mine()).map((n) => n.params.days).sort()).toEqual([1, 3]);

    // A bond paid and not back 35 days after the result.
    const s = (
      await rep.post(`/bids/${b.id}/bond`, {
        amount: 500_000,
        method: 'bank_transfer',
        paidOn: dayOffset(-60),
        version: (await rep.get(`/bids/${b.id}`)).body.version,
      })
    ).body;
    await rep.post(`/bids/${b.id}/result`, {
      outcome: 'cancelled',
      resultOn: dayOffset(-40),
      cancelReason: '废标',
      version: s.version,
    });
    const detail = (await rep.get(`/bids/${b.id}`)).body;
    expect(detail.bondRefundDueOn).toBe(dayOffset(-5));
    expect(detail.bondOverdue).toBe(true);
    expect(
      (await finance.get('/bids?bondOverdue=true')).body.items.map((x: { id: string }) => x.id),
    ).toContain(b.id);
    await run();
    await run();
    const ownerAlerts = (await notificationsOf('rep01', 'sales.bid-bond-overdue')).filter(
      (n) => n.entityId === b.id,
    );
    const financeAlerts = (await notificationsOf('finance01', 'sales.bid-bond-overdue')).filter(
      (n) => n.entityId === b.id,
    );
    expect(ownerAlerts).toHaveLength(1);
    expect(financeAlerts).toHaveLength(1);
    expect(financeAlerts[0]!.params.amount).toBe('¥5,000.00');
  });

  it('a submitted bid gets no deadline reminder', async () => {
    const b = (await rep.post('/bids', tender({ submissionDeadline: inDays(2), openingAt: inDays(2) }))).body;
    await rep.post(`/bids/${b.id}/submit`, { version: b.version });
    await enqueueJob(db(), BID_ALERTS_JOB, {});
    await runDueJobs(db(), { kinds: [BID_ALERTS_JOB] });
    const [row] = await db().select().from(bids).where(eq(bids.id, b.id));
    expect(row!.remindedThreeDaysAt).toBeNull();
    expect(row!.remindedOneDayAt).toBeNull();
  });
});
