import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

/**
 * Writes a company as the first release wrote it, in the first migration's own schema: the
 * settings row, the company unit and one user with its audit trail. Fixtures for upgrade and
 * restore tests use this rather than today's setup code, which writes today's columns and so
 * cannot run against an older schema.
 */
export async function seedFirstReleaseCompany(db: Db, companyName: string, username: string): Promise<void> {
  const unitId = randomUUID();
  const userId = randomUUID();
  await db.execute(
    sql`insert into company_settings (id, name, time_zone) values (1, ${companyName}, 'Asia/Shanghai')`,
  );
  await db.execute(
    sql`insert into org_units (id, name, kind, path) values (${unitId}, ${companyName}, 'company', ${`/${unitId}/`})`,
  );
  await db.execute(
    sql`insert into users (id, username, name, org_unit_id) values (${userId}, ${username}, ${username}, ${unitId})`,
  );
  await db.execute(
    sql`insert into user_credentials (user_id, password_hash) values (${userId}, 'not-a-real-hash')`,
  );
  await db.execute(
    sql`insert into audit_log (id, actor_name, action, entity, entity_id) values (${randomUUID()}, 'setup', 'create', 'user', ${userId})`,
  );
}
