import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { bootDatabase } from '../boot.js';
import { loadConfig } from '../config.js';
import { queryRows } from './client.js';

const child = fileURLToPath(new URL('../testing/durability-child.ts', import.meta.url));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xg-durability-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('embedded database under kill -9', () => {
  it('keeps every committed transaction and no half-written one', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, XG_DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const committed: number[] = [];
    await new Promise<void>((resolve, reject) => {
      proc.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
      proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        for (const m of chunk.matchAll(/committed (\d+)/g)) committed.push(Number(m[1]));
        if (committed.length >= 40) {
          proc.removeAllListeners('exit');
          proc.kill('SIGKILL');
          proc.on('exit', () => resolve());
        }
      });
    });

    // The dead process's lock is taken over; the folder opens and recovers.
    const { database, release } = await bootDatabase(loadConfig({ XG_DATA_DIR: dataDir }), {
      info: () => {},
      warn: () => {},
    });
    try {
      const batches = await queryRows<{ batch: number; rows: number }>(
        database.db,
        sql`select batch, count(*)::int as rows from durability_probe group by batch order by batch`,
      );
      const found = new Map(batches.map((b) => [b.batch, b.rows]));
      for (const batch of committed) expect(found.get(batch), `batch ${batch}`).toBe(5);
      for (const b of batches) expect(b.rows, `batch ${b.batch} is whole`).toBe(5);
    } finally {
      await release();
    }
  });
});
