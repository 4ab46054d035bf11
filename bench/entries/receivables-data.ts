import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../src/server/db/client.js';
import type { DemoResult } from '../../src/server/demo/index.js';
import type { BenchContext } from '../lib/entry.js';

// Receivables at bench size (issue 7 item 12: the aging report at 1,000,000 invoices), shared by
// the receivables entries. Everything is bulk-inserted with generate_series on the server, in
// chunks, with ids derived from the row number (md5(tag || n) as a v4 UUID) so that payments and their
// allocations are written from the same series without reading the invoices back:
// - 20,000 customers owned by every demo rep (their team as org unit);
// - issued invoices spread over them, issued over the last 18 months with 30-day terms; older
//   invoices are mostly paid, recent ones mostly open; every paid or partially paid invoice has
//   one receipt and one allocation of the same amount (paid_amount = Σ allocations);
// - 2% of the invoices carry a credit note of a tenth of their total (credited_amount = its total);
// - every 25th customer has an unapplied receipt of ¥500.
// PostgreSQL gets 1,000,000 invoices; PGlite (WebAssembly, one core) a smaller count unless
// XG_BENCH_INVOICES says otherwise, printed with the figures.

export const BENCH_AR_CUSTOMERS = 20_000;
const PGLITE_INVOICES = 200_000;
const POSTGRES_INVOICES = 1_000_000;

export interface ReceivablesBenchData {
  customers: number;
  invoices: number;
  payments: number;
  creditNotes: number;
  seconds: number;
  /** Deterministic customer ids, for random balance look-ups. */
  customerIds: string[];
}

let built: Promise<ReceivablesBenchData> | undefined;

const uuids = (values: string[]) => sql.raw(`array[${values.map((v) => `'${v}'`).join(',')}]::uuid[]`);

