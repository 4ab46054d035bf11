import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, page, problem } from '../../../../contracts/common.js';
import {
  creditNoteCreate,
  installmentInvoiceable,
  invoice,
  invoiceCreate,
  invoiceFapiaoNumber,
  invoiceFromInstallment,
  invoiceIssue,
  invoiceListItem,
  invoiceListQuery,
  invoiceUpdate,
  invoiceVoid,
} from '../../../../contracts/invoices.js';
import { responses } from '../../../platform/http/responses.js';
import { fenToYuan } from '../../../platform/import-export/cells.js';
import { defineExporter, everyPage } from '../../../platform/import-export/definitions.js';
import { sendPdf } from '../../../platform/pdf/index.js';
import { renderInvoicePdf } from './invoices.pdf.js';
import {
  createCreditNote,
  createInvoiceDraft,
  createInvoiceFromInstallment,
  getInvoice,
  INVOICE_STATE_LABELS,
  installmentsToInvoice,
  issueInvoice,
  listInvoices,
  setFapiaoNumber,
  updateInvoiceDraft,
  voidInvoice,
} from './invoices.service.js';

const tags = ['orders'];

/** The Idempotency-Key header: a retried creation returns the first invoice. */
function idempotencyKey(headers: Record<string, unknown>): string | undefined {
  const value = headers['idempotency-key'];
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : undefined;
}

const TYPE_LABELS = {
  general: { 'zh-CN': '普票', en: 'General' },
  special: { 'zh-CN': '专票', en: 'Special' },
};

defineExporter({
  entity: 'invoices',
  label: { 'zh-CN': '发票', en: 'Invoices' },
  path: '/invoices',
  permission: 'invoices.read',
  query: invoiceListQuery.omit({ limit: true, cursor: true }),
  columns: [
    {
      key: 'number',
      label: { 'zh-CN': '发票编号', en: 'Number' },
      value: (r: z.infer<typeof invoiceListItem>) => r.number,
    },
    {
      key: 'fapiaoNumber',
      label: { 'zh-CN': '发票号码', en: 'Fapiao number' },
      value: (r) => r.fapiaoNumber,
    },
    { key: 'type', label: { 'zh-CN': '类型', en: 'Type' }, value: (r, l) => TYPE_LABELS[r.type][l] },
    {
      key: 'state',
      label: { 'zh-CN': '状态', en: 'State' },
      value: (r, l) => INVOICE_STATE_LABELS[r.state][l],
    },
    { key: 'customer', label: { 'zh-CN': '客户', en: 'Customer' }, value: (r) => r.customerName },
    { key: 'buyerTitle', label: { 'zh-CN': '抬头', en: 'Buyer title' }, value: (r) => r.buyerTitle },
    { key: 'contract', label: { 'zh-CN': '合同编号', en: 'Contract' }, value: (r) => r.contractNumber },
    { key: 'issueDate', label: { 'zh-CN': '开票日期', en: 'Issued' }, value: (r) => r.issueDate },
    { key: 'dueDate', label: { 'zh-CN': '到期日', en: 'Due' }, value: (r) => r.dueDate },
    {
      key: 'total',
      label: { 'zh-CN': '价税合计（元）', en: 'Total (yuan)' },
      value: (r) => fenToYuan(r.total),
    },
    {
      key: 'taxTotal',
      label: { 'zh-CN': '税额（元）', en: 'VAT (yuan)' },
      value: (r) => fenToYuan(r.taxTotal),
    },
    {
      key: 'credited',
      label: { 'zh-CN': '红字金额（元）', en: 'Credited (yuan)' },
      value: (r) => fenToYuan(r.creditedAmount),
    },
    {
      key: 'paid',
      label: { 'zh-CN': '已回款（元）', en: 'Paid (yuan)' },
      value: (r) => fenToYuan(r.paidAmount),
    },
    {
      key: 'open',
      label: { 'zh-CN': '未收（元）', en: 'Open (yuan)' },
      value: (r) => fenToYuan(r.openAmount),
    },
    {
      key: 'overdue',
      label: { 'zh-CN': '逾期', en: 'Overdue' },
      value: (r, l) => (r.overdue ? (l === 'zh-CN' ? '是' : 'Yes') : ''),
    },
    { key: 'owner', label: { 'zh-CN': '负责人', en: 'Owner' }, value: (r) => r.ownerName },
  ],
  rows: everyPage(listInvoices),
});

