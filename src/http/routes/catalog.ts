import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor } from '../../kernel';
import { MAX_IMAGES } from '../../modules/catalog';
import type { Services } from '../../services';
import { commonErrors, fenAmount, idParam, isoDate, pageOf, pageQuery } from '../schemas';

const status = z.enum(['active', 'archived']);
const positiveId = z.number().int().positive();
const queryId = z.coerce.number().int().positive();

const category = z.object({ id: z.number(), parentId: z.number().nullable(), name: z.string(), sortOrder: z.number() });
const supplier = z.object({
  id: z.number(),
  name: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  createdAt: isoDate,
});
const sku = z.object({
  id: z.number(),
  productId: z.number(),
  barcode: z.string().nullable(),
  spec: z.string(),
  unit: z.string(),
  basePriceFen: z.number().int(),
  status,
  createdAt: isoDate,
  updatedAt: isoDate,
});
const product = z.object({
  id: z.number(),
  categoryId: z.number(),
  supplierId: z.number().nullable(),
  name: z.string(),
  description: z.string(),
  imageUrls: z.array(z.string()),
  status,
  createdAt: isoDate,
  updatedAt: isoDate,
});
const productWithSkus = product.extend({ skus: z.array(sku) });
const regionSku = z.object({
  regionId: z.number(),
  skuId: z.number(),
  productId: z.number(),
  productName: z.string(),
  spec: z.string(),
  unit: z.string(),
  barcode: z.string().nullable(),
  basePriceFen: z.number().int(),
  priceFen: z.number().int().nullable().describe('regional price; null means the base price'),
  effectivePriceFen: z.number().int(),
  active: z.boolean(),
  skuStatus: status,
  productStatus: status,
});
const shelfItem = z.object({
  productId: z.number(),
  name: z.string(),
  description: z.string(),
  imageUrl: z.string().nullable(),
  categoryId: z.number(),
  categoryName: z.string(),
  skus: z.array(
    z.object({
      skuId: z.number(),
      spec: z.string(),
      unit: z.string(),
      barcode: z.string().nullable(),
      priceFen: z.number().int().describe('what the resident pays here: regional price, else base price'),
      basePriceFen: z.number().int(),
    }),
  ),
});

// Inputs. The service checks the same rules again (it is called from seeders and flows too);
// these make the documented contract and turn most mistakes into a 400 before any work.
const categoryBody = z.object({
  name: z.string().trim().min(1).max(32),
  parentId: positiveId.nullable().optional(),
  sortOrder: z.number().int().min(-1_000_000).max(1_000_000).optional(),
});
const supplierBody = z.object({
  name: z.string().trim().min(1).max(64),
  contactName: z.string().trim().max(32).optional(),
  contactPhone: z.string().trim().max(24).optional(),
});
const barcode = z.string().regex(/^[0-9A-Za-z-]{4,32}$/, 'barcode must be 4–32 letters, digits or dashes');
const skuBody = z.object({
  spec: z.string().trim().min(1).max(64).describe('e.g. 500g/袋'),
  unit: z.string().trim().min(1).max(8).describe('e.g. 袋'),
  basePriceFen: fenAmount,
  barcode: barcode.nullable().optional(),
  status: status.optional(),
});
const imageUrl = z.url({ protocol: /^https?$/, error: 'image must be an http(s) URL' }).max(1000);
const productBody = z.object({
  categoryId: positiveId,
  supplierId: positiveId.nullable().optional(),
  name: z.string().trim().min(1).max(80),
  description: z.string().max(2000).optional(),
  imageUrls: z.array(imageUrl).max(MAX_IMAGES).optional(),
  status: status.optional(),
});
const regionSkuParams = z.object({ regionId: queryId, skuId: queryId });

