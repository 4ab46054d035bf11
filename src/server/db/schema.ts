// Every table of the application, for Drizzle queries and drizzle-kit migrations.

export * from '../modules/customers/account-cards.schema.js';
export * from '../modules/customers/complaints.schema.js';
export * from '../modules/customers/leads.schema.js';
export * from '../modules/customers/loyalty.schema.js';
export * from '../modules/customers/schema.js';
export * from '../modules/customers/visit-plans.schema.js';
export * from '../modules/orders/catalog/schema.js';
export * from '../modules/orders/pricing/schema.js';
export * from '../modules/orders/stock/cycle-counts.schema.js';
export * from '../modules/orders/stock/receipts.schema.js';
export * from '../modules/orders/stock/schema.js';
export * from '../modules/orders/units/schema.js';
export * from '../modules/org/schema.js';
export * from '../platform/access/schema.js';
export * from '../platform/approvals/schema.js';
export * from '../platform/audit/schema.js';
export * from '../platform/auth/schema.js';
export * from '../platform/custom-fields/schema.js';
export * from '../platform/files/schema.js';
export * from '../platform/import-export/schema.js';
export * from '../platform/jobs/schema.js';
export * from '../platform/notifications/schema.js';
export * from '../platform/numbering/schema.js';
export * from '../platform/settings/schema.js';
