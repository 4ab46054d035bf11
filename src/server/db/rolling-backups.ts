import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { backupDatabase } from './backup.js';
import type { Database, Db } from './client.js';

const NAME = /^xiaoguan-.*\.jsonl\.gz$/;

/** `xiaoguan-20261125T020304Z-<label>.jsonl.gz`: sorts by time, says why it was taken. */
export function backupFileName(label: string, at = new Date()): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `xiaoguan-${stamp}-${label}.jsonl.gz`;
}

/** Takes a backup into `dir` and keeps only the newest `keep` automatic ones. */
export async function rollingBackup(db: Db, dir: string, keep: number, label: string) {
  const file = path.join(dir, backupFileName(label));
  const result = await backupDatabase(db, file);
  const automatic = readdirSync(dir)
    .filter((f) => NAME.test(f) && !f.endsWith('-manual.jsonl.gz'))
    .sort();
  for (const old of automatic.slice(0, Math.max(0, automatic.length - keep)))
    rmSync(path.join(dir, old), { force: true });
  return { file, ...result };
}

interface Log {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Embedded mode: a backup every `intervalHours` (0 = off), never two at once. Returns stop(). */
export function startRollingBackups(database: Database, config: Config, log: Log): () => void {
  const { intervalHours, keep } = config.backups;
  if (!intervalHours || !keep) return () => undefined;
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await rollingBackup(database.db, config.backupDir, keep, 'scheduled');
      log.info(result, 'scheduled backup written');
    } catch (err) {
      log.error({ err }, 'scheduled backup failed');
    } finally {
      running = false;
    }
  }, intervalHours * 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}
