/**
 * `npm run bench`: figures, not tests. Each figure is reported next to a baseline measured in
 * the same run on the same machine (GET /api/health: one trivial query through the whole HTTP
 * stack), so results compare across machines as ratios.
 *
 *   XG_BENCH_SCALE=N   reps per team multiplier for the demo company (default 60 → ~1,500 users)
 */
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { fromPglite } from '../src/server/db/client.js';
import { migrateDatabase } from '../src/server/db/migrate.js';
import { seedDemo } from '../src/server/demo/index.js';
import { systemCtx } from '../src/server/platform/context.js';
import { setupCompany } from '../src/server/platform/setup/setup.service.js';

const scale = Number(process.env.XG_BENCH_SCALE ?? 60);

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, performance.now() - t0];
}

/** Median of `runs` sequential calls, in ms. */
async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await time(fn))[1]);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function inject(app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  return async () => {
    const res = await app.inject({ method: 'GET', url, headers });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.payload.slice(0, 200)}`);
    return res;
  };
}

const rows: [string, string, string][] = [];
const report = (name: string, ms: number, baseline: number) =>
  rows.push([name, `${ms.toFixed(2)} ms`, `${(ms / baseline).toFixed(1)}×`]);

const [pglite, bootMs] = await time(() => PGlite.create());
const database = fromPglite(pglite);
const [, migrateMs] = await time(() => migrateDatabase(database));
const ctx = systemCtx('bench');
await setupCompany(database.db, ctx, {
  companyName: '基准测试公司',
  mode: 'empty',
  admin: { name: '管理员', username: 'admin', password: 'Bench2026ok' },
});
const [demo, seedMs] = await time(() => seedDemo(database.db, { scale }, ctx));

const app = await buildApp({
  config: loadConfig({ XG_LOG_LEVEL: 'silent' }),
  db: database.db,
  logger: false,
});
await app.ready();
const login = async (username: string, password: string) => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  const cookie = res.cookies.find((c) => c.name === 'xg_session')!;
  return { cookie: `xg_session=${cookie.value}` };
};
const admin = await login('admin', 'Bench2026ok');
const rep = await login('rep01', 'Xiaoguan2026');

const baseline = await median(200, inject(app, '/api/health'));
rows.push(['baseline: GET /api/health', `${baseline.toFixed(2)} ms`, '1.0×']);
report('GET /auth/me (session + roles)', await median(200, inject(app, '/api/v1/auth/me', admin)), baseline);
report(
  `GET /users first page of 50 (admin, ${demo.users} users)`,
  await median(100, inject(app, '/api/v1/users?limit=50', admin)),
  baseline,
);

// Walk to the last page, then time the deep page: keyset paging costs the same at any depth.
let cursor: string | null = null;
let deepUrl = '/api/v1/users?limit=50';
for (;;) {
  const body = (await inject(app, deepUrl, admin)()).json() as { nextCursor: string | null };
  if (!body.nextCursor) break;
  cursor = body.nextCursor;
  deepUrl = `/api/v1/users?limit=50&cursor=${cursor}`;
}
report('GET /users last page (keyset cursor)', await median(100, inject(app, deepUrl, admin)), baseline);
report(
  'GET /users as a rep (team scope)',
  await median(100, inject(app, '/api/v1/users?limit=50', rep)),
  baseline,
);
report(
  'GET /users?q= search (admin)',
  await median(100, inject(app, '/api/v1/users?q=rep0', admin)),
  baseline,
);
report(
  'GET /audit-log first page',
  await median(100, inject(app, '/api/v1/audit-log?limit=50', admin)),
  baseline,
);
report('GET /org-units (whole tree)', await median(100, inject(app, '/api/v1/org-units', admin)), baseline);
const loginMs = await median(10, () => login('rep02', 'Xiaoguan2026'));
report('POST /auth/login (scrypt)', loginMs, baseline);

console.log(
  `\nXiaoguan bench — PGlite in memory, demo scale ${scale} (${demo.users} users), Node ${process.version}`,
);
console.log(
  `one-off: PGlite init ${bootMs.toFixed(0)} ms, migrate ${migrateMs.toFixed(0)} ms, seed demo ${seedMs.toFixed(0)} ms`,
);
console.log(`memory: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB\n`);
const width = Math.max(...rows.map((r) => r[0].length));
for (const [name, ms, ratio] of rows)
  console.log(`${name.padEnd(width)}  ${ms.padStart(10)}  ${ratio.padStart(7)}`);
await app.close();
await database.close();
