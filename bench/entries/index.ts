import type { BenchEntry } from '../lib/entry.js';
import { customerEntries } from './customers.js';
import { customersImportEntry } from './customers-import.js';
import { healthEntry, loginEntry, usersEntries } from './http.js';
import { importEntry } from './import.js';

/** Every entry, in run order. Later issues add theirs here (one file per module under entries/). */
export const entries: BenchEntry[] = [
  healthEntry,
  ...usersEntries,
  loginEntry,
  importEntry,
  ...customerEntries,
  customersImportEntry,
];
