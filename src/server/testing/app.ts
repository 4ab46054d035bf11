import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { DEMO_PASSWORD } from '../demo/index.js';
import { createTestDatabase } from './db.js';

export const ADMIN = { username: 'admin', password: 'Admin2026ok', name: '管理员' };
export { DEMO_PASSWORD };

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  close(): Promise<void>;
}

/** The real app on a fresh migrated database of the engine under test (no company yet). */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  // Tests sign in many times from one address; the throttle itself is tested with a low limit.
  // The demo company is the organisation and its users only: each test makes the records it
  // counts (customers/demo.test.ts loads the full demo with XG_DEMO_DATA=true).
  const config = loadConfig({
    XG_DATA_DIR: '.tmp/unused',
    XG_LOG_LEVEL: 'silent',
    XG_LOGIN_RATE_PER_MINUTE: '10000',
    XG_DEMO_DATA: 'false',
    ...env,
  });
  const app = await buildApp({ config, db: database.db, logger: false });
  await app.ready();
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

type Body = InjectOptions['payload'];

/** A browser-like caller: keeps the session cookie and sends the CSRF token on writes. */
export class Client {
  cookie?: string;
  csrf?: string;
  bearer?: string;
  locale = 'zh-CN';

  constructor(readonly app: FastifyInstance) {}

  async request(
    method: InjectOptions['method'],
    url: string,
    body?: Body,
    headers: Record<string, string> = {},
  ) {
    const res = await this.app.inject({
      method,
      url: url.startsWith('/api/') ? url : `/api/v1${url}`,
      ...(body === undefined ? {} : { payload: body }),
      headers: {
        'accept-language': this.locale,
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...(this.bearer ? { authorization: `Bearer ${this.bearer}` } : {}),
        ...headers,
      },
    });
    const setCookie = res.cookies.find((c) => c.name === 'xg_session');
    if (setCookie) this.cookie = setCookie.value ? `xg_session=${setCookie.value}` : undefined;
    const json = res.headers['content-type']?.toString().includes('json') ? res.json() : undefined;
    if (json && typeof json === 'object' && 'csrfToken' in json) this.csrf = String(json.csrfToken);
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely and assert on them
    return Object.assign(res, { body: json }) as LightMyRequestResponse & { body: any };
  }

  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body?: Body, headers?: Record<string, string>) =>
    this.request('POST', url, body ?? {}, headers);
  patch = (url: string, body: Body, headers?: Record<string, string>) =>
    this.request('PATCH', url, body, headers);
  put = (url: string, body: Body, headers?: Record<string, string>) =>
    this.request('PUT', url, body, headers);
  delete = (url: string, headers?: Record<string, string>) => this.request('DELETE', url, undefined, headers);

  async login(username: string, password = DEMO_PASSWORD) {
    const res = await this.post('/auth/login', { username, password });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.payload}`);
    return this;
  }
}

/** Runs first-run setup through the API and returns the signed-in administrator. */
export async function setupCompany(app: FastifyInstance, mode: 'demo' | 'empty' = 'demo') {
  const admin = new Client(app);
  const res = await admin.post('/setup', {
    companyName: '星辰汽车销售有限公司',
    mode,
    admin: { name: ADMIN.name, username: ADMIN.username, password: ADMIN.password },
  });
  if (res.statusCode !== 200) throw new Error(`setup failed: ${res.statusCode} ${res.payload}`);
  return admin;
}

/** Signs in as a demo user. */
export const as = (app: FastifyInstance, username: string, password = DEMO_PASSWORD) =>
  new Client(app).login(username, password);
