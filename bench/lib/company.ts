import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/server/db/client.js';
import { DEMO_PASSWORD, type DemoResult, seedDemo } from '../../src/server/demo/index.js';
import { systemCtx } from '../../src/server/platform/context.js';
import { setupCompany } from '../../src/server/platform/setup/setup.service.js';
import type { SessionHeaders } from './entry.js';

export const BENCH_ADMIN = { name: '管理员', username: 'admin', password: 'Bench2026ok' };

/**
 * The demo company's organisation at the chosen scale, built by the same seeded generator as
 * `seed-demo`, without the modules' demo data: entries generate their own data at bench sizes
 * (the customer entries' `--customers`), so scale 60 does not also bring 120,000 demo customers.
 */
export async function createBenchCompany(db: Db, scale: number): Promise<DemoResult> {
  const ctx = systemCtx('bench');
  await setupCompany(db, ctx, { companyName: '基准测试公司', mode: 'empty', admin: BENCH_ADMIN });
  return seedDemo(db, { scale, data: false }, ctx);
}

export async function signIn(
  app: FastifyInstance,
  username: string,
  password = DEMO_PASSWORD,
): Promise<SessionHeaders> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  const cookie = res.cookies.find((c) => c.name === 'xg_session');
  if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in as ${username} failed: ${res.statusCode}`);
  return { cookie: `xg_session=${cookie.value}`, 'x-csrf-token': String(res.json().csrfToken) };
}
