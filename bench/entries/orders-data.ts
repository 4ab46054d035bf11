import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/server/db/client.js';
import type { BenchContext } from '../lib/entry.js';
import { ensureStock } from './stock-data.js';

// Sales orders at bench size (issue 7 item 12): the order-create entry orders for a pool of
// customers owned by rep01 (so rep01, scope own, may order for them), no credit limit (the credit
// check still sums the exposure: open orders and open invoices), from the bench stock (300
// products × 5 locations, 200–1,000 each: a 3-line order of 1 each never runs it out).

export const ORDER_CUSTOMERS = 200;
export const ORDER_REP = 'rep01';

export interface OrdersBenchData {
  customerIds: string[];
  productIds: string[];
  warehouseIds: string[];
  rep: { id: string; orgUnitId: string };
}

let built: Promise<OrdersBenchData> | undefined;

async function build(ctx: BenchContext): Promise<OrdersBenchData> {
  const stock = await ensureStock(ctx);
  const db = ctx.database.db;
  const [rep] = await queryRows<{ id: string; org_unit_id: string }>(
    db,
    sql`select id, org_unit_id from users where username = ${ORDER_REP}`,
  );
  if (!rep) throw new Error(`${ORDER_REP} is not in the bench company`);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into customers (id, name, name_key, name_pinyin, name_initials, grade, lifecycle, owner_id, org_unit_id)
        select gen_random_uuid(), '订单压测客户' || k || '有限公司', '订单压测客户' || k, 'dingdanyaceke' || k, 'ddycke' || k,
               'A', 'active', ${rep.id}::uuid, ${rep.org_unit_id}::uuid
          from generate_series(1, ${ORDER_CUSTOMERS}) as k
        returning id`,
  );
  await db.execute(sql`analyze customers`);
  return {
    customerIds: rows.map((r) => r.id),
    productIds: stock.productIds,
    warehouseIds: stock.warehouseIds,
    rep: { id: rep.id, orgUnitId: rep.org_unit_id },
  };
}

export function ensureOrders(ctx: BenchContext): Promise<OrdersBenchData> {
  built ??= build(ctx);
  return built;
}
