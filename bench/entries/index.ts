import type { BenchEntry } from '../lib/entry.js';
import { customerEntries } from './customers.js';
import { customersImportEntry } from './customers-import.js';
import { dashboardEntry } from './dashboard.js';
import { healthEntry, loginEntry, usersEntries } from './http.js';
import { importEntry } from './import.js';
import { orderCreateEntry } from './orders.js';
import { pdfRenderEntry } from './pdf-render.js';
import { pricingResolveEntry } from './pricing-resolve.js';
import { receivablesEntries } from './receivables.js';
import { salesEntries } from './sales.js';
import { stockAvailabilityEntry } from './stock-availability.js';
import { stockReserveEntry } from './stock-reserve.js';

/** Every entry, in run order. Later issues add theirs here (one file per module under entries/). */
export const entries: BenchEntry[] = [
  healthEntry,
  ...usersEntries,
  loginEntry,
  importEntry,
  ...customerEntries,
  customersImportEntry,
  pricingResolveEntry,
  stockAvailabilityEntry,
  stockReserveEntry,
  pdfRenderEntry,
  ...salesEntries,
  ...receivablesEntries,
  orderCreateEntry,
  dashboardEntry,
];
