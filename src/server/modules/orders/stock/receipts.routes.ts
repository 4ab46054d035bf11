import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { history } from '../../../../contracts/audit.js';
import { idParams, page } from '../../../../contracts/common.js';
import {
  countCancel,
  countCreate,
  countEntry,
  countListQuery,
  countVersionBody,
  cycleCount,
  cycleCountDetail,
  lowStockQuery,
  lowStockRow,
  receipt,
  receiptCreate,
  receiptDetail,
  receiptFromLowStock,
  receiptListQuery,
  receiptReverse,
  receiptUpdate,
  receiptVersionBody,
} from '../../../../contracts/receipts.js';
import type { Db } from '../../../db/client.js';
import { defineAttachable } from '../../../platform/files/attachables.js';
import { responses } from '../../../platform/http/responses.js';
import {
  cancelCount,
  countHistory,
  createCount,
  enterCounts,
  getCount,
  listCounts,
  postCount,
} from './cycle-counts.service.js';
import './opening-import.js';
import { purchaseReceipts } from './receipts.schema.js';
import {
  createReceipt,
  getReceipt,
  listReceipts,
  postReceipt,
  receiptFromLowStockRows,
  receiptHistory,
  reverseReceipt,
  updateReceipt,
} from './receipts.service.js';
import { listLowStock } from './reorder.jobs.js';

const tags = ['stock'];

// The supplier's delivery note (送货单) scan and other papers of a receipt: every stock reader sees
// them; whoever receives stock adds and removes them, also after posting (the scan often comes later).
defineAttachable('purchase_receipt', {
  readPermission: 'stock.read',
  writePermission: 'stock.receive',
  canRead: async (db: Db, _ctx, id) =>
    (await db.select({ id: purchaseReceipts.id }).from(purchaseReceipts).where(eq(purchaseReceipts.id, id)))
      .length > 0,
});

