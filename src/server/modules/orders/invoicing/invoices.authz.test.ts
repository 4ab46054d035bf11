import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCtx } from '../../../platform/context.js';
import { as, createTestApp, setupCompany, type TestApp } from '../../../testing/app.js';
import { checkAuthzMatrix, type Outcome } from '../../../testing/authz.js';
import { makeInvoiceCustomer } from './invoices.fixtures.js';
import { createInvoiceDraft } from './invoices.service.js';

// An invoice belongs to the customer's owner and unit: each record is a draft for a customer
// owned by the given user.
async function draftOwnedBy(t: TestApp, username: string) {
  const db = t.database.db;
  const customer = await makeInvoiceCustomer(db, username);
  const inv = await createInvoiceDraft(db, systemCtx(), {
    customerId: customer.id,
    lines: [{ description: '维修服务', quantity: '1', unitPrice: 11_300, taxRate: '0.13' }],
  });
  return inv.id;
}

type Row = [Outcome, Outcome, Outcome];
const R: Row = ['allow', 'allow', 'allow'];
const H: Row = ['allow', 'hidden', 'hidden'];
const T: Row = ['allow', 'allow', 'hidden'];
const F: Row = ['forbidden', 'forbidden', 'forbidden'];
const readOnly = (scope: Row) => ({ read: scope, pdf: scope, issue: F, void: F });

checkAuthzMatrix({
  resource: 'invoices',
  recordOwnedBy: (username, t) => draftOwnedBy(t, username),
  actions: {
    read: (client, id) => client.get(`/invoices/${id}`),
    pdf: (client, id) => client.get(`/invoices/${id}/pdf`),
    issue: async (client, id, admin) => {
      const { version } = (await admin.get(`/invoices/${id}`)).body;
      return client.post(`/invoices/${id}/issue`, { version });
    },
    void: async (client, id, admin) => {
      const { version } = (await admin.get(`/invoices/${id}`)).body;
      return client.post(`/invoices/${id}/void`, { reason: '开错', version });
    },
  },
  expect: {
    admin: { read: R, pdf: R, issue: R, void: R },
    director: { read: R, pdf: R, issue: R, void: R },
    manager01: readOnly(T),
    manager02: readOnly(T),
    rep01: readOnly(H),
    assistant01: readOnly(T),
    // Finance drafts, issues and voids every customer's invoices; the warehouse sees none.
    finance01: { read: R, pdf: R, issue: R, void: R },
    warehouse01: { read: F, pdf: F, issue: F, void: F },
    marketing01: { read: F, pdf: F, issue: F, void: F },
    partner01: { read: F, pdf: F, issue: F, void: F },
  },
});

// Finance's story beyond the matrix: an invoice issued, then voided, for any customer.
describe('authorization: finance and the warehouse', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await setupCompany(t.app);
  });
  afterAll(() => t.close());

  it('finance works on every invoice; the warehouse sees none', async () => {
    const finance = await as(t.app, 'finance01');
    const warehouse = await as(t.app, 'warehouse01');
    for (const owner of ['rep01', 'rep07']) {
      const id = await draftOwnedBy(t, owner);
      const { version } = (await finance.get(`/invoices/${id}`)).body;
      expect((await finance.post(`/invoices/${id}/issue`, { version })).statusCode).toBe(200);
      expect(
        (await finance.post(`/invoices/${id}/void`, { reason: '开错', version: version + 1 })).statusCode,
      ).toBe(200);
      expect((await warehouse.get(`/invoices/${id}`)).statusCode).toBe(403);
    }
    expect((await warehouse.get('/invoices')).statusCode).toBe(403);
  });
});
