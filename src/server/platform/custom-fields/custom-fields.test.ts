import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../../modules/customers/schema.js';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../testing/app.js';
import { mergeCustomValues } from './custom-fields.js';
import { customFields } from './schema.js';

let t: TestApp;
let admin: Client;
let rep: Client;
const customerCount = async () => (await t.database.db.select({ n: count() }).from(customers))[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  admin = await setupCompany(t.app);
  rep = await as(t.app, 'rep01');
});
afterAll(() => t.close());

describe('checking values (pure)', () => {
  const fields = [
    {
      key: 'level',
      type: 'select' as const,
      options: [{ value: 'a', zh: '一级', en: 'Tier 1' }],
      required: true,
      active: true,
    },
    { key: 'volume', type: 'number' as const, options: [], required: false, active: true },
    { key: 'since', type: 'date' as const, options: [], required: false, active: true },
    { key: 'old', type: 'text' as const, options: [], required: true, active: false },
  ];

  it('merges into the stored values; an empty value removes the key; archived fields are neither known nor required', () => {
    const { values, errors } = mergeCustomValues(
      fields,
      { volume: 12.5, since: '' },
      { level: 'a', since: '2025-01-01', old: 'x' },
    );
    expect(errors).toEqual([]);
    expect(values).toEqual({ level: 'a', volume: 12.5, old: 'x' });
  });

  it('lists every bad field at once', () => {
    const { errors } = mergeCustomValues(fields, {
      level: 'z',
      volume: '12',
      since: '2025-02-30',
      old: 'y',
      extra: 1,
    });
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ['customFields.level', 'oneOf'],
      ['customFields.volume', 'type'],
      ['customFields.since', 'format'],
      ['customFields.old', 'unknownField'],
      ['customFields.extra', 'unknownField'],
    ]);
    expect(mergeCustomValues(fields, {}).errors).toEqual([
      { path: 'customFields.level', message: 'required' },
    ]);
  });
});

describe('an administrator adds fields and the forms use them', () => {
  it('a customer field: values checked on save, required enforced, archived fields keep their values', async () => {
    const level = await admin.post('/custom-fields', {
      entity: 'customer',
      key: 'dealer_level',
      labelZh: '经销商级别',
      labelEn: 'Dealer level',
      type: 'select',
      options: [
        { value: 'tier1', zh: '一级经销商', en: 'Tier-1 dealer' },
        { value: 'tier2', zh: '二级经销商', en: 'Tier-2 dealer' },
      ],
      required: true,
    });
    expect(level.statusCode).toBe(201);
    const volume = await admin.post('/custom-fields', {
      entity: 'customer',
      key: 'annual_units',
      labelZh: '年采购量（台）',
      labelEn: 'Units bought a year',
      type: 'number',
      sortOrder: 2,
    });
    expect(volume.statusCode).toBe(201);
    // Everyone reads them (the forms need them); only an administrator changes them.
    const listed = (await rep.get('/custom-fields?entity=customer')).body.items;
    expect(listed.map((f: { key: string }) => f.key)).toEqual(['dealer_level', 'annual_units']);
    expect(
      (
        await rep.post('/custom-fields', {
          entity: 'customer',
          key: 'x',
          labelZh: 'x',
          labelEn: 'x',
          type: 'text',
        })
      ).statusCode,
    ).toBe(403);

    const before = await customerCount();
    const bad = await rep.post('/customers', {
      name: '嘉兴宏达汽贸有限公司',
      customFields: { dealer_level: 'tier9', annual_units: 'many', color: 'red' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'customFields.annual_units',
      'customFields.color',
      'customFields.dealer_level',
    ]);
    expect(bad.body.errors.find((e: { path: string }) => e.path === 'customFields.color').message).toBe(
      '未知字段',
    );
    const missing = await rep.post('/customers', {
      name: '嘉兴宏达汽贸有限公司',
      customFields: { annual_units: 40 },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body.errors).toEqual([
      expect.objectContaining({ path: 'customFields.dealer_level', message: '必填' }),
    ]);
    expect(await customerCount()).toBe(before);

    const created = await rep.post('/customers', {
      name: '嘉兴宏达汽贸有限公司',
      customFields: { dealer_level: 'tier2', annual_units: 40 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.body.customFields).toEqual({ dealer_level: 'tier2', annual_units: 40 });
    // A change sends only what changed; an empty value clears an optional field.
    const updated = await rep.patch(`/customers/${created.body.id}`, {
      customFields: { annual_units: null },
      version: created.body.version,
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.body.customFields).toEqual({ dealer_level: 'tier2' });

    // Archived: no longer on the forms nor accepted, but the stored value stays.
    const archived = await admin.patch(`/custom-fields/${level.body.id}`, { active: false, version: 1 });
    expect(archived.body.active).toBe(false);
    expect((await rep.get('/custom-fields?entity=customer')).body.items).toHaveLength(1);
    const again = await rep.patch(`/customers/${created.body.id}`, {
      customFields: { dealer_level: 'tier1' },
      version: updated.body.version,
    });
    expect(again.statusCode).toBe(400);
    expect((await rep.get(`/customers/${created.body.id}`)).body.customFields).toEqual({
      dealer_level: 'tier2',
    });
    const history = (await admin.get(`/audit-log?entity=custom_field&entityId=${level.body.id}`)).body.items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['create', 'update']),
    );
  });

  it('a required lead field binds the lead form, not reception or web-to-lead captures', async () => {
    await admin.post('/custom-fields', {
      entity: 'lead',
      key: 'budget',
      labelZh: '预算（万元）',
      labelEn: 'Budget (10k yuan)',
      type: 'number',
      required: true,
    });
    const form = await rep.post('/leads', { personName: '周先生', mobile: '13900007777', customFields: {} });
    expect(form.statusCode).toBe(400);
    const ok = await rep.post('/leads', {
      personName: '周先生',
      mobile: '13900007777',
      customFields: { budget: 25 },
    });
    expect(ok.body.customFields).toEqual({ budget: 25 });
    const assistant = await as(t.app, 'assistant01');
    const walkIn = await assistant.post('/leads/walk-in', {
      visitedAt: new Date().toISOString(),
      personName: '吴女士',
      mobile: '13900008888',
      partySize: 2,
      interest: '看车',
    });
    expect(walkIn.statusCode).toBe(201);
  });

  it('refuses a key twice, a select without options, options on a text field, a bad key', async () => {
    const base = { entity: 'customer', labelZh: '渠道', labelEn: 'Channel' };
    expect((await admin.post('/custom-fields', { ...base, key: 'channel', type: 'text' })).statusCode).toBe(
      201,
    );
    const twice = await admin.post('/custom-fields', { ...base, key: 'channel', type: 'text' });
    expect(twice.statusCode).toBe(409);
    const noOptions = await admin.post('/custom-fields', { ...base, key: 'channel2', type: 'select' });
    expect(noOptions.statusCode).toBe(400);
    expect(noOptions.body.errors[0].path).toBe('options');
    const textOptions = await admin.post('/custom-fields', {
      ...base,
      key: 'channel3',
      type: 'text',
      options: [{ value: 'a', zh: 'a', en: 'a' }],
    });
    expect(textOptions.statusCode).toBe(400);
    expect((await admin.post('/custom-fields', { ...base, key: '2bad key', type: 'text' })).statusCode).toBe(
      400,
    );
    const rows = await t.database.db.select().from(customFields).where(eq(customFields.key, 'channel2'));
    expect(rows).toHaveLength(0);
  });
});
