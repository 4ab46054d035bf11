import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, count, eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../db/tx.js';
import { users } from '../../modules/org/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { auditLog } from '../audit/schema.js';
import { runDueJobs } from '../jobs/jobs.js';
import { jobs } from '../jobs/schema.js';
import { defineNotificationEvent, notify } from './notify.js';
import { notificationDeliveries, notifications } from './schema.js';

defineNotificationEvent('test.quote.approved', {
  title: { 'zh-CN': '报价单 {no} 已审批通过', en: 'Quote {no} approved' },
  body: { 'zh-CN': '{approver} 批准了报价单 {no}。', en: '{approver} approved quote {no}.' },
});
defineNotificationEvent('test.receivable.overdue', {
  label: { 'zh-CN': '应收逾期', en: 'Receivable overdue' },
  title: { 'zh-CN': '应收款逾期：{customer}', en: 'Receivable overdue: {customer}' },
  body: {
    'zh-CN': '{customer} 有一笔应收款已逾期 {days} 天。',
    en: '{customer} has a receivable {days} days overdue.',
  },
});

// --- an SMTP sink and a chat-robot receiver on loopback -----------------------------------------

interface Mail {
  to: string[];
  subject: string;
  raw: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?=), as nodemailer writes non-ASCII subjects. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function headerOf(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? decodeHeader(line.slice(name.length + 1).trim()) : '';
}

const mails: Mail[] = [];
const smtp = new SMTPServer({
  authOptional: false,
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, _session, callback) {
    if (auth.username === 'mailer' && auth.password === 'smtp-pass-2026') callback(null, { user: 'mailer' });
    else callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      mails.push({
        to: session.envelope.rcptTo.map((r) => r.address),
        subject: headerOf(raw, 'Subject'),
        raw,
      });
      callback();
    });
  },
});

interface Hit {
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}
const hits: Hit[] = [];
let brokenStatus = 500;
const robots: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    hits.push({
      path: url.pathname,
      query: url.searchParams,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    });
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/broken') {
      res.statusCode = brokenStatus;
      res.end(brokenStatus === 200 ? '{"errcode":0,"errmsg":"ok"}' : '{"message":"robot is down"}');
    } else if (url.pathname.startsWith('/feishu')) {
      res.end('{"code":0,"msg":"success","data":{}}');
    } else {
      res.end('{"errcode":0,"errmsg":"ok"}');
    }
  });
});

let smtpPort = 0;
let robotBase = '';

// --- the app ------------------------------------------------------------------------------------

let t: TestApp;
let admin: Client;
let rep01: Client;
let rep02: Client;
const ids: Record<string, string> = {};

const send = (usernames: string[], event: string, params: Record<string, string | number>, link?: string) =>
  withTx(t.database.db, (tx) =>
    notify(tx, { userIds: usernames.map((u) => ids[u]!), event, params, ...(link ? { link } : {}) }),
  );
const drain = () => runDueJobs(t.database.db);
/** The clock moves on: every queued delivery attempt is due now. */
const timePasses = () =>
  t.database.db
    .update(jobs)
    .set({ runAt: sql`now()` })
    .where(and(eq(jobs.kind, 'notifications.deliver'), eq(jobs.state, 'queued')));
const deliveriesOf = async (username: string, event: string, channel?: 'email' | 'webhook') =>
  t.database.db
    .select({ d: notificationDeliveries })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .where(
      and(
        eq(notifications.userId, ids[username]!),
        eq(notifications.event, event),
        channel ? eq(notificationDeliveries.channel, channel) : undefined,
      ),
    )
    .then((rows) => rows.map((r) => r.d));

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => robots.listen(0, '127.0.0.1', resolve));
  robotBase = `http://127.0.0.1:${(robots.address() as AddressInfo).port}`;

  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep01 = await as(t.app, 'rep01');
  rep02 = await as(t.app, 'rep02');
  for (const u of await t.database.db.select({ id: users.id, username: users.username }).from(users))
    ids[u.username] = u.id;
  // rep02 reads in English: in the profile (for email) and so in the browser.
  rep02.locale = 'en';
  const me = (await rep02.get('/auth/me')).body;
  expect((await rep02.patch('/me', { locale: 'en', version: me.user.version })).statusCode).toBe(200);
});

