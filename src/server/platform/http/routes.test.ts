import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../testing/app.js';
import { isKnownPermission } from '../access/catalog.js';

/** The only /api/v1 routes anyone may call without signing in. */
const PUBLIC_ROUTES = [
  'GET /api/v1/setup',
  'POST /api/v1/setup',
  'POST /api/v1/auth/login',
  // Web-to-lead: per-form token, rate limited, honeypot (modules/customers/web-to-lead.routes.ts).
  'POST /api/v1/public/leads/:token',
  // Order tracking: order number + the customer's full phone, rate limited per address and per order (modules/orders/tracking).
  'POST /api/v1/public/order-tracking',
];

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const apiRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api/v1/'));

describe('route table', () => {
  it('every API route declares a known permission, or is on the public allow-list', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(30);
    const undeclared = routes.filter((r) => !r.public && !r.permission).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    const publicRoutes = routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual([...PUBLIC_ROUTES].sort());
    const unknown = routes
      .filter((r) => r.permission && r.permission !== 'self' && !isKnownPermission(r.permission))
      .map((r) => `${r.method} ${r.url} → ${r.permission}`);
    expect(unknown).toEqual([]);
  });

  it('answers 401 problem+json to anonymous calls on every other route', async () => {
    const anonymous = new Client(t.app);
    for (const route of apiRoutes().filter((r) => !r.public)) {
      const url = route.url.replace(/:id/g, '0190c2f4-0000-7000-8000-000000000000');
      const res = await anonymous.request(
        route.method as 'GET',
        url,
        route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      );
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('unauthenticated');
    }
  });

  it('documents every API route in OpenAPI 3.1', async () => {
    const res = await new Client(t.app).get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
      ),
    );
    const missing = apiRoutes()
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
      .filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
    const docs = await new Client(t.app).get('/api/docs/');
    expect(docs.statusCode).toBe(200);
  });

  it('answers unknown API paths with a localised 404 problem and serves health', async () => {
    const client = new Client(t.app);
    client.locale = 'en';
    const res = await client.get('/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.body).toMatchObject({ code: 'route_not_found', status: 404 });
    expect(res.body.detail).toBe('GET /api/v1/nothing-here does not exist.');
    expect((await client.get('/api/health')).body).toEqual({ status: 'ok' });
  });

  it('sends security headers and a request id', async () => {
    const res = await new Client(t.app).get('/api/health', { 'x-request-id': 'trace-123' });
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const generated = await new Client(t.app).get('/api/health', { 'x-request-id': 'bad id with spaces' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
