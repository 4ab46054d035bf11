import { BENCH_ADMIN as ADMIN } from '../lib/company.js';
import { loadCustomers } from '../lib/customers-data.js';
import type { BenchContext, HttpEntry } from '../lib/entry.js';

/** The customers are generated once, by the first customer entry that runs. */
let loaded: Promise<void> | undefined;
function ensureCustomers(ctx: BenchContext) {
  loaded ??= loadCustomers(ctx.database.db, ctx.demo, ctx.options.customers).then((seconds) => {
    console.error(
      `[bench] generated ${ctx.options.customers.toLocaleString('en')} customers in ${seconds.toFixed(1)} s`,
    );
  });
  return loaded;
}

const REP = 'rep01';

const entry = (name: string, title: string, path: (ctx: BenchContext) => string, as = REP): HttpEntry => ({
  kind: 'http',
  name,
  title,
  request: async (ctx) => {
    await ensureCustomers(ctx);
    return {
      method: 'GET',
      path: path(ctx),
      headers: await (as === ADMIN.username ? ctx.signIn(ADMIN.username, ADMIN.password) : ctx.signIn(as)),
    };
  },
});

/** Issue 4: the customer list as a rep uses it, searched by name, pinyin and initials, and the duplicate check. */
export const customerEntries: HttpEntry[] = [
  entry(
    'customers-owner',
    'GET /customers mine, by updated time (rep)',
    () => '/api/v1/customers?view=mine&sort=-updatedAt&limit=50',
  ),
  entry(
    'customers-name',
    'GET /customers?q=上海申华 (admin, name prefix)',
    () => `/api/v1/customers?limit=50&q=${encodeURIComponent('上海申华')}`,
    ADMIN.username,
  ),
  entry(
    'customers-pinyin',
    'GET /customers?q=shanghaishenhua (admin, pinyin)',
    () => '/api/v1/customers?limit=50&q=shanghaishenhua',
    ADMIN.username,
  ),
  entry(
    'customers-initials',
    'GET /customers?q=shsh (admin, initials)',
    () => '/api/v1/customers?limit=50&q=shsh',
    ADMIN.username,
  ),
  entry(
    'customers-duplicates',
    'GET /customers/duplicates (create-time check)',
    () => `/api/v1/customers/duplicates?name=${encodeURIComponent('上海申华贸易有限公司')}&phone=13000000042`,
  ),
];