afterAll(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => robots.close(() => resolve()));
});

describe('in-app inbox', () => {
  it("a rep's unread count goes up when a quote is approved and down as they read", async () => {
    expect((await rep01.get('/notifications/unread-count')).body).toEqual({ count: 0 });
    await send(['rep01'], 'test.quote.approved', { no: 'Q-2026-000001', approver: '王经理' }, '/quotes/1');
    await send(['rep01'], 'test.quote.approved', { no: 'Q-2026-000002', approver: '王经理' });
    expect((await rep01.get('/notifications/unread-count')).body).toEqual({ count: 2 });

    const inbox = await rep01.get('/notifications');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body.total).toBe(2);
    expect(inbox.body.items[0]).toMatchObject({
      title: '报价单 Q-2026-000002 已审批通过',
      body: '王经理 批准了报价单 Q-2026-000002。',
      read: false,
      link: null,
    });
    expect(inbox.body.items[1]).toMatchObject({
      title: '报价单 Q-2026-000001 已审批通过',
      link: '/quotes/1',
    });

    // The same notification reads in English when the reader uses English.
    const english = await rep01.get('/notifications', { 'accept-language': 'en' });
    expect(english.body.items[1].title).toBe('Quote Q-2026-000001 approved');

    const read = await rep01.post(`/notifications/${inbox.body.items[1].id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.body.read).toBe(true);
    expect((await rep01.get('/notifications/unread-count')).body).toEqual({ count: 1 });
    expect(
      (await rep01.get('/notifications?unread=true')).body.items.map((n: { id: string }) => n.id),
    ).toEqual([inbox.body.items[0].id]);

    expect((await rep01.post('/notifications/read-all')).body).toEqual({ marked: 1 });
    expect((await rep01.get('/notifications/unread-count')).body).toEqual({ count: 0 });
    expect((await rep01.get('/notifications')).body.total).toBe(2);
  });

  it("a rep cannot read or mark another rep's notifications: they do not exist for them", async () => {
    await send(['rep02'], 'test.quote.approved', { no: 'Q-2026-000003', approver: 'Wang' });
    const theirs = (await rep02.get('/notifications')).body.items[0];
    expect(theirs.title).toBe('Quote Q-2026-000003 approved');

    const probe = await rep01.post(`/notifications/${theirs.id}/read`);
    expect(probe.statusCode).toBe(404);
    expect(probe.body.code).toBe('not_found');
    expect((await rep01.get('/notifications')).body.items.map((n: { id: string }) => n.id)).not.toContain(
      theirs.id,
    );
    await rep01.post('/notifications/read-all');
    expect((await rep02.get('/notifications/unread-count')).body).toEqual({ count: 1 });
  });

  it('pages a long inbox with a cursor, newest first, without gaps or repeats', async () => {
    for (let i = 10; i < 17; i++) {
      await send(['rep03'], 'test.quote.approved', { no: `Q-2026-0000${i}`, approver: '王经理' });
    }
    const rep03 = await as(t.app, 'rep03');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/notifications?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await rep03.get(url);
      expect(res.body.total).toBe(7);
      seen.push(...res.body.items.map((n: { title: string }) => n.title));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([16, 15, 14, 13, 12, 11, 10].map((i) => `报价单 Q-2026-0000${i} 已审批通过`));

    const bad = await rep03.get('/notifications?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.body.code).toBe('bad_cursor');
  });

  it('refuses links that leave the app: a notification never sends a user to another site', async () => {
    await expect(
      send(['rep01'], 'test.quote.approved', { no: 'x', approver: 'y' }, '//evil.example'),
    ).rejects.toThrow(/in-app/);
    await expect(send(['rep01'], 'no.such.event', {})).rejects.toThrow(/Unknown notification event/);
  });
});

describe('email over SMTP', () => {
  it('the administrator configures the mail server; the password is stored, never shown, and masked in the audit log', async () => {
    const current = (await admin.get('/notification-channels/email')).body;
    expect(current).toMatchObject({ enabled: false, passwordSet: false });

    const bad = await admin.put('/notification-channels/email', {
      ...settingsBody(current.version),
      port: 70000,
      fromAddress: 'not-an-address',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['fromAddress', 'port']);
    expect((await admin.get('/notification-channels/email')).body.version).toBe(current.version);

    const saved = await admin.put('/notification-channels/email', settingsBody(current.version));
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toMatchObject({ enabled: true, host: '127.0.0.1', passwordSet: true });
    expect(JSON.stringify(saved.body)).not.toContain('smtp-pass-2026');

    const [audit] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entity, 'notification_settings'))
      .orderBy(sql`${auditLog.at} desc`)
      .limit(1);
    expect(audit!.changes.smtpPassword).toEqual({ from: '***', to: '***' });
    expect(JSON.stringify(audit!.changes)).not.toContain('smtp-pass-2026');

    // Changing other fields without a password keeps the stored one.
    const again = await admin.put('/notification-channels/email', {
      ...settingsBody(saved.body.version),
      password: undefined,
      fromName: '星辰销管',
    });
    expect(again.body).toMatchObject({ passwordSet: true, fromName: '星辰销管' });

    const stale = await admin.put('/notification-channels/email', settingsBody(saved.body.version));
    expect(stale.statusCode).toBe(409);

    expect((await rep01.get('/notification-channels/email')).statusCode).toBe(403);
  });

  it('mail goes out in the background, in each recipient’s language, only after the request', async () => {
    mails.length = 0;
    await send(
      ['rep01', 'rep02'],
      'test.quote.approved',
      { no: 'Q-2026-000100', approver: '王经理' },
      '/quotes/100',
    );
    // Nothing is sent inside the request's transaction.
    expect(mails).toHaveLength(0);
    expect(await drain()).toBeGreaterThanOrEqual(2);

    const toRep01 = mails.find((m) => m.to.includes('rep01@example.com'));
    const toRep02 = mails.find((m) => m.to.includes('rep02@example.com'));
    expect(toRep01?.subject).toBe('报价单 Q-2026-000100 已审批通过');
    expect(toRep02?.subject).toBe('Quote Q-2026-000100 approved');
    expect(headerOf(toRep01!.raw, 'From')).toContain('noreply@xingchen.example');
    // Links point at the app's address.
    expect(toRep02!.raw).toContain('https://crm.xingchen.example/quotes/100');

    const [d] = await deliveriesOf('rep01', 'test.quote.approved').then((ds) =>
      ds.filter((x) => x.channel === 'email' && x.status === 'sent'),
    );
    expect(d).toMatchObject({ attempts: 1, lastError: null });
  });

  it('a rep who turns email off for an event gets it in the app but not by mail', async () => {
    const prefs = await rep01.get('/notification-preferences');
    expect(prefs.body.items).toContainEqual({
      event: 'test.receivable.overdue',
      label: '应收逾期',
      inApp: true,
      email: true,
      webhook: true,
    });
    const saved = await rep01.put('/notification-preferences', {
      items: [{ event: 'test.receivable.overdue', inApp: true, email: false, webhook: true }],
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body.items.find((i: { event: string }) => i.event === 'test.receivable.overdue').email).toBe(
      false,
    );

    mails.length = 0;
    await send(['rep01', 'rep02'], 'test.receivable.overdue', { customer: '华东汽配', days: 12 });
    await drain();
    expect(mails.flatMap((m) => m.to)).toEqual(['rep02@example.com']);
    expect((await rep01.get('/notifications?unread=true')).body.items[0].title).toBe('应收款逾期：华东汽配');
    expect(await deliveriesOf('rep01', 'test.receivable.overdue')).toHaveLength(0);
  });

  it('a rep who turns the in-app channel off still gets the email, and nothing shows in the inbox', async () => {
    await rep02.put('/notification-preferences', {
      items: [{ event: 'test.receivable.overdue', inApp: false, email: true, webhook: false }],
    });
    const before = (await rep02.get('/notifications/unread-count')).body.count;
    mails.length = 0;
    await send(['rep02'], 'test.receivable.overdue', { customer: 'Huadong Parts', days: 3 });
    await drain();
    expect(mails).toHaveLength(1);
    expect((await rep02.get('/notifications/unread-count')).body.count).toBe(before);
  });

  it('rejects preferences for unknown events and writes nothing', async () => {
    const res = await rep01.put('/notification-preferences', {
      items: [
        { event: 'test.quote.approved', inApp: false, email: false, webhook: false },
        { event: 'no.such.event', inApp: true, email: true, webhook: true },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors[0].path).toBe('items.1.event');
    const prefs = (await rep01.get('/notification-preferences')).body.items;
    expect(prefs.find((p: { event: string }) => p.event === 'test.quote.approved').inApp).toBe(true);
  });
});

describe('chat robots', () => {
  const robotIds: Record<string, string> = {};

  it('the administrator adds WeCom, DingTalk and Feishu robots; URLs and secrets never come back', async () => {
    const specs = [
      { name: '销售群（企业微信）', kind: 'wecom', url: `${robotBase}/wecom/send?key=wecom-key-123` },
      {
        name: '销售群（钉钉）',
        kind: 'dingtalk',
        url: `${robotBase}/dingtalk/send?access_token=ding-token-456`,
        secret: 'SECding-secret',
      },
      {
        name: '销售群（飞书）',
        kind: 'feishu',
        url: `${robotBase}/feishu/hook/abc-789`,
        secret: 'feishu-secret',
      },
    ];
    for (const spec of specs) {
      const res = await admin.post('/notification-webhooks', { ...spec, events: ['system.test'] });
      expect(res.statusCode).toBe(201);
      expect(res.body.secretSet).toBe(spec.kind !== 'wecom');
      expect(JSON.stringify(res.body)).not.toMatch(/wecom-key-123|ding-token-456|abc-789|secret'/);
      robotIds[spec.kind] = res.body.id;
    }
    const listed = (await admin.get('/notification-webhooks')).body.items;
    expect(listed).toHaveLength(3);
    expect(JSON.stringify(listed)).not.toMatch(/ding-token-456|SECding-secret|feishu-secret/);
    const audits = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entity, 'notification_webhook'));
    expect(JSON.stringify(audits.map((a) => a.changes))).not.toMatch(
      /ding-token-456|SECding-secret|feishu-secret/,
    );

    const bad = await admin.post('/notification-webhooks', {
      name: 'x',
      kind: 'slack',
      url: 'ftp://example.com',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['kind', 'url']);
    const unknownEvent = await admin.post('/notification-webhooks', {
      name: 'x',
      kind: 'wecom',
      url: `${robotBase}/x`,
      events: ['nope'],
    });
    expect(unknownEvent.statusCode).toBe(400);
    expect((await admin.get('/notification-webhooks')).body.items).toHaveLength(3);
    expect((await rep01.post('/notification-webhooks', specs[0])).statusCode).toBe(403);
  });

  it("the administrator's test notification reaches each robot in its own format, signed", async () => {
    hits.length = 0;
    const started = Date.now();
    expect((await admin.post('/notifications/test')).statusCode).toBe(200);
    expect(hits).toHaveLength(0);
    await drain();

    const wecom = hits.find((h) => h.path === '/wecom/send')!;
    expect(wecom.query.get('key')).toBe('wecom-key-123');
    expect(wecom.body).toMatchObject({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('**测试通知**') },
    });
    expect((wecom.body.markdown as { content: string }).content).toContain(`${'管理员'}`);

    const ding = hits.find((h) => h.path === '/dingtalk/send')!;
    expect(ding.query.get('access_token')).toBe('ding-token-456');
    const ts = Number(ding.query.get('timestamp'));
    expect(ts).toBeGreaterThanOrEqual(started);
    const expected = createHmac('sha256', 'SECding-secret').update(`${ts}\nSECding-secret`).digest('base64');
    expect(ding.query.get('sign')).toBe(expected);
    expect(ding.body).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '测试通知', text: expect.stringContaining('#### 测试通知') },
    });

    const feishu = hits.find((h) => h.path === '/feishu/hook/abc-789')!;
    const fts = Number(feishu.body.timestamp);
    expect(Math.abs(fts - Math.floor(started / 1000))).toBeLessThan(60);
    const fsign = createHmac('sha256', `${fts}\nfeishu-secret`).update('').digest('base64');
    expect(feishu.body).toMatchObject({
      sign: fsign,
      msg_type: 'text',
      content: { text: expect.stringContaining('测试通知') },
    });

    const deliveries = (await admin.get('/notification-deliveries?channel=webhook&status=sent')).body;
    expect(deliveries.items.filter((d: { event: string }) => d.event === 'system.test')).toHaveLength(3);
  });

  it('a robot that answers 500 is retried with growing delays, then shown failed; the admin retries it once it is back', async () => {
    const broken = await admin.post('/notification-webhooks', {
      name: '坏掉的机器人',
      kind: 'dingtalk',
      url: `${robotBase}/broken`,
      events: ['test.receivable.overdue'],
    });
    expect(broken.statusCode).toBe(201);
    brokenStatus = 500;
    await send(['rep03'], 'test.receivable.overdue', { customer: '西南汽贸', days: 30 });
    const [queued] = await deliveriesOf('rep03', 'test.receivable.overdue', 'webhook');
    expect(queued).toMatchObject({ channel: 'webhook', status: 'pending', attempts: 0 });

    await drain();
    let [d] = await deliveriesOf('rep03', 'test.receivable.overdue', 'webhook');
    expect(d).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: expect.stringContaining('HTTP 500'),
    });
    const gap = (x: typeof d) => (x!.nextAttemptAt!.getTime() - x!.lastAttemptAt!.getTime()) / 1000;
    expect(gap(d)).toBeCloseTo(60, -1);
    // Not due yet: a second run does nothing.
    await drain();
    expect((await deliveriesOf('rep03', 'test.receivable.overdue', 'webhook'))[0]!.attempts).toBe(1);

    const gaps = [gap(d)];
    for (let attempt = 2; attempt <= 5; attempt++) {
      await timePasses();
      await drain();
      [d] = await deliveriesOf('rep03', 'test.receivable.overdue', 'webhook');
      expect(d!.attempts).toBe(attempt);
      if (attempt < 5) gaps.push(gap(d));
    }
    expect(gaps.map(Math.round)).toEqual([60, 300, 1500, 7500]);
    expect(d).toMatchObject({ status: 'failed', attempts: 5, nextAttemptAt: null });
    expect(hits.filter((h) => h.path === '/broken')).toHaveLength(5);

    const failed = (await admin.get('/notification-deliveries?status=failed')).body;
    const row = failed.items.find((x: { id: string }) => x.id === d!.id);
    expect(row).toMatchObject({
      channel: 'webhook',
      webhookName: '坏掉的机器人',
      recipientName: expect.any(String),
      title: '应收款逾期：西南汽贸',
      attempts: 5,
      lastError: expect.stringContaining('HTTP 500'),
    });

    brokenStatus = 200;
    const retried = await admin.post(`/notification-deliveries/${d!.id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.body.status).toBe('pending');
    await drain();
    [d] = await deliveriesOf('rep03', 'test.receivable.overdue', 'webhook');
    expect(d).toMatchObject({ status: 'sent', attempts: 6 });

    const twice = await admin.post(`/notification-deliveries/${d!.id}/retry`);
    expect(twice.statusCode).toBe(409);
    expect(twice.body.code).toBe('delivery_already_sent');
    expect((await rep01.post(`/notification-deliveries/${d!.id}/retry`)).statusCode).toBe(403);
    const audits = await t.database.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'notification_delivery'), eq(auditLog.action, 'retry')));
    expect(audits[0]!.n).toBe(1);
  });

  it('a rep who turns robot messages off is not mentioned in the group', async () => {
    await rep01.put('/notification-preferences', {
      items: [{ event: 'system.test', inApp: true, email: false, webhook: false }],
    });
    hits.length = 0;
    await send(['rep01'], 'system.test', { name: 'rep01' });
    await drain();
    expect(hits).toHaveLength(0);
  });
});

function settingsBody(version: number) {
  return {
    enabled: true,
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    username: 'mailer',
    password: 'smtp-pass-2026',
    fromAddress: 'noreply@xingchen.example',
    fromName: '',
    appUrl: 'https://crm.xingchen.example/',
    version,
  };
}
