import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { fromPglite, fromPool } from '../db/client.js';
import { migrateDatabase, migrationsFolder } from '../db/migrate.js';
import { adminUrl, testEngine } from './engine.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsFolder).sort()) {
    if (f.endsWith('.sql')) h.update(f).update(readFileSync(path.join(migrationsFolder, f)));
  }
  h.update(readFileSync(path.join(migrationsFolder, 'meta/_journal.json')));
  return h.digest('hex').slice(0, 16);
}

/**
 * Migrates one template database per run; each test file then clones it (PGlite: loadDataDir
 * from a dump, about 0.5 s; PostgreSQL: CREATE DATABASE … TEMPLATE), never migrating per test.
 * On PostgreSQL the template is named for this run, so runs sharing a server never meet.
 */
export default async function setup(project: TestProject) {
  if (testEngine() === 'postgres') {
    const template = `xg_test_template_${process.pid}`;
    const adminQuery = async (statement: string) => {
      const admin = new pg.Client({ connectionString: adminUrl() });
      await admin.connect();
      await admin.query(statement).finally(() => admin.end());
    };
    await adminQuery(`drop database if exists ${template} with (force)`);
    await adminQuery(`create database ${template}`);
    const url = new URL(adminUrl());
    url.pathname = `/${template}`;
    const database = fromPool(new pg.Pool({ connectionString: url.toString(), max: 1 }));
    await migrateDatabase(database);
    await database.close();
    project.provide('pgliteTemplate', '');
    project.provide('pgTemplate', template);
    return () => adminQuery(`drop database if exists ${template} with (force)`);
  }
  const dir = path.resolve('.tmp');
  const file = path.join(dir, `pglite-template-${migrationsHash()}.tar.gz`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const database = fromPglite(await PGlite.create());
    await migrateDatabase(database);
    const dump = await database.pglite!.dumpDataDir('gzip');
    await database.close();
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', '');
}
