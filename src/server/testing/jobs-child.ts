// Child process for the two-process jobs test: a worker on the PostgreSQL database named in
// DATABASE_URL that runs the test job kinds for XG_CHILD_MS milliseconds, then exits.
import pg from 'pg';
import { fromPool } from '../db/client.js';
import { startJobWorker } from '../platform/jobs/jobs.js';
import { defineTestJobs } from './test-jobs.js';

const database = fromPool(new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 }));
defineTestJobs(process.env.XG_CHILD_NAME ?? 'child');
const stop = startJobWorker(database.db, { info: () => {}, warn: () => {} }, { pollMs: 20 });
await new Promise((resolve) => setTimeout(resolve, Number(process.env.XG_CHILD_MS ?? 3000)));
await stop();
await database.close();