/** Purchase receipts (采购入库), cycle counts (盘点) and the low-stock list (补货提醒). */
export const receiptsRoutes: FastifyPluginAsyncZod = async (app) => {
  // --- Purchase receipts -----------------------------------------------------------------------
  app.get(
    '/purchase-receipts',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary:
          'Purchase receipts: by status, location, product, receipt date; search number, supplier, batch, serial',
        querystring: receiptListQuery,
        response: responses(page(receipt)),
      },
    },
    async (request) => listReceipts(app.db, request.ctx, request.query),
  );

  app.get(
    '/purchase-receipts/:id',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'One purchase receipt with its lines',
        params: idParams,
        response: responses(receiptDetail),
      },
    },
    async (request) => getReceipt(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/purchase-receipts/:id/history',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: "A purchase receipt's history",
        params: idParams,
        response: responses(history),
      },
    },
    async (request) => receiptHistory(app.db, request.ctx, request.params.id),
  );

  app.post(
    '/purchase-receipts',
    {
      config: { permission: 'stock.receive' },
      schema: {
        tags,
        summary: 'A draft purchase receipt (numbered); stock moves when it is posted',
        body: receiptCreate,
        response: responses(receiptDetail, 201),
      },
    },
    async (request, reply) => {
      const id = await createReceipt(app.db, request.ctx, request.body);
      reply.code(201);
      return getReceipt(app.db, request.ctx, id);
    },
  );

  app.post(
    '/purchase-receipts/from-low-stock',
    {
      config: { permission: 'stock.receive' },
      schema: {
        tags,
        summary:
          'A draft purchase receipt for low-stock products of one location, with the suggested quantities',
        body: receiptFromLowStock,
        response: responses(receiptDetail, 201),
      },
    },
    async (request, reply) => {
      const id = await receiptFromLowStockRows(app.db, request.ctx, request.body);
      reply.code(201);
      return getReceipt(app.db, request.ctx, id);
    },
  );

  app.patch(
    '/purchase-receipts/:id',
    {
      config: { permission: 'stock.receive' },
      schema: {
        tags,
        summary: 'Change a draft receipt (lines, when sent, replace its lines)',
        params: idParams,
        body: receiptUpdate,
        response: responses(receiptDetail),
      },
    },
    async (request) => {
      await updateReceipt(app.db, request.ctx, request.params.id, request.body);
      return getReceipt(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/purchase-receipts/:id/post',
    {
      config: { permission: 'stock.receive' },
      schema: {
        tags,
        summary: 'Post a draft receipt: its lines go into stock once (a retry changes nothing)',
        params: idParams,
        body: receiptVersionBody,
        response: responses(receiptDetail),
      },
    },
    async (request) => {
      await postReceipt(app.db, request.ctx, request.params.id, request.body.version);
      return getReceipt(app.db, request.ctx, request.params.id);
    },
  );

  app.post(
    '/purchase-receipts/:id/reverse',
    {
      config: { permission: 'stock.receive' },
      schema: {
        tags,
        summary:
          'Reverse a posted receipt with a reason (reversing movements; the stock must still be there)',
        params: idParams,
        body: receiptReverse,
        response: responses(receiptDetail),
      },
    },
    async (request) => {
      await reverseReceipt(app.db, request.ctx, request.params.id, request.body);
      return getReceipt(app.db, request.ctx, request.params.id);
    },
  );

  // --- Cycle counts ----------------------------------------------------------------------------
  app.get(
    '/cycle-counts',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'Cycle counts: by status and location',
        querystring: countListQuery,
        response: responses(page(cycleCount)),
      },
    },
    async (request) => listCounts(app.db, request.query),
  );

  app.get(
    '/cycle-counts/:id',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'One cycle count with its lines (expected quantities hidden while a blind count is open)',
        params: idParams,
        response: responses(cycleCountDetail),
      },
    },
    async (request) => getCount(app.db, request.params.id),
  );

  app.get(
    '/cycle-counts/:id/history',
    {
      config: { permission: 'stock.read' },
      schema: { tags, summary: "A cycle count's history", params: idParams, response: responses(history) },
    },
    async (request) => countHistory(app.db, request.params.id),
  );

  app.post(
    '/cycle-counts',
    {
      config: { permission: 'stock.count' },
      schema: {
        tags,
        summary: 'Open a cycle count of a location (optionally a category or products): snapshots the books',
        body: countCreate,
        response: responses(cycleCountDetail, 201),
      },
    },
    async (request, reply) => {
      const id = await createCount(app.db, request.ctx, request.body);
      reply.code(201);
      return getCount(app.db, id);
    },
  );

  app.post(
    '/cycle-counts/:id/counts',
    {
      config: { permission: 'stock.count' },
      schema: {
        tags,
        summary: 'Enter counted quantities, and lines found that were not on the books',
        params: idParams,
        body: countEntry,
        response: responses(cycleCountDetail),
      },
    },
    async (request) => {
      await enterCounts(app.db, request.ctx, request.params.id, request.body);
      return getCount(app.db, request.params.id);
    },
  );

  app.post(
    '/cycle-counts/:id/post',
    {
      config: { permission: 'stock.count' },
      schema: {
        tags,
        summary: 'Post the count: adjustments of counted − on hand now, in one posting (盘盈/盘亏)',
        params: idParams,
        body: countVersionBody,
        response: responses(cycleCountDetail),
      },
    },
    async (request) => {
      await postCount(app.db, request.ctx, request.params.id, request.body.version);
      return getCount(app.db, request.params.id);
    },
  );

  app.post(
    '/cycle-counts/:id/cancel',
    {
      config: { permission: 'stock.count' },
      schema: {
        tags,
        summary: 'Cancel an open count with a reason; nothing is posted',
        params: idParams,
        body: countCancel,
        response: responses(cycleCountDetail),
      },
    },
    async (request) => {
      await cancelCount(app.db, request.ctx, request.params.id, request.body);
      return getCount(app.db, request.params.id);
    },
  );

  // --- Low stock -------------------------------------------------------------------------------
  app.get(
    '/stock/low-stock',
    {
      config: { permission: 'stock.read' },
      schema: {
        tags,
        summary: 'Levels at or below their reorder point, with the suggested order quantity',
        querystring: lowStockQuery,
        response: responses(page(lowStockRow)),
      },
    },
    async (request) => listLowStock(app.db, request.query),
  );
};
