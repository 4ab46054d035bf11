import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { backupDatabase } from './backup.js';
import type { Database, Db } from './client.js';

const BACKUP_FILE = /^xiaoguan-\d{8}T\d{6,9}Z-.+\.jsonl\.gz$/;
// setTimeout fires at once for longer delays (about 24.8 days), so long intervals wait in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `xiaoguan-20261125T020304123Z-<label>.jsonl.gz`: sorts by time (UTC, to the millisecond), says why. */
export function backupFileName(label: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `xiaoguan-${stamp}-${label}.jsonl.gz`;
}

/**
 * Takes a backup into `dir` and deletes the oldest automatic ones beyond `keep` (at least the
 * new one stays). Backups labelled `manual` are the operator's and are never deleted.
 */
export async function rollingBackup(db: Db, dir: string, keep: number, label: string) {
  const file = path.join(dir, backupFileName(label));
  const result = await backupDatabase(db, file);
  const automatic = readdirSync(dir)
    .filter((f) => BACKUP_FILE.test(f) && !f.endsWith('-manual.jsonl.gz'))
    .sort();
  for (const old of automatic.slice(0, Math.max(0, automatic.length - Math.max(1, keep)))) {
    rmSync(path.join(dir, old), { force: true });
  }
  return { file, ...result };
}

interface Log {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Embedded mode: a `scheduled` backup every `backups.intervalHours` (0 = off), never two at
 * once — the next one is timed from the end of the last. The timer does not keep the process
 * alive. Returns stop(), which resolves once a backup in progress has finished.
 */
export function startRollingBackups(database: Database, config: Config, log: Log): () => Promise<void> {
  const { intervalHours, keep } = config.backups;
  if (!intervalHours || !keep) return async () => undefined;
  const interval = intervalHours * 3_600_000;
  let due = Date.now() + interval;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const arm = () => {
    if (stopped) return;
    timer = setTimeout(tick, Math.min(MAX_TIMER_MS, Math.max(0, due - Date.now())));
    timer.unref();
  };
  const backup = async () => {
    try {
      const result = await rollingBackup(database.db, config.backupDir, keep, 'scheduled');
      log.info(result, 'scheduled backup written');
    } catch (err) {
      log.error({ err }, 'scheduled backup failed');
    }
    due = Date.now() + interval;
    arm();
  };
  const tick = () => {
    if (Date.now() < due) arm();
    else running = backup();
  };
  arm();
  return () => {
    stopped = true;
    clearTimeout(timer);
    return running;
  };
}
