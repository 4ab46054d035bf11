import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment setting the server reads, validated once at start (documented in README). */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  XG_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  XG_DATA_DIR: z.string().default('./data'),
  XG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  XG_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),
  XG_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(168),
  XG_COOKIE_SECURE: bool.optional(),
  XG_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  XG_TRUST_PROXY: bool.default(false),
  XG_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  XG_LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  XG_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  XG_BACKUP_KEEP: z.coerce.number().int().min(0).default(7),
  XG_BACKUP_INTERVAL_HOURS: z.coerce.number().min(0).default(24),
  XG_WEB_DIR: z.string().optional(),
  XG_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  XG_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(200_000),
  XG_FILES_DIR: z.string().optional(),
  XG_DEMO_DATA: bool.default(true),
  XG_FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(25 * 1024 * 1024),
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  // An empty variable (`DATABASE_URL=`) means "not set", as shells and .env files intend.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.XG_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? ({ kind: 'postgres', url: e.DATABASE_URL, poolMax: e.XG_DB_POOL_MAX } as const)
      : ({ kind: 'pglite', dataDir: path.join(dataDir, 'db') } as const),
    dataDir,
    backupDir: path.join(dataDir, 'backups'),
    logLevel: e.XG_LOG_LEVEL,
    session: {
      idleMinutes: e.XG_SESSION_IDLE_MINUTES,
      maxHours: e.XG_SESSION_MAX_HOURS,
      cookieSecure: e.XG_COOKIE_SECURE,
    },
    login: {
      maxFailures: e.XG_LOGIN_MAX_FAILURES,
      lockMinutes: e.XG_LOGIN_LOCK_MINUTES,
      ratePerMinute: e.XG_LOGIN_RATE_PER_MINUTE,
    },
    bodyLimit: e.XG_BODY_LIMIT_BYTES,
    trustProxy: e.XG_TRUST_PROXY,
    backups: { keep: e.XG_BACKUP_KEEP, intervalHours: e.XG_BACKUP_INTERVAL_HOURS },
    webDir: e.XG_WEB_DIR ? path.resolve(e.XG_WEB_DIR) : undefined,
    /** Spreadsheet imports (docs/import-export.md): upload size and data-row limits. */
    imports: { maxBytes: e.XG_IMPORT_MAX_BYTES, maxRows: e.XG_IMPORT_MAX_ROWS },
    /** Whether the demo company comes with its business data (customers, leads, activities); tests turn it off. */
    demoData: e.XG_DEMO_DATA,
    /** Attachments: content-addressed files on local disk (docs/operations.md, attachments). */
    files: {
      dir: e.XG_FILES_DIR ? path.resolve(e.XG_FILES_DIR) : path.join(dataDir, 'files'),
      maxBytes: e.XG_FILE_MAX_BYTES,
    },
  };
}