/** Invoices (发票) and credit notes (红字发票): draft, issue, fapiao number, void, credit, PDF. */
export const invoicesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/invoices',
    {
      config: { permission: 'invoices.read' },
      schema: {
        tags,
        summary: 'Invoices I can see: by state, type, customer, contract, overdue, issue date range',
        querystring: invoiceListQuery,
        response: responses(page(invoiceListItem)),
      },
    },
    async (request) => listInvoices(app.db, request.ctx, request.query),
  );

  app.get(
    '/invoices/:id',
    {
      config: { permission: 'invoices.read' },
      schema: {
        tags,
        summary: 'One invoice with lines, totals by rate and credit notes',
        params: idParams,
        response: responses(invoice),
      },
    },
    async (request) => getInvoice(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/invoices/:id/pdf',
    {
      config: { permission: 'invoices.read' },
      schema: {
        tags,
        summary:
          "The customer's copy of the invoice (PDF, fapiao layout, 价税合计 in 大写); not the tax office's fapiao",
        params: idParams,
        querystring: z.object({ locale: z.enum(['zh-CN', 'en']).default('zh-CN') }),
        response: {
          200: z.unknown().meta({ description: 'The invoice as application/pdf', format: 'binary' }),
          '4xx': problem,
          '5xx': problem,
        },
      },
    },
    async (request, reply) => {
      const { pdf, fileName } = await renderInvoicePdf(
        app.db,
        request.ctx,
        request.params.id,
        request.query.locale,
      );
      return sendPdf(reply, pdf, fileName);
    },
  );

  app.get(
    '/contracts/:id/invoiceable',
    {
      config: { permission: 'invoices.read' },
      schema: {
        tags,
        summary: "What is left to invoice on each of a contract's installments",
        params: idParams,
        response: responses(z.array(installmentInvoiceable)),
      },
    },
    async (request) => installmentsToInvoice(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/invoices',
    {
      config: { permission: 'invoices.create' },
      schema: {
        tags,
        summary:
          'Draft an invoice for a customer; buyer fields default from the customer; Idempotency-Key creates once',
        body: invoiceCreate,
        response: responses(invoice, 201),
      },
    },
    async (request, reply) => {
      const key = idempotencyKey(request.headers);
      const created = await createInvoiceDraft(
        app.db,
        request.ctx,
        request.body,
        key ? { idempotencyKey: key } : {},
      );
      reply.code(201);
      return created;
    },
  );

  app.post(
    '/invoices/from-installment',
    {
      config: { permission: 'invoices.create' },
      schema: {
        tags,
        summary: 'Draft an invoice for (what is left of) a contract installment',
        body: invoiceFromInstallment,
        response: responses(invoice, 201),
      },
    },
    async (request, reply) => {
      const key = idempotencyKey(request.headers);
      const created = await createInvoiceFromInstallment(
        app.db,
        request.ctx,
        request.body,
        key ? { idempotencyKey: key } : {},
      );
      reply.code(201);
      return created;
    },
  );

  app.patch(
    '/invoices/:id',
    {
      config: { permission: 'invoices.create' },
      schema: {
        tags,
        summary: 'Change a draft invoice (issued invoices are never edited: 409)',
        params: idParams,
        body: invoiceUpdate,
        response: responses(invoice),
      },
    },
    async (request) => updateInvoiceDraft(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/invoices/:id/issue',
    {
      config: { permission: 'invoices.issue' },
      schema: {
        tags,
        summary:
          'Issue a draft: buyer fields frozen (专票 needs tax id, address/phone, bank/account), due date set',
        params: idParams,
        body: invoiceIssue,
        response: responses(invoice),
      },
    },
    async (request) => issueInvoice(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/invoices/:id/fapiao-number',
    {
      config: { permission: 'invoices.issue' },
      schema: {
        tags,
        summary: "Record the tax office's fapiao number (发票号码) on an issued invoice",
        params: idParams,
        body: invoiceFapiaoNumber,
        response: responses(invoice),
      },
    },
    async (request) => setFapiaoNumber(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/invoices/:id/void',
    {
      config: { permission: 'invoices.void' },
      schema: {
        tags,
        summary: 'Void with a reason while nothing is paid or credited',
        params: idParams,
        body: invoiceVoid,
        response: responses(invoice),
      },
    },
    async (request) => voidInvoice(app.db, request.ctx, request.params.id, request.body),
  );

  app.post(
    '/invoices/:id/credit-notes',
    {
      config: { permission: 'invoices.issue' },
      schema: {
        tags,
        summary: 'Issue a credit note (红字发票) against the invoice: lines up to what was invoiced',
        params: idParams,
        body: creditNoteCreate,
        response: responses(invoice, 201),
      },
    },
    async (request, reply) => {
      const result = await createCreditNote(app.db, request.ctx, request.params.id, request.body);
      reply.code(201);
      return result;
    },
  );
};
