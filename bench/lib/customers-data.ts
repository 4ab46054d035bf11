import { sql } from 'drizzle-orm';
import type { Db } from '../../src/server/db/client.js';
import type { DemoResult } from '../../src/server/demo/index.js';
import { pinyinOf } from '../../src/server/modules/customers/dedupe.js';

// Name parts: city + core + trade + 有限公司 (e.g. 上海申华贸易有限公司). Their pinyin comes from the
// app's own dedupe keys, so generated customers search by name, pinyin and initials as real ones do.
const CITIES = ['上海', '北京', '广州', '深圳', '杭州', '南京', '苏州', '成都', '武汉', '西安'];
const CORES = [
  '申华',
  '宏达',
  '华信',
  '永泰',
  '金桥',
  '天成',
  '恒远',
  '联创',
  '鑫源',
  '博雅',
  '瑞丰',
  '嘉禾',
  '中科',
  '新元',
  '东方',
  '海润',
];
const TRADES = ['贸易', '科技', '汽车销售', '建材', '化工', '物流', '电子', '医药'];

const array = (values: string[]) => sql.raw(`array[${values.map((v) => `'${v}'`).join(',')}]`);
const pinyins = (parts: string[]) => array(parts.map((p) => pinyinOf(p).full));
const initialsOf = (parts: string[]) => array(parts.map((p) => pinyinOf(p).initials));

/**
 * Inserts `count` customers in one statement per 100,000 rows (generate_series on the server):
 * 90% owned by the demo reps (their team as org unit), 10% in the team pools, updated over the
 * last 18 months, with a grade and a phone. Returns the seconds it took.
 */
export async function loadCustomers(db: Db, demo: DemoResult, count: number): Promise<number> {
  const owners = demo.org.regions.flatMap((r) =>
    r.teams.flatMap((t) => t.repIds.map((id) => [id, t.id] as const)),
  );
  const ownerIds = array(owners.map(([id]) => id));
  const unitIds = array(owners.map(([, unit]) => unit));
  const started = performance.now();
  const chunk = 100_000;
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk) - 1;
    await db.execute(sql`
      with parts as (
        select n,
          (${array(CITIES)})[1 + n % ${CITIES.length}] as city,
          (${pinyins(CITIES)})[1 + n % ${CITIES.length}] as city_py,
          (${initialsOf(CITIES)})[1 + n % ${CITIES.length}] as city_in,
          (${array(CORES)})[1 + (n / ${CITIES.length}) % ${CORES.length}] as core,
          (${pinyins(CORES)})[1 + (n / ${CITIES.length}) % ${CORES.length}] as core_py,
          (${initialsOf(CORES)})[1 + (n / ${CITIES.length}) % ${CORES.length}] as core_in,
          (${array(TRADES)})[1 + (n / ${CITIES.length * CORES.length}) % ${TRADES.length}] as trade,
          (${pinyins(TRADES)})[1 + (n / ${CITIES.length * CORES.length}) % ${TRADES.length}] as trade_py,
          (${initialsOf(TRADES)})[1 + (n / ${CITIES.length * CORES.length}) % ${TRADES.length}] as trade_in,
          (1 + (n::bigint * 7919) % ${owners.length})::int as owner_slot
        from generate_series(${from}::int, ${to}::int) as n
      )
      insert into customers (id, name, name_key, name_pinyin, name_initials, phone, grade, lifecycle,
                             owner_id, org_unit_id, updated_at, created_at)
      select gen_random_uuid(),
        city || core || trade || '有限公司' || case when n >= 1280 then '（' || (n / 1280) || '）' else '' end,
        city || core || trade || case when n >= 1280 then (n / 1280)::text else '' end,
        city_py || core_py || trade_py,
        city_in || core_in || trade_in,
        '13' || lpad((n % 1000000000)::text, 9, '0'),
        (array['A','B','C'])[1 + n % 3],
        'active',
        case when n % 10 = 0 then null else (${ownerIds}::uuid[])[owner_slot] end,
        (${unitIds}::uuid[])[owner_slot],
        now() - make_interval(secs => ((n::bigint * 4391) % (548 * 86400))::int),
        now() - interval '548 days'
      from parts`);
  }
  await db.execute(sql`analyze customers`);
  return (performance.now() - started) / 1000;
}
