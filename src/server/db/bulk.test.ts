import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../modules/customers/schema.js';
import { orgUnits } from '../modules/org/schema.js';
import { createTestApp, setupCompany, type TestApp } from '../testing/app.js';
import { bulkInsert } from './bulk.js';

describe('bulk insert for generators', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await setupCompany(t.app);
  });
  afterAll(() => t.close());

  it('writes every row with its values mapped as a normal insert would, ids generated', async () => {
    const at = new Date('2026-03-01T02:03:04.005Z');
    const [unit] = await t.database.db.select({ id: orgUnits.id }).from(orgUnits).limit(1);
    const rows = Array.from({ length: 5003 }, (_, i) => ({
      name: `批量客户 ${i}`,
      nameKey: `批量客户${i}`,
      namePinyin: `piliangkehu${i}`,
      nameInitials: 'plkh',
      orgUnitId: unit!.id,
      customFields: { 等级: i, 标签: ['x'] },
      tags: i % 2 ? ['甲', 'b"c'] : [],
      createdAt: at,
      updatedAt: at,
    }));
    await bulkInsert(t.database.db, customers, rows as never);
    const [count] = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(customers)
      .where(sql`${customers.name} like '批量客户 %'`);
    expect(count!.n).toBe(5003);
    const [one] = await t.database.db.select().from(customers).where(eq(customers.name, '批量客户 1'));
    expect(one!.createdAt.toISOString()).toBe(at.toISOString());
    expect(one!.version).toBe(1);
    expect(one!.tags).toEqual(['甲', 'b"c']);
    expect(one!.customFields).toEqual({ 等级: 1, 标签: ['x'] });
    expect(one!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives a column a row leaves out its default, as a normal insert would', async () => {
    const [unit] = await t.database.db.select({ id: orgUnits.id }).from(orgUnits).limit(1);
    const base = { nameKey: 'k', namePinyin: 'p', nameInitials: 'i', orgUnitId: unit!.id };
    await bulkInsert(t.database.db, customers, [
      { ...base, name: '缺省甲' },
      { ...base, name: '缺省乙', kind: 'individual', tags: ['x'] },
    ] as never);
    const rows = await t.database.db
      .select({ name: customers.name, kind: customers.kind, tags: customers.tags })
      .from(customers)
      .where(sql`${customers.name} like '缺省%'`)
      .orderBy(customers.name);
    expect(rows).toEqual([
      { name: '缺省乙', kind: 'individual', tags: ['x'] },
      { name: '缺省甲', kind: 'company', tags: [] },
    ]);
  });
});
