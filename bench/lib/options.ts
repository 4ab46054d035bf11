import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Demo company scale (seedDemo): reps per team multiplier. */
  scale: number;
  /** Seconds of load per autocannon run (the endpoint and its bare-route baseline each get one). */
  duration: number;
  /** Concurrent connections for ordinary endpoints. */
  connections: number;
  /** Concurrent connections for login: scrypt is CPU-bound, more connections only queue. */
  loginConnections: number;
  /** Seconds of the raw-driver SQL replay loop per entry. */
  sqlSeconds: number;
  /** Rows in the generated users file for the import entry. */
  importRows: number;
  /** Rows in the generated customers file for the customers-import entry. */
  customerImportRows: number;
  /** Customers generated for the customer entries (the figure uses 1,000,000). */
  customers: number;
  /** PostgreSQL server URL; a fresh database is created on it and dropped afterwards. */
  pg: string | undefined;
  keepDatabase: boolean;
  only: string[] | undefined;
  outDir: string;
  save: boolean;
  list: boolean;
  help: boolean;
}

export const USAGE = `npm run bench -- [options]

  --scale N              demo company scale (default 60, about 1,500 users)
  --duration S           seconds of load per run (default 5)
  --connections N        concurrent connections (default 10)
  --login-connections N  concurrent connections for login (default 2)
  --sql-seconds S        seconds of raw-driver SQL replay per entry (default 2)
  --import-rows N        rows in the users .xlsx for the import entry (default 2000; the issue figure uses 100000)
  --customer-import-rows N  rows in the customers .xlsx for customers-import (default 100000, the issue figure)
  --customers N          customers generated for the customer entries (default 100000; the issue figure uses 1000000)
  --only a,b             run only these entries (see --list)
  --pg URL               use PostgreSQL: creates a temporary database on that server
  --keep-db              with --pg, keep the database afterwards (its name is printed)
  --out DIR              where results go (default bench/results)
  --no-save              print the table only, write no file
  --list                 list the entries and exit
`;

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scale: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'login-connections': { type: 'string' },
      'sql-seconds': { type: 'string' },
      'import-rows': { type: 'string' },
      'customer-import-rows': { type: 'string' },
      only: { type: 'string' },
      customers: { type: 'string' },
      pg: { type: 'string' },
      'keep-db': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench/results' },
      'no-save': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.pg !== undefined && !/^postgres(ql)?:\/\//.test(values.pg))
    throw new Error(`--pg must be a postgres:// URL, got "${values.pg}"`);
  return {
    scale: Math.floor(positiveNumber('scale', values.scale, 60)),
    duration: positiveNumber('duration', values.duration, 5),
    connections: Math.floor(positiveNumber('connections', values.connections, 10)),
    loginConnections: Math.floor(positiveNumber('login-connections', values['login-connections'], 2)),
    sqlSeconds: positiveNumber('sql-seconds', values['sql-seconds'], 2),
    importRows: Math.floor(positiveNumber('import-rows', values['import-rows'], 2_000)),
    customerImportRows: Math.floor(
      positiveNumber('customer-import-rows', values['customer-import-rows'], 100_000),
    ),
    customers: Math.floor(positiveNumber('customers', values.customers, 100_000)),
    pg: values.pg,
    keepDatabase: values['keep-db'],
    only: values.only
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    outDir: values.out,
    save: !values['no-save'],
    list: values.list,
    help: values.help,
  };
}
