import type { FastifyInstance } from 'fastify';
import type { DemoResult } from '../../src/server/demo/index.js';
import type { SqlFigures } from './baselines.js';
import type { BenchDatabase } from './database.js';
import type { HttpRequestSpec, LoadFigures } from './load.js';
import type { BenchOptions } from './options.js';

/** Request headers of a signed-in browser: session cookie plus the CSRF token writes need. */
export type SessionHeaders = Record<'cookie' | 'x-csrf-token', string>;

export interface BenchContext {
  app: FastifyInstance;
  /** Where the app listens (autocannon needs a real socket). */
  origin: string;
  database: BenchDatabase;
  options: BenchOptions;
  demo: DemoResult;
  /** Signs in through the API and returns the headers to send. */
  signIn(username: string, password?: string): Promise<SessionHeaders>;
}

/** An endpoint measured under load, with the bare-route and raw-SQL baselines next to it. */
export interface HttpEntry {
  kind: 'http';
  name: string;
  title: string;
  /** Connections for this entry; default `--connections`. */
  connections?(options: BenchOptions): number;
  request(ctx: BenchContext): Promise<HttpRequestSpec>;
}

/** Work that is not a request rate (an import): reports its own throughput. */
export interface TaskEntry {
  kind: 'task';
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<TaskFigures>;
}

export type BenchEntry = HttpEntry | TaskEntry;

export interface TaskFigures {
  /** e.g. rows/s */
  rate: number;
  unit: string;
  total: number;
  seconds: number;
  peakRss: number;
  /** Optional baseline for the same work without our stack, in the same unit. */
  baseline?: { label: string; rate: number };
  notes?: string[];
}

export interface EntryResult {
  name: string;
  title: string;
  kind: BenchEntry['kind'];
  request?: { method: string; path: string; connections: number; responseBytes: number };
  app?: LoadFigures;
  bare?: LoadFigures;
  /** How many times the bare route's throughput the endpoint's cost is (bare rps ÷ endpoint rps). */
  costVsBare?: number;
  sql?: SqlFigures;
  task?: TaskFigures;
  /** Why the entry did not finish; the rest of the run goes on. */
  failed?: string;
}