export function catalogRoutes(app: FastifyInstance, { catalog }: Services): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog'];

  // ── categories ──────────────────────────────────────────────────────────────
  r.get('/categories', {
    schema: {
      tags,
      summary: 'All categories, flat; build the tree from parentId (ordered by sortOrder)',
      response: { 200: z.object({ items: z.array(category) }), ...commonErrors },
    },
    handler: async () => ({ items: await catalog.listCategories() }),
  });

  r.post('/categories', {
    schema: { tags, summary: 'Create a category (operator)', body: categoryBody, response: { 201: category, ...commonErrors } },
    handler: async (req, reply) => reply.status(201).send(await catalog.createCategory(req.actor, req.body)),
  });

  r.patch('/categories/:id', {
    schema: {
      tags,
      summary: 'Rename, re-order or move a category (operator)',
      params: idParam,
      body: categoryBody.partial(),
      response: { 200: category, ...commonErrors },
    },
    handler: async (req) => catalog.updateCategory(req.actor, req.params.id, req.body),
  });

  // ── suppliers ───────────────────────────────────────────────────────────────
  r.get('/suppliers', {
    schema: { tags, summary: 'List suppliers (operator)', querystring: pageQuery, response: { 200: pageOf(supplier), ...commonErrors } },
    handler: async (req) => catalog.listSuppliers(req.actor, { afterId: decodeCursor(req.query.cursor), limit: req.query.limit }),
  });

  r.post('/suppliers', {
    schema: { tags, summary: 'Add a supplier (operator)', body: supplierBody, response: { 201: supplier, ...commonErrors } },
    handler: async (req, reply) => reply.status(201).send(await catalog.createSupplier(req.actor, req.body)),
  });

  r.patch('/suppliers/:id', {
    schema: {
      tags,
      summary: 'Edit a supplier (operator)',
      params: idParam,
      body: supplierBody.partial(),
      response: { 200: supplier, ...commonErrors },
    },
    handler: async (req) => catalog.updateSupplier(req.actor, req.params.id, req.body),
  });

  // ── products ────────────────────────────────────────────────────────────────
  r.get('/products', {
    schema: {
      tags,
      summary: 'List products (category includes its subcategories; q searches names)',
      querystring: pageQuery.extend({ categoryId: queryId.optional(), q: z.string().trim().max(64).optional(), status: status.optional() }),
      response: { 200: pageOf(product), ...commonErrors },
    },
    handler: async (req) =>
      catalog.listProducts({
        afterId: decodeCursor(req.query.cursor),
        limit: req.query.limit,
        categoryId: req.query.categoryId,
        q: req.query.q || undefined,
        status: req.query.status,
      }),
  });

  r.post('/products', {
    schema: {
      tags,
      summary: 'Create a product, optionally with its SKUs in the same transaction (operator)',
      body: productBody.extend({ skus: z.array(skuBody).max(50).optional() }),
      response: { 201: productWithSkus, ...commonErrors },
    },
    handler: async (req, reply) => reply.status(201).send(await catalog.createProduct(req.actor, req.body)),
  });

  r.get('/products/:id', {
    schema: { tags, summary: 'One product with all its SKUs', params: idParam, response: { 200: productWithSkus, ...commonErrors } },
    handler: async (req) => catalog.getProduct(req.params.id),
  });

  r.patch('/products/:id', {
    schema: {
      tags,
      summary: 'Edit a product; status archived takes it off every shelf (operator)',
      params: idParam,
      body: productBody.partial(),
      response: { 200: productWithSkus, ...commonErrors },
    },
    handler: async (req) => catalog.updateProduct(req.actor, req.params.id, req.body),
  });

  // ── SKUs ────────────────────────────────────────────────────────────────────
  r.post('/products/:id/skus', {
    schema: { tags, summary: 'Add a SKU to a product (operator)', params: idParam, body: skuBody, response: { 201: sku, ...commonErrors } },
    handler: async (req, reply) => reply.status(201).send(await catalog.addSku(req.actor, req.params.id, req.body)),
  });

  r.patch('/skus/:id', {
    schema: { tags, summary: 'Edit a SKU (operator)', params: idParam, body: skuBody.partial(), response: { 200: sku, ...commonErrors } },
    handler: async (req) => catalog.updateSku(req.actor, req.params.id, req.body),
  });

  r.get('/skus/by-barcode/:barcode', {
    schema: {
      tags,
      summary: 'Find the SKU a barcode scan names',
      params: z.object({ barcode: z.string().max(64) }),
      response: { 200: sku.extend({ productName: z.string() }), ...commonErrors },
    },
    handler: async (req) => catalog.skuByBarcode(req.params.barcode),
  });

  // ── regional assortment ─────────────────────────────────────────────────────
  r.get('/regions/:regionId/skus', {
    schema: {
      tags,
      summary: "A region's assortment with regional and effective prices (operator)",
      params: z.object({ regionId: queryId }),
      querystring: pageQuery,
      response: { 200: pageOf(regionSku), ...commonErrors },
    },
    handler: async (req) =>
      catalog.listRegionSkus(req.actor, {
        regionId: req.params.regionId,
        afterSkuId: decodeCursor(req.query.cursor),
        limit: req.query.limit,
      }),
  });

  r.put('/regions/:regionId/skus/:skuId', {
    schema: {
      tags,
      summary: 'Sell a SKU in a region, set its regional price (null: base price) or pause it (operator)',
      params: regionSkuParams,
      body: z.object({ priceFen: fenAmount.nullable().optional(), active: z.boolean() }),
      response: { 200: regionSku, ...commonErrors },
    },
    handler: async (req) => catalog.setRegionSku(req.actor, req.params.regionId, req.params.skuId, req.body),
  });

  r.delete('/regions/:regionId/skus/:skuId', {
    schema: {
      tags,
      summary: 'Stop selling a SKU in a region (operator)',
      params: regionSkuParams,
      response: { 204: z.null(), ...commonErrors },
    },
    handler: async (req, reply) => {
      await catalog.removeRegionSku(req.actor, req.params.regionId, req.params.skuId);
      return reply.status(204).send(null);
    },
  });

  // ── the resident's product list (hot path; public) ──────────────────────────
  r.get('/communities/:id/products', {
    schema: {
      tags,
      summary: "What a community's residents can buy: active products sold in its region, with effective prices",
      security: [],
      params: idParam,
      querystring: z.object({
        categoryId: queryId.optional(),
        cursor: pageQuery.shape.cursor,
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: { 200: pageOf(shelfItem), ...commonErrors },
    },
    handler: async (req, reply) => {
      const json = await catalog.communityShelfJson(req.params.id, req.query);
      // The page is already JSON text (cached); a string with a JSON content type is sent as
      // it is, without running the response serializer. The schema above stays for the docs.
      return reply.type('application/json; charset=utf-8').send(json as unknown as z.infer<ReturnType<typeof pageOf<typeof shelfItem>>>);
    },
  });
}
