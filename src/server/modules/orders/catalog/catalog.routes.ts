import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  history,
  id,
  idParams,
  page,
  problem,
  product,
  productBrands,
  productCategory,
  productCategoryCreate,
  productCategoryList,
  productCategoryListQuery,
  productCategoryUpdate,
  productCreate,
  productListQuery,
  productUpdate,
  versionBody,
} from '../../../../contracts/index.js';
import { FileStore } from '../../../platform/files/storage.js';
import { responses } from '../../../platform/http/responses.js';
import './attachables.js';
import {
  archiveCategory,
  categoryHistory,
  createCategory,
  getCategory,
  listCategories,
  restoreCategory,
  updateCategory,
} from './categories.service.js';
import './import-export.js';
import {
  createProduct,
  getProduct,
  listBrands,
  listProducts,
  openProductImage,
  productHistory,
  setProductStatus,
  updateProduct,
} from './products.service.js';

const tags = ['catalog'];

/** The product catalog: the category tree and the products. */
export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/product-categories',
    {
      config: { permission: 'products.read' },
      schema: {
        tags,
        summary: 'The category tree, depth-first (each item has its depth and parent)',
        querystring: productCategoryListQuery,
        response: responses(productCategoryList),
      },
    },
    async (request) => listCategories(app.db, request.query),
  );

  app.get(
    '/product-categories/:id/history',
    {
      config: { permission: 'products.read' },
      schema: { tags, summary: "A category's history", params: idParams, response: responses(history) },
    },
    async (request) => categoryHistory(app.db, request.params.id),
  );

  app.post(
    '/product-categories',
    {
      config: { permission: 'products.update' },
      schema: {
        tags,
        summary: 'Add a category (code unique), under an active parent or at the top',
        body: productCategoryCreate,
        response: responses(productCategory, 201),
      },
    },
    async (request, reply) => {
      const id = await createCategory(app.db, request.ctx, request.body);
      reply.code(201);
      return getCategory(app.db, id);
    },
  );

  app.patch(
    '/product-categories/:id',
    {
      config: { permission: 'products.update' },
      schema: {
        tags,
        summary: 'Rename, re-code, re-order or move a category (not below itself)',
        params: idParams,
        body: productCategoryUpdate,
        response: responses(productCategory),
      },
    },
    async (request) => {
      await updateCategory(app.db, request.ctx, request.params.id, request.body);
      return getCategory(app.db, request.params.id);
    },
  );

  for (const [action, run, summary] of [
    ['archive', archiveCategory, 'Archive a category that holds no active product or sub-category'],
    ['restore', restoreCategory, 'Restore an archived category (its parent must be active)'],
  ] as const) {
    app.post(
      `/product-categories/:id/${action}`,
      {
        config: { permission: 'products.update' },
        schema: { tags, summary, params: idParams, body: versionBody, response: responses(productCategory) },
      },
      async (request) => {
        await run(app.db, request.ctx, request.params.id, request.body.version);
        return getCategory(app.db, request.params.id);
      },
    );
  }

  app.get(
    '/products',
    {
      config: { permission: 'products.read' },
      schema: {
        tags,
        summary:
          'Products: search SKU, name, pinyin or initials, barcode; filter by category (with its subtree), status, grade, tracking, brand. Cost and margin only with products.cost',
        querystring: productListQuery,
        response: responses(page(product)),
      },
    },
    async (request) => listProducts(app.db, request.ctx, request.query),
  );

  app.get(
    '/product-brands',
    {
      config: { permission: 'products.read' },
      schema: { tags, summary: 'Brands in use (for the filter)', response: responses(productBrands) },
    },
    async () => listBrands(app.db),
  );

  app.get(
    '/products/:id',
    {
      config: { permission: 'products.read' },
      schema: { tags, summary: 'One product', params: idParams, response: responses(product) },
    },
    async (request) => getProduct(app.db, request.ctx, request.params.id),
  );

  app.get(
    '/products/:id/history',
    {
      config: { permission: 'products.read' },
      schema: {
        tags,
        summary: "A product's history (cost changes only for products.cost)",
        params: idParams,
        response: responses(history),
      },
    },
    async (request) => productHistory(app.db, request.ctx, request.params.id),
  );

  const store = new FileStore(app.config.files.dir);
  app.get(
    '/products/:id/images/:imageId',
    {
      config: { permission: 'products.read' },
      schema: {
        tags,
        summary: "A product's picture (an image attachment of it), for thumbnails and the gallery",
        params: z.object({ id, imageId: id }).strict(),
        response: {
          200: z.unknown().meta({ description: 'The image', format: 'binary' }),
          '4xx': problem,
          '5xx': problem,
        },
      },
    },
    async (request, reply) => {
      const image = await openProductImage(app.db, store, request.params.id, request.params.imageId);
      return reply
        .header('content-type', image.contentType)
        .header('content-length', image.size)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(image.stream);
    },
  );

  app.post(
    '/products',
    {
      config: { permission: 'products.create' },
      schema: {
        tags,
        summary: 'Add a product; SKU and barcode unique; a cost price needs products.cost',
        body: productCreate,
        response: responses(product, 201),
      },
    },
    async (request, reply) => {
      const row = await createProduct(app.db, request.ctx, request.body);
      reply.code(201);
      return getProduct(app.db, request.ctx, row.id);
    },
  );

  app.patch(
    '/products/:id',
    {
      config: { permission: 'products.update' },
      schema: {
        tags,
        summary: 'Change a product (versioned); the tracking mode is fixed once stock has moved',
        params: idParams,
        body: productUpdate,
        response: responses(product),
      },
    },
    async (request) => {
      await updateProduct(app.db, request.ctx, request.params.id, request.body);
      return getProduct(app.db, request.ctx, request.params.id);
    },
  );

  for (const [action, status] of [
    ['archive', 'archived'],
    ['restore', 'active'],
  ] as const) {
    app.post(
      `/products/:id/${action}`,
      {
        config: { permission: 'products.archive' },
        schema: {
          tags,
          summary:
            action === 'archive' ? 'Archive a product (it stays for history)' : 'Restore an archived product',
          params: idParams,
          body: versionBody,
          response: responses(product),
        },
      },
      async (request) => {
        await setProductStatus(app.db, request.ctx, request.params.id, status, request.body.version);
        return getProduct(app.db, request.ctx, request.params.id);
      },
    );
  }
};
