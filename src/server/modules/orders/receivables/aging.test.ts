import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { makeCustomer } from '../../customers/activities.fixtures.js';
import { issuedInvoice } from './receivables.fixtures.js';

// The aging report at scale: keyset pages of `limit` rows, largest overdue first, with the totals
// of the whole filter (computed in SQL) on every page, and the scope applied to rows and totals.

let t: TestApp;
let finance: Client;
let rep01: Client;
const BUCKETS = ['notDue', 'd1_30', 'd31_60', 'd61_90', 'over90', 'overdue', 'unapplied', 'balance'] as const;
type Row = Record<(typeof BUCKETS)[number], number> & {
  key: string;
  name: string;
  customerId: string | null;
};
type Report = { asOf: string; items: Row[]; nextCursor: string | null; total: number; totals: Row };

/** Every page of a report, following nextCursor. */
async function allPages(client: Client, query: string, limit: number) {
  const pages: Report[] = [];
  let cursor: string | null = null;
  do {
    const res = await client.get(
      `/receivables/aging?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.statusCode).toBe(200);
    pages.push(res.body as Report);
    cursor = (res.body as Report).nextCursor;
  } while (cursor && pages.length < 100);
  return pages;
}

const sum = (rows: Row[], k: (typeof BUCKETS)[number]) => rows.reduce((s, r) => s + r[k], 0);

beforeAll(async () => {
  t = await createTestApp();
  await setupCompany(t.app);
  finance = await as(t.app, 'finance01');
  rep01 = await as(t.app, 'rep01');
  const db = t.database.db;
  // 7 customers of rep01 and 5 of rep07 (another team), each with invoices in several buckets;
  // two customers share the same overdue amount (the keyset must break the tie by key).
  for (let i = 0; i < 12; i++) {
    const owner = i < 7 ? 'rep01' : 'rep07';
    const c = await makeCustomer(db, { name: `账龄分页客户${String(i).padStart(2, '0')}`, owner });
    await issuedInvoice(db, c.id, owner, 10_000 * (i + 1), -10); // not due
    await issuedInvoice(db, c.id, owner, i === 3 || i === 4 ? 50_000 : 1_000 * (i + 1), 20 + i * 10);
    if (i % 3 === 0) await issuedInvoice(db, c.id, owner, 7_000, 120);
  }
});
afterAll(() => t.close());

describe('aging report, paged', () => {
  it('finance pages through 3 rows at a time: largest overdue first, no row twice, totals = Σ of all pages on every page', async () => {
    const pages = await allPages(finance, 'by=customer&q=账龄分页客户', 3);
    const rows = pages.flatMap((p) => p.items);
    expect(pages.length).toBe(4);
    expect(pages.every((p) => p.items.length <= 3)).toBe(true);
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.key)).size).toBe(12);
    expect(pages.every((p) => p.total === 12)).toBe(true);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    // Sorted by overdue, largest first; ties by key (descending, like the overdue).
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(a.overdue > b.overdue || (a.overdue === b.overdue && a.key > b.key)).toBe(true);
    }
    for (const p of pages) {
      for (const k of BUCKETS) expect(p.totals[k]).toBe(sum(rows, k));
    }
    for (const r of rows) {
      expect(r.overdue).toBe(r.d1_30 + r.d31_60 + r.d61_90 + r.over90);
      expect(r.balance).toBe(r.notDue + r.overdue - r.unapplied);
    }
    // Σ not due = Σ 10,000 × (i + 1) for i < 12.
    expect(pages[0]!.totals.notDue).toBe(780_000);
  });

  it('by owner and by team the totals are the same money; sort by name and by balance page too', async () => {
    const byCustomer = (await allPages(finance, 'by=customer&q=账龄分页客户', 50))[0]!;
    for (const sort of ['name', '-balance']) {
      const rows = (await allPages(finance, `by=customer&q=账龄分页客户&sort=${sort}`, 5)).flatMap(
        (p) => p.items,
      );
      expect(rows.map((r) => r.key).sort()).toEqual(byCustomer.items.map((r) => r.key).sort());
      if (sort === 'name') expect(rows.map((r) => r.name)).toEqual(rows.map((r) => r.name).sort());
      else for (let i = 1; i < rows.length; i++) expect(rows[i - 1]!.balance >= rows[i]!.balance).toBe(true);
    }
    const all = (await allPages(finance, 'by=customer', 500))[0]!;
    for (const by of ['owner', 'team']) {
      const grouped = await allPages(finance, `by=${by}`, 1);
      expect(grouped[0]!.totals).toEqual(all.totals);
      expect(
        sum(
          grouped.flatMap((p) => p.items),
          'balance',
        ),
      ).toBe(all.totals.balance);
    }
  });

  it('overdue only leaves out rows with nothing past due; the filter narrows the totals too', async () => {
    const db = t.database.db;
    const fresh = await makeCustomer(db, { name: '账龄分页客户未到期', owner: 'rep01' });
    await issuedInvoice(db, fresh.id, 'rep01', 99_000, -5);
    const everything = (await allPages(finance, 'q=账龄分页客户', 50))[0]!;
    const overdue = (await allPages(finance, 'q=账龄分页客户&overdueOnly=true', 50))[0]!;
    expect(everything.total).toBe(13);
    expect(overdue.total).toBe(12);
    expect(overdue.items.some((r) => r.customerId === fresh.id)).toBe(false);
    expect(everything.totals.notDue - overdue.totals.notDue).toBe(99_000);
    const notOverdue = (await allPages(finance, 'q=账龄分页客户&overdueOnly=false', 50))[0]!;
    expect(notOverdue.total).toBe(13);
  });

  it("a rep sees only own customers' rows, and the totals are theirs alone", async () => {
    const mine = await allPages(rep01, 'by=customer&q=账龄分页客户', 2);
    const rows = mine.flatMap((p) => p.items);
    expect(rows.length).toBe(8); // 7 + the not-due one added above
    expect(rows.every((r) => Number(r.name.replace(/\D/g, '') || '0') < 7 || r.name.endsWith('未到期'))).toBe(
      true,
    );
    for (const k of BUCKETS) expect(mine[0]!.totals[k]).toBe(sum(rows, k));
    const company = (await allPages(finance, 'by=customer&q=账龄分页客户', 50))[0]!;
    expect(mine[0]!.totals.balance).toBeLessThan(company.totals.balance);
  });

  it('a cursor past the end answers no rows but the totals; bad cursors and sorts are 400, nothing else', async () => {
    const pages = await allPages(finance, 'q=账龄分页客户', 13);
    expect(pages).toHaveLength(1);
    const lastKey = pages[0]!.items.at(-1)!;
    const past = Buffer.from(JSON.stringify([lastKey.overdue, lastKey.key])).toString('base64url');
    const end = await finance.get(`/receivables/aging?q=账龄分页客户&cursor=${past}`);
    expect(end.statusCode).toBe(200);
    expect(end.body.items).toEqual([]);
    expect(end.body.total).toBe(13);
    expect(end.body.totals).toEqual(pages[0]!.totals);

    const bad = await finance.get('/receivables/aging?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.body.code ?? bad.body.type).toMatch(/bad_cursor/);
    // A name cursor on the overdue sort does not decode as one.
    const wrongKind = Buffer.from(JSON.stringify(['abc', 'x'])).toString('base64url');
    expect((await finance.get(`/receivables/aging?cursor=${wrongKind}`)).statusCode).toBe(400);
    expect((await finance.get('/receivables/aging?sort=-name')).statusCode).toBe(400);
    expect((await finance.get('/receivables/aging?limit=501')).statusCode).toBe(400);
  });

  it('the Excel/CSV export writes every row of the filter, not one page, within the scope', async () => {
    const csv = await finance.get(
      `/receivables/aging/export?format=csv&q=${encodeURIComponent('账龄分页客户')}`,
    );
    expect(csv.statusCode, csv.payload).toBe(200);
    const names = csv.payload.match(/账龄分页客户[0-9未到期]+/g) ?? [];
    expect(new Set(names).size).toBe(13);
    const own = await rep01.get(
      `/receivables/aging/export?format=csv&q=${encodeURIComponent('账龄分页客户')}`,
    );
    expect(new Set(own.payload.match(/账龄分页客户[0-9未到期]+/g) ?? []).size).toBe(8);
    const xlsx = await finance.get('/receivables/aging/export?format=xlsx&by=team');
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
  });
});
