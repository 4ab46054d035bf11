import { base, en, Faker, zh_CN } from '@faker-js/faker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { hasValidVinCheckDigit } from './rules.js';
import { unitProjects, units } from './schema.js';
import { seedUnitsDemo } from './units.demo.js';

let t: TestApp;
let admin: Client;
const now = new Date('2026-05-15T02:00:00Z');

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app, 'empty');
  const faker = new Faker({ locale: [zh_CN, en, base], seed: 20260515 });
  await t.database.db.transaction(async (tx) => {
    expect(await seedUnitsDemo(tx as never, faker, { now })).toEqual({ projects: 2, units: 270 });
  });
  admin = await as(t.app, ADMIN.username, ADMIN.password);
});
afterAll(() => t.close());

describe('the demo release-control project', () => {
  it('has 2 buildings × 20 floors × 6 units in the grid, top floor first', async () => {
    const [p] = await t.database.db.select().from(unitProjects).where(eq(unitProjects.code, 'JWF'));
    const grid = (await admin.get(`/unit-projects/${p!.id}/grid`)).body;
    expect(grid.buildings.map((b: { building: string }) => b.building)).toEqual(['1号楼', '2号楼']);
    for (const b of grid.buildings) {
      expect(b.floors).toHaveLength(20);
      expect(b.floors[0].floor).toBe(20);
      expect(b.floors[0].cells).toHaveLength(6);
    }
    // stage 1 is mostly sold, stage 2 mostly available
    const [b1, b2] = grid.buildings;
    expect(b1.counts.sold).toBeGreaterThan(b1.counts.available);
    expect(b2.counts.available).toBeGreaterThan(b2.counts.sold);
    // a corner on a high floor is a better grade and dearer per m² than an inner unit low down
    const top = b1.floors[0].cells;
    const low = b1.floors[19].cells;
    expect(top[0].grade).toBe('A');
    expect(low[2].grade).toBe('C');
    expect(top[0].unitPrice).toBeGreaterThan(low[2].unitPrice);
  });

  it('shows a sell-through by grade for the running stage', async () => {
    const [p] = await t.database.db.select().from(unitProjects).where(eq(unitProjects.code, 'JWF'));
    const st = (await admin.get(`/unit-projects/${p!.id}/sell-through?date=2026-05-15`)).body;
    expect(st.stage.code).toBe('S2');
    expect(st.grades.map((g: { grade: string }) => g.grade)).toEqual(['A', 'B', 'C']);
    expect(st.grades.reduce((s: number, g: { total: number }) => s + g.total, 0)).toBe(120);
    const suggestion = (grade: string) =>
      st.grades.find((g: { grade: string; suggestion: string }) => g.grade === grade).suggestion;
    expect(suggestion('A')).toBe('suggest_raise_or_hold');
    expect(suggestion('C')).toBe('alert_review');
  });

  it('registers vans with valid VINs', async () => {
    const vans = await t.database.db.select().from(units).where(eq(units.kind, 'vehicle'));
    expect(vans).toHaveLength(30);
    expect(vans.every((v) => v.vin && hasValidVinCheckDigit(v.vin))).toBe(true);
  });
});
