import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EntryResult } from './entry.js';
import type { BenchOptions } from './options.js';

export interface RunReport {
  date: string;
  startedAt: string;
  finishedAt: string;
  commit: string | null;
  machine: {
    node: string;
    platform: string;
    arch: string;
    cpus: number;
    cpuModel: string;
    memoryMiB: number;
  };
  database: string;
  options: Omit<BenchOptions, 'list' | 'help' | 'pg'>;
  dataset: { scale: number; users: number; migrateSeconds: number; seedSeconds: number };
  /** RSS after setup, before any load: the peaks below are relative to it. */
  idleRss: number;
  entries: EntryResult[];
}

export function machine(): RunReport['machine'] {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    arch: os.arch(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryMiB: Math.round(os.totalmem() / 2 ** 20),
  };
}

export function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+changes` : head;
  } catch {
    return null;
  }
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);
/** autocannon records latency in whole milliseconds: no false decimals. */
const latency = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;

const COLUMNS = [
  'entry',
  'req/s',
  'p50 ms',
  'p99 ms',
  'bare req/s',
  '×bare',
  'SQL ms (n)',
  'main SQL',
  'peak RSS MiB',
];

function row(r: EntryResult): string[] {
  if (r.failed) return [r.title, 'FAILED', '', '', '', '', '', '', ''];
  if (r.task) {
    const t = r.task;
    return [
      r.title,
      `${int(t.rate)} ${t.unit}`,
      '',
      '',
      t.baseline ? `${int(t.baseline.rate)} (${t.baseline.label})` : '',
      t.baseline ? `${(t.baseline.rate / t.rate).toFixed(1)}×` : '',
      '',
      '',
      mib(t.peakRss),
    ];
  }
  const a = r.app!;
  const flag = a.non2xx || a.errors ? ` !${a.non2xx + a.errors}` : '';
  return [
    r.title,
    `${int(a.requestsPerSec)}${flag}`,
    latency(a.p50),
    latency(a.p99),
    int(r.bare!.requestsPerSec),
    r.costVsBare ? `${r.costVsBare.toFixed(1)}×` : '',
    r.sql ? `${ms(r.sql.p50)} (${r.sql.queries})` : '',
    r.sql ? ms(r.sql.main.p50) : '',
    mib(a.peakRss),
  ];
}

/** Display width: CJK characters take two columns in a terminal. */
const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, n: number, right: boolean) =>
  right ? ' '.repeat(Math.max(0, n - width(s))) + s : s + ' '.repeat(Math.max(0, n - width(s)));

export function formatTable(report: RunReport): string {
  const rows = [COLUMNS, ...report.entries.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!, i > 0))
      .join('  ')
      .trimEnd();
  const m = report.machine;
  const d = report.dataset;
  const o = report.options;
  const failures = report.entries.filter((e) => e.app && (e.app.non2xx || e.app.errors));
  return [
    '',
    `Xiaoguan bench ${report.date} (${report.commit ?? 'no git'}) — ${report.database}`,
    `Node ${m.node}, ${m.cpus} × ${m.cpuModel}, ${m.memoryMiB} MiB; demo scale ${d.scale} (${int(d.users)} users): migrate ${d.migrateSeconds.toFixed(1)} s, seed ${d.seedSeconds.toFixed(1)} s`,
    `load: ${o.duration} s per run, ${o.connections} connections (login ${o.loginConnections}); SQL replay ${o.sqlSeconds} s; idle RSS ${mib(report.idleRss)} MiB`,
    '',
    line(COLUMNS),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.slice(1).map(line),
    '',
    '×bare: the bare Fastify route serving the same body does this many times the requests per second.',
    'SQL ms (n): the n statements of one request replayed on the raw driver, median per request; main SQL: the costliest one.',
    ...failures.map(
      (e) => `! ${e.name}: ${e.app!.non2xx} non-2xx responses, ${e.app!.errors} errors/timeouts`,
    ),
    ...report.entries.flatMap((e) => (e.failed ? [`${e.name} FAILED: ${e.failed}`] : [])),
    ...report.entries.flatMap((e) => (e.task?.notes ?? []).map((n) => `${e.name}: ${n}`)),
    '',
  ].join('\n');
}

/** bench/results/<date>.json (PGlite) or <date>-postgres.json; a later run the same day replaces it. */
export function saveReport(report: RunReport, outDir: string, kind: 'pglite' | 'postgres'): string {
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${report.date}${kind === 'postgres' ? '-postgres' : ''}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
