import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { type Client, setupCompany } from '../../testing/app.js';
import { createTestDatabase } from '../../testing/db.js';

let database: Database;
let app: Awaited<ReturnType<typeof buildApp>>;
let admin: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildApp({ config: loadConfig({ XG_LOG_LEVEL: 'silent' }), db: database.db, logger: false });
  // A route that fails the way a programming error would.
  app.get('/api/v1/test-boom', { config: { permission: 'self' } }, async () => {
    throw new Error('secret internals at /src/server/thing.ts:42');
  });
  await app.ready();
  admin = await setupCompany(app, 'empty');
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('error responses', () => {
  it('never shows a stack trace or internal message, and gives the request id to quote', async () => {
    const res = await admin.get('/test-boom', { 'x-request-id': 'support-case-1' });
    expect(res.statusCode).toBe(500);
    expect(res.body).toMatchObject({ code: 'internal', status: 500, requestId: 'support-case-1' });
    expect(res.payload).not.toMatch(/secret internals|thing\.ts|at /);
    expect(res.body.detail).toContain('support-case-1');
  });

  it('answers malformed JSON and wrong media types with problem+json', async () => {
    const broken = await admin.request('PATCH', '/settings', '{"name": ', {
      'content-type': 'application/json',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.body.code).toBe('bad_request');
    const xml = await admin.request('PATCH', '/settings', '<name/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
    expect(xml.body.code).toBe('unsupported_media_type');
  });

  it('names wrong types, missing and unknown fields', async () => {
    const res = await admin.patch('/settings', { weekStart: 'monday', currency: 'yuan', colour: 'red' });
    expect(res.statusCode).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'colour',
      'currency',
      'version',
      'weekStart',
    ]);
  });
});
