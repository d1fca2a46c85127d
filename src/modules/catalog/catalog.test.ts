import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../db/testing';
import { createTestApp, type TestApp } from '../../http/testing';

// Regions and communities belong to the place module; these tests make the few rows they
// need directly so the catalog suite does not depend on the place API.
async function makeRegion(t: TestApp, code: string): Promise<number> {
  const rows = await t.db.query<{ id: number }>(
    `INSERT INTO regions (kind, name, code) VALUES ('city', $1, $1) RETURNING id::int AS id`,
    [code],
  );
  return rows[0]!.id;
}
async function makeCommunity(t: TestApp, regionId: number, name: string): Promise<number> {
  const rows = await t.db.query<{ id: number }>(
    `INSERT INTO communities (region_id, name, lat, lng, h3_cell) VALUES ($1, $2, 28.2, 112.9, '8940000000fffff') RETURNING id::int AS id`,
    [regionId, name],
  );
  return rows[0]!.id;
}
async function count(t: TestApp, table: string): Promise<number> {
  return (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
}

describe.each(testBackends())('catalog over HTTP on %s', (backend) => {
  let t: TestApp;
  let op: string;
  let resident: string;
  let regionA: number;
  let regionB: number;
  let communityA: number;
  let communityB: number;
  let vegId: number;
  let leafyId: number;

  beforeAll(async () => {
    t = await createTestApp(backend);
    op = (await t.user(['operator'], 'op')).token;
    resident = (await t.user(['resident'], 'res')).token;
    regionA = await makeRegion(t, 'CS-A');
    regionB = await makeRegion(t, 'CS-B');
    communityA = await makeCommunity(t, regionA, '枫林小区');
    communityB = await makeCommunity(t, regionB, '阳光花园');
  });
  afterAll(async () => t.close());

  const post = (url: string, payload: unknown, token = op) => t.call('POST', url, { token, payload });
  const patch = (url: string, payload: unknown, token = op) => t.call('PATCH', url, { token, payload });
  const put = (url: string, payload: unknown, token = op) => t.call('PUT', url, { token, payload });

  async function product(name: string, skus: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
    const res = await post('/api/products', { categoryId: leafyId, name, skus, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; skus: Array<{ id: number }> };
  }

  it('categories form a tree, are public to read, and cannot loop or repeat a sibling name', async () => {
    const veg = await post('/api/categories', { name: '蔬菜', sortOrder: 2 });
    expect(veg.status).toBe(201);
    vegId = veg.body.id;
    const fruit = await post('/api/categories', { name: '水果', sortOrder: 1 });
    const leafy = await post('/api/categories', { name: '叶菜', parentId: vegId });
    leafyId = leafy.body.id;
    expect(leafy.body).toMatchObject({ parentId: vegId, sortOrder: 0 });

    const list = await t.call('GET', '/api/categories');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['叶菜', '水果', '蔬菜']);

    const loop = await patch(`/api/categories/${vegId}`, { parentId: leafyId });
    expect(loop.status).toBe(400);
    expect(loop.body.error.field).toBe('parentId');
    const self = await patch(`/api/categories/${vegId}`, { parentId: vegId });
    expect(self.status).toBe(400);

    const dup = await post('/api/categories', { name: '水果' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.field).toBe('name');
    const renamed = await patch(`/api/categories/${fruit.body.id}`, { name: '时令水果' });
    expect(renamed.body.name).toBe('时令水果');
  });

  it('creates a product with its SKUs in one transaction, readable by anyone', async () => {
    const created = await post('/api/products', {
      categoryId: leafyId,
      name: '本地小白菜',
      description: '当天采摘',
      imageUrls: ['https://img.example.com/a.jpg', 'http://img.example.com/b.jpg'],
      skus: [
        { spec: '500g/袋', unit: '袋', basePriceFen: 350, barcode: '6900000000011' },
        { spec: '1kg/袋', unit: '袋', basePriceFen: 650 },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.skus).toHaveLength(2);
    expect(created.body.skus[1].barcode).toBeNull();

    const got = await t.call('GET', `/api/products/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.skus.map((s: { spec: string }) => s.spec)).toEqual(['500g/袋', '1kg/袋']);

    const scan = await t.call('GET', '/api/skus/by-barcode/6900000000011');
    expect(scan.status).toBe(200);
    expect(scan.body).toMatchObject({ productId: created.body.id, productName: '本地小白菜', basePriceFen: 350 });
    expect((await t.call('GET', '/api/skus/by-barcode/0000000000')).status).toBe(404);
  });

  it('a duplicate barcode anywhere in the request writes neither product nor SKUs', async () => {
    const before = [await count(t, 'products'), await count(t, 'skus')];
    const inRequest = await post('/api/products', {
      categoryId: leafyId,
      name: '重复条码',
      skus: [
        { spec: 'a', unit: '个', basePriceFen: 100, barcode: 'DUP-1' },
        { spec: 'b', unit: '个', basePriceFen: 100, barcode: 'DUP-1' },
      ],
    });
    expect(inRequest.status).toBe(409);
    expect(inRequest.body.error.field).toBe('skus.1.barcode');
    const existing = await post('/api/products', {
      categoryId: leafyId,
      name: '重复条码',
      skus: [{ spec: 'a', unit: '个', basePriceFen: 100, barcode: '6900000000011' }],
    });
    expect(existing.status).toBe(409);
    expect(existing.body.error.field).toBe('skus.0.barcode');
    expect([await count(t, 'products'), await count(t, 'skus')]).toEqual(before);
  });

  it('every write route answers bad input with 400 naming the field and writes nothing', async () => {
    const p = await product('校验用', [{ spec: '1个', unit: '个', basePriceFen: 100 }]);
    const skuId = p.skus[0]!.id;
    await put(`/api/regions/${regionA}/skus/${skuId}`, { active: true, priceFen: 90 });
    const supplier = await post('/api/suppliers', { name: '绿源农场' });
    const tables = ['categories', 'suppliers', 'products', 'skus', 'region_skus'];
    const snapshot = async () => ({
      counts: await Promise.all(tables.map((x) => count(t, x))),
      rows: await t.db.query(
        `SELECT (SELECT string_agg(name || sort_order || coalesce(parent_id::text, ''), ',' ORDER BY id) FROM categories) c,
                (SELECT string_agg(name || contact_phone, ',' ORDER BY id) FROM suppliers) s,
                (SELECT string_agg(name || status || array_to_string(image_urls, ' '), ',' ORDER BY id) FROM products) p,
                (SELECT string_agg(spec || base_price_fen || status, ',' ORDER BY id) FROM skus) k,
                (SELECT string_agg(sku_id || ':' || coalesce(price_fen, 0) || active, ',' ORDER BY sku_id) FROM region_skus) r`,
      ),
    });
    const before = await snapshot();
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/api/categories', { name: '' }, 'name'],
      ['POST', '/api/categories', { name: '新', parentId: 999999 }, 'parentId'],
      ['PATCH', `/api/categories/${vegId}`, { sortOrder: 1.5 }, 'sortOrder'],
      ['PATCH', `/api/categories/${vegId}`, { name: 'x'.repeat(33) }, 'name'],
      ['POST', '/api/suppliers', { contactName: '张' }, 'name'],
      ['PATCH', `/api/suppliers/${supplier.body.id}`, { contactPhone: 'call me' }, 'contactPhone'],
      ['POST', '/api/products', { categoryId: leafyId, name: '坏图', imageUrls: ['javascript:alert(1)'] }, 'imageUrls.0'],
      ['POST', '/api/products', { categoryId: leafyId, name: '坏图', imageUrls: ['ftp://x/y.jpg'] }, 'imageUrls.0'],
      ['POST', '/api/products', { categoryId: 999999, name: '无类目' }, 'categoryId'],
      ['POST', '/api/products', { categoryId: leafyId, name: '浮点价', skus: [{ spec: 'a', unit: '个', basePriceFen: 12.5 }] }, 'skus.0.basePriceFen'],
      ['POST', '/api/products', { categoryId: leafyId, name: '零价', skus: [{ spec: 'a', unit: '个', basePriceFen: 0 }] }, 'skus.0.basePriceFen'],
      ['POST', '/api/products', { categoryId: leafyId, name: '', skus: [] }, 'name'],
      ['PATCH', `/api/products/${p.id}`, { imageUrls: ['not a url'] }, 'imageUrls.0'],
      ['PATCH', `/api/products/${p.id}`, { status: 'deleted' }, 'status'],
      ['PATCH', `/api/products/${p.id}`, { supplierId: 999999 }, 'supplierId'],
      ['POST', `/api/products/${p.id}/skus`, { spec: 'b', unit: '个', basePriceFen: 9.99 }, 'basePriceFen'],
      ['POST', `/api/products/${p.id}/skus`, { spec: 'b', unit: '个', basePriceFen: -100 }, 'basePriceFen'],
      ['POST', `/api/products/${p.id}/skus`, { spec: 'b', unit: '超过八个字符的单位名', basePriceFen: 100 }, 'unit'],
      ['POST', `/api/products/${p.id}/skus`, { spec: 'b', unit: '个', basePriceFen: 100, barcode: '条码' }, 'barcode'],
      ['PATCH', `/api/skus/${skuId}`, { basePriceFen: 0 }, 'basePriceFen'],
      ['PATCH', `/api/skus/${skuId}`, { basePriceFen: '100' }, 'basePriceFen'],
      ['PUT', `/api/regions/${regionA}/skus/${skuId}`, { priceFen: 9.9, active: true }, 'priceFen'],
      ['PUT', `/api/regions/${regionA}/skus/${skuId}`, { priceFen: 100 }, 'active'],
      ['DELETE', `/api/regions/${regionA}/skus/abc`, undefined, 'skuId'],
    ];
    for (const [method, url, payload, field] of cases) {
      const res = await t.call(method as 'POST', url, { token: op, ...(payload === undefined ? {} : { payload }) });
      expect(res.status, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(res.body.error.field, `${method} ${url} ${JSON.stringify(payload)}`).toBe(field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('only an operator writes: a resident gets 403, nobody 401, and nothing is written', async () => {
    const p = await product('权限用', [{ spec: '1个', unit: '个', basePriceFen: 100 }]);
    const skuId = p.skus[0]!.id;
    await put(`/api/regions/${regionA}/skus/${skuId}`, { active: true });
    const tables = ['categories', 'suppliers', 'products', 'skus', 'region_skus'];
    const snapshot = async () => ({
      counts: await Promise.all(tables.map((x) => count(t, x))),
      rows: await t.db.query(
        `SELECT (SELECT string_agg(name, ',' ORDER BY id) FROM categories) c,
                (SELECT string_agg(name || status, ',' ORDER BY id) FROM products) p,
                (SELECT string_agg(spec || base_price_fen, ',' ORDER BY id) FROM skus) k,
                (SELECT string_agg(sku_id || ':' || coalesce(price_fen, 0) || active, ',' ORDER BY sku_id) FROM region_skus) r`,
      ),
    });
    const before = await snapshot();
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/api/categories', { name: '偷偷加' }],
      ['PATCH', `/api/categories/${vegId}`, { name: '改名' }],
      ['POST', '/api/suppliers', { name: '偷偷加' }],
      ['PATCH', '/api/suppliers/1', { name: '改名' }],
      ['POST', '/api/products', { categoryId: leafyId, name: '偷偷加', skus: [{ spec: 'a', unit: '个', basePriceFen: 1 }] }],
      ['PATCH', `/api/products/${p.id}`, { status: 'archived' }],
      ['POST', `/api/products/${p.id}/skus`, { spec: 'b', unit: '个', basePriceFen: 1 }],
      ['PATCH', `/api/skus/${skuId}`, { basePriceFen: 1 }],
      ['PUT', `/api/regions/${regionA}/skus/${skuId}`, { priceFen: 1, active: true }],
      ['DELETE', `/api/regions/${regionA}/skus/${skuId}`, undefined],
    ];
    for (const [method, url, payload] of writes) {
      const opts = payload === undefined ? {} : { payload };
      const asResident = await t.call(method as 'POST', url, { token: resident, ...opts });
      expect(asResident.status, `${method} ${url}`).toBe(403);
      const anonymous = await t.call(method as 'POST', url, opts);
      expect(anonymous.status, `${method} ${url}`).toBe(401);
    }
    // Operator-only reads.
    expect((await t.call('GET', '/api/suppliers', { token: resident })).status).toBe(403);
    expect((await t.call('GET', `/api/regions/${regionA}/skus`, { token: resident })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('a community sees active products sold in its region, active SKUs only, at the effective price', async () => {
    const p1 = await product('西红柿', [
      { spec: '500g', unit: '份', basePriceFen: 500 },
      { spec: '1kg', unit: '份', basePriceFen: 900 },
      { spec: '5kg', unit: '箱', basePriceFen: 4000 },
      { spec: '特价', unit: '份', basePriceFen: 300 },
    ], { imageUrls: ['https://img.example.com/tomato.jpg'] });
    const [s500, s1k, s5k, sCheap] = p1.skus.map((s) => s.id) as [number, number, number, number];
    const p2 = await product('已下架黄瓜', [{ spec: '500g', unit: '份', basePriceFen: 400 }]);
    const p3 = await product('只在B区卖', [{ spec: '1个', unit: '个', basePriceFen: 200 }]);

    expect((await put(`/api/regions/${regionA}/skus/${s500}`, { active: true, priceFen: 450 })).body).toMatchObject({
      priceFen: 450,
      basePriceFen: 500,
      effectivePriceFen: 450,
    });
    await put(`/api/regions/${regionA}/skus/${s1k}`, { active: true }); // base price
    await put(`/api/regions/${regionA}/skus/${s5k}`, { active: false, priceFen: 3500 }); // paused here
    await put(`/api/regions/${regionA}/skus/${sCheap}`, { active: true });
    await patch(`/api/skus/${sCheap}`, { status: 'archived' }); // archived SKU
    await put(`/api/regions/${regionA}/skus/${p2.skus[0]!.id}`, { active: true });
    await patch(`/api/products/${p2.id}`, { status: 'archived' }); // archived product
    await put(`/api/regions/${regionB}/skus/${p3.skus[0]!.id}`, { active: true, priceFen: 150 });

    const res = await t.call('GET', `/api/communities/${communityA}/products?limit=100`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const tomato = res.body.items.find((i: { productId: number }) => i.productId === p1.id);
    expect(tomato).toMatchObject({ name: '西红柿', imageUrl: 'https://img.example.com/tomato.jpg', categoryId: leafyId, categoryName: '叶菜' });
    expect(tomato.skus).toEqual([
      { skuId: s500, spec: '500g', unit: '份', barcode: null, priceFen: 450, basePriceFen: 500 },
      { skuId: s1k, spec: '1kg', unit: '份', barcode: null, priceFen: 900, basePriceFen: 900 },
    ]);
    const names = res.body.items.map((i: { name: string }) => i.name);
    expect(names).not.toContain('已下架黄瓜');
    expect(names).not.toContain('只在B区卖');

    const b = await t.call('GET', `/api/communities/${communityB}/products`);
    expect(b.body.items).toEqual([expect.objectContaining({ name: '只在B区卖', imageUrl: null, skus: [expect.objectContaining({ priceFen: 150 })] })]);

    // Filtering by the parent category finds products in its subcategories.
    const byParent = await t.call('GET', `/api/communities/${communityA}/products?categoryId=${vegId}&limit=100`);
    expect(byParent.body.items.map((i: { name: string }) => i.name)).toContain('西红柿');
    expect((await t.call('GET', '/api/communities/999999/products')).status).toBe(404);

    const view = await t.call('GET', `/api/regions/${regionA}/skus?limit=200`, { token: op });
    expect(view.status).toBe(200);
    expect(view.body.items.find((r: { skuId: number }) => r.skuId === s5k)).toMatchObject({ active: false, effectivePriceFen: 3500 });
  });

  it('pages through the community list with a cursor, without repeats or gaps', async () => {
    const region = await makeRegion(t, 'PAGE');
    const community = await makeCommunity(t, region, '分页小区');
    const ids: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const p = await product(`分页商品${i}`, [{ spec: '1个', unit: '个', basePriceFen: 100 + i }]);
      await put(`/api/regions/${region}/skus/${p.skus[0]!.id}`, { active: true });
      ids.push(p.id);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/communities/${community}/products?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.call('GET', url);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { productId: number }) => i.productId));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    const bad = await t.call('GET', `/api/communities/${community}/products?cursor=nonsense`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('cursor');
  });

  it('serves the list from cache until a catalog write, then shows the new price at once', async () => {
    const region = await makeRegion(t, 'CACHE');
    const community = await makeCommunity(t, region, '缓存小区');
    const p = await product('缓存鸡蛋', [{ spec: '10枚', unit: '盒', basePriceFen: 1200 }]);
    const skuId = p.skus[0]!.id;
    await put(`/api/regions/${region}/skus/${skuId}`, { active: true });
    const url = `/api/communities/${community}/products`;
    const first = await t.call('GET', url);
    expect(first.body.items[0].skus[0].priceFen).toBe(1200);

    // A write behind the service's back is not seen: the page comes from the cache.
    await t.db.query('UPDATE skus SET base_price_fen = 1 WHERE id = $1', [skuId]);
    expect((await t.call('GET', url)).body.items[0].skus[0].priceFen).toBe(1200);

    // Writes through the service invalidate it.
    await patch(`/api/skus/${skuId}`, { basePriceFen: 1100 });
    expect((await t.call('GET', url)).body.items[0].skus[0].priceFen).toBe(1100);
    await put(`/api/regions/${region}/skus/${skuId}`, { active: true, priceFen: 999 });
    expect((await t.call('GET', url)).body.items[0].skus[0]).toMatchObject({ priceFen: 999, basePriceFen: 1100 });
    await patch(`/api/products/${p.id}`, { name: '散养鸡蛋' });
    expect((await t.call('GET', url)).body.items[0].name).toBe('散养鸡蛋');
    await t.call('DELETE', `/api/regions/${region}/skus/${skuId}`, { token: op });
    expect((await t.call('GET', url)).body.items).toEqual([]);

    // Seeders that write around the service call invalidateCache().
    await t.db.query('INSERT INTO region_skus (region_id, sku_id) VALUES ($1, $2)', [region, skuId]);
    expect((await t.call('GET', url)).body.items).toEqual([]);
    t.services.catalog.invalidateCache();
    expect((await t.call('GET', url)).body.items).toHaveLength(1);
  });

  it('lists products by category, name and status; suppliers for operators', async () => {
    const s = await post('/api/suppliers', { name: '湘江粮油', contactName: '李经理', contactPhone: '0731-8888 6666' });
    expect(s.status).toBe(201);
    await product('东北大米 5kg', [{ spec: '5kg/袋', unit: '袋', basePriceFen: 4590 }], { supplierId: s.body.id });
    const found = await t.call('GET', `/api/products?q=${encodeURIComponent('大米')}`);
    expect(found.body.items.map((p: { name: string }) => p.name)).toEqual(['东北大米 5kg']);
    expect(found.body.items[0].supplierId).toBe(s.body.id);
    const pct = await t.call('GET', `/api/products?q=${encodeURIComponent('%')}`);
    expect(pct.body.items).toEqual([]);
    const archived = await t.call('GET', '/api/products?status=archived');
    expect(archived.body.items.map((p: { name: string }) => p.name)).toContain('已下架黄瓜');
    const byCat = await t.call('GET', `/api/products?categoryId=${vegId}&limit=2`);
    expect(byCat.body.items).toHaveLength(2);
    expect(byCat.body.nextCursor).toEqual(expect.any(String));
    const suppliers = await t.call('GET', '/api/suppliers', { token: op });
    expect(suppliers.body.items.map((x: { name: string }) => x.name)).toContain('湘江粮油');
    const edited = await patch(`/api/suppliers/${s.body.id}`, { contactName: '王经理' });
    expect(edited.body.contactName).toBe('王经理');
  });

  it('documents the catalog and traffic routes in the OpenAPI document', async () => {
    const res = await t.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/api/categories',
      '/api/categories/{id}',
      '/api/suppliers',
      '/api/suppliers/{id}',
      '/api/products',
      '/api/products/{id}',
      '/api/products/{id}/skus',
      '/api/skus/{id}',
      '/api/skus/by-barcode/{barcode}',
      '/api/regions/{regionId}/skus',
      '/api/regions/{regionId}/skus/{skuId}',
      '/api/communities/{id}/products',
      '/api/share-links',
      '/api/share-links/{code}',
      '/api/traffic/events',
      '/api/traffic/summary',
    ]) {
      expect(paths, p).toContain(p);
    }
    const shelf = res.body.paths['/api/communities/{id}/products'].get.responses['200'];
    expect(JSON.stringify(shelf)).toContain('basePriceFen');
  });
});