/** The id the generator gives row `n` of a kind: an md5 made a valid v4 UUID (the API checks ids). */
const idSql = (tag: string, n: SQL) =>
  sql`overlay(overlay(md5(${sql.raw(`'xg-bench-${tag}-'`)} || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;

/**
 * Row `n` of the series as an invoice: its customer, dates, total and how much of it is paid
 * (share of total − credited: 100, 40 or 0 %, by age) — one SELECT reused by each insert.
 */
function invoiceParts(from: number, to: number, customers: number, owners: number) {
  return sql`
    select n, k, (1 + k % ${owners})::int as owner_slot, age,
      current_date - age as issue_date, current_date - age + 30 as due_date,
      total, (total * 13 / 113)::bigint as tax_total, credited,
      ((total - credited) * (case
          when age > 120 then case when h < 90 then 100 when h < 95 then 40 else 0 end
          when age > 30 then case when h < 50 then 100 when h < 70 then 40 else 0 end
          else case when h < 10 then 100 when h < 20 then 40 else 0 end end) / 100)::bigint as paid,
      h
    from (
      select n, k, age, h, total,
        case when n % 50 = 7 then total / 10 else 0 end::bigint as credited
      from (
        select n,
          ((n::bigint * 7919) % ${customers})::int as k,
          (5 + (n::bigint * 37) % 540)::int as age,
          ((n::bigint * 104729) % 100)::int as h,
          (100000 + (n::bigint * 9973) % 5000000)::bigint as total
        from generate_series(${from}::int, ${to}::int) as n) a) b`;
}

async function build(db: Db, demo: DemoResult, invoiceCount: number): Promise<ReceivablesBenchData> {
  const started = performance.now();
  const owners = demo.org.regions.flatMap((r) =>
    r.teams.flatMap((t) => t.repIds.map((id) => [id, t.id] as const)),
  );
  const ownerIds = uuids(owners.map(([id]) => id));
  const unitIds = uuids(owners.map(([, unit]) => unit));
  const C = BENCH_AR_CUSTOMERS;

  await db.execute(sql`
    insert into customers (id, name, name_key, name_pinyin, name_initials, grade, lifecycle, owner_id, org_unit_id)
    select ${idSql('cust', sql`k`)}, '应收压测客户' || k || '有限公司', '应收压测客户' || k,
      'yingshouyaceke' || k, 'ysycke' || k, 'B', 'active',
      (${ownerIds})[1 + k % ${owners.length}], (${unitIds})[1 + k % ${owners.length}]
    from generate_series(0, ${C - 1}) as k`);

  const chunk = 100_000;
  for (let from = 0; from < invoiceCount; from += chunk) {
    const to = Math.min(invoiceCount, from + chunk) - 1;
    const parts = invoiceParts(from, to, C, owners.length);
    await db.execute(sql`
      insert into invoices (id, number, type, customer_id, buyer_title, total, tax_total, credited_amount,
        paid_amount, payment_terms_days, issue_date, due_date, state, issued_at, owner_id, org_unit_id,
        created_at, updated_at)
      select ${idSql('inv', sql`n`)}, 'INV-B-' || lpad(n::text, 7, '0'), 'general', ${idSql('cust', sql`k`)},
        '应收压测客户' || k || '有限公司', total, tax_total, credited, paid, 30, issue_date, due_date,
        case when paid = 0 then 'issued' when paid = total - credited then 'paid' else 'partially_paid' end,
        issue_date::timestamp at time zone 'Asia/Shanghai',
        (${ownerIds})[owner_slot], (${unitIds})[owner_slot],
        issue_date::timestamp at time zone 'Asia/Shanghai', issue_date::timestamp at time zone 'Asia/Shanghai'
      from (${parts}) p`);
    await db.execute(sql`
      insert into payments (id, number, kind, customer_id, amount, method, received_date, payer_name,
        owner_id, org_unit_id, created_at, updated_at)
      select ${idSql('pay', sql`n`)}, 'PAY-B-' || lpad(n::text, 7, '0'), 'receipt', ${idSql('cust', sql`k`)},
        paid, 'bank_transfer', least(due_date + (h % 40) - 10, current_date),
        '应收压测客户' || k || '有限公司', (${ownerIds})[owner_slot], (${unitIds})[owner_slot],
        least(due_date + (h % 40) - 10, current_date)::timestamp at time zone 'Asia/Shanghai',
        least(due_date + (h % 40) - 10, current_date)::timestamp at time zone 'Asia/Shanghai'
      from (${parts}) p where paid > 0`);
    await db.execute(sql`
      insert into payment_allocations (id, payment_id, customer_id, invoice_id, amount, created_at)
      select ${idSql('alloc', sql`n`)}, ${idSql('pay', sql`n`)}, ${idSql('cust', sql`k`)}, ${idSql('inv', sql`n`)},
        paid, least(due_date + (h % 40) - 10, current_date)::timestamp at time zone 'Asia/Shanghai'
      from (${parts}) p where paid > 0`);
    await db.execute(sql`
      insert into credit_notes (id, number, invoice_id, customer_id, reason, total, tax_total, issue_date,
        owner_id, org_unit_id)
      select ${idSql('cn', sql`n`)}, 'CN-B-' || lpad(n::text, 7, '0'), ${idSql('inv', sql`n`)},
        ${idSql('cust', sql`k`)}, '折让', credited, (credited * 13 / 113)::bigint, issue_date + 5,
        (${ownerIds})[owner_slot], (${unitIds})[owner_slot]
      from (${parts}) p where credited > 0`);
  }
  // Unapplied cash: a receipt of ¥500 with no allocation for every 25th customer.
  await db.execute(sql`
    insert into payments (id, number, kind, customer_id, amount, method, received_date, owner_id, org_unit_id)
    select ${idSql('unapplied', sql`k`)}, 'PAY-BU-' || lpad(k::text, 6, '0'), 'receipt', ${idSql('cust', sql`k`)},
      50000, 'bank_transfer', current_date - 3, (${ownerIds})[1 + k % ${owners.length}],
      (${unitIds})[1 + k % ${owners.length}]
    from generate_series(0, ${C - 1}, 25) as k`);
  // VACUUM as autovacuum would have long done on tables of that age: it sets the visibility map
  // that index-only scans (invoices_open_idx, the per-customer amount indexes) rely on.
  for (const table of ['customers', 'invoices', 'payments', 'payment_allocations', 'credit_notes'])
    await db.execute(sql.raw(`vacuum analyze ${table}`));

  const [row] = await queryRows<{ invoices: number; payments: number; credit_notes: number; ids: string[] }>(
    db,
    sql`select (select count(*) from invoices where number like 'INV-B-%')::int as invoices,
               (select count(*) from payments where number like 'PAY-B%')::int as payments,
               (select count(*) from credit_notes where number like 'CN-B-%')::int as credit_notes,
               (select array_agg(id::text) from customers where name_key like '应收压测客户%') as ids`,
  );
  return {
    customers: C,
    invoices: Number(row!.invoices),
    payments: Number(row!.payments),
    creditNotes: Number(row!.credit_notes),
    seconds: (performance.now() - started) / 1000,
    customerIds: row!.ids,
  };
}

/** How many invoices this engine gets (XG_BENCH_INVOICES overrides). */
export function invoiceCountFor(ctx: BenchContext): number {
  const override = Number(process.env.XG_BENCH_INVOICES);
  if (Number.isInteger(override) && override > 0) return override;
  return ctx.database.kind === 'postgres' ? POSTGRES_INVOICES : PGLITE_INVOICES;
}

/** Builds the receivables once, for whichever receivables entry runs first. */
export function ensureReceivables(ctx: BenchContext): Promise<ReceivablesBenchData> {
  built ??= build(ctx.database.db, ctx.demo, invoiceCountFor(ctx)).then((data) => {
    console.error(
      `[bench] receivables: ${data.invoices.toLocaleString('en-US')} issued invoices, ${data.payments.toLocaleString('en-US')} receipts, ${data.creditNotes.toLocaleString('en-US')} credit notes over ${data.customers.toLocaleString('en-US')} customers, in ${data.seconds.toFixed(1)} s`,
    );
    return data;
  });
  return built;
}
