// The catalog the `browse` benchmark serves: one region, one community, ~200 products with
// ~330 SKUs, generated deterministically (same names, prices and assortment on every run) so
// results on different machines and backends compare.
import type { Actor } from '../src/modules/people';
import type { Services } from '../src/services';
import { seededUniform } from '../src/kernel';

const CATEGORIES: Array<[string, string[]]> = [
  ['蔬菜', ['小白菜', '菠菜', '生菜', '油麦菜', '西红柿', '黄瓜', '土豆', '胡萝卜', '茄子', '青椒', '西兰花', '洋葱', '冬瓜', '南瓜', '莲藕', '山药', '芹菜', '韭菜']],
  ['水果', ['红富士苹果', '香蕉', '赣南脐橙', '巨峰葡萄', '麒麟西瓜', '草莓', '猕猴桃', '芒果', '砀山梨', '水蜜桃', '火龙果', '沙田柚']],
  ['肉禽', ['五花肉', '猪肋排', '鸡胸肉', '鸡翅中', '牛腩', '羊肉卷', '猪蹄', '琵琶腿']],
  ['水产', ['鲈鱼', '基围虾', '带鱼段', '草鱼', '鱿鱼', '花甲']],
  ['蛋奶', ['土鸡蛋', '咸鸭蛋', '纯牛奶', '原味酸奶', '豆浆']],
  ['粮油', ['东北大米', '高筋面粉', '龙须挂面', '花生油', '菜籽油', '小米']],
  ['调味', ['生抽', '老抽', '香醋', '料酒', '井盐', '绵白糖', '郫县豆瓣酱']],
  ['零食', ['原味薯片', '苏打饼干', '五香瓜子', '每日坚果', '黑巧克力']],
  ['饮料', ['矿泉水', '可乐', '鲜榨橙汁', '无糖绿茶', '纯生啤酒']],
  ['日用', ['抽纸', '洗衣液', '洗洁精', '牙膏', '垃圾袋']],
];
const QUALIFIERS = ['本地', '精选', '农家', '有机'];
const SPECS: Array<[string, string]> = [
  ['500g/份', '份'],
  ['1kg/袋', '袋'],
  ['2.5kg/箱', '箱'],
];

export const BENCH_PRODUCTS = 200;


export interface SeededCatalog {
  regionId: number;
  communityId: number;
  products: number;
  skus: number;
  skusInRegion: number;
}

/**
 * Seed through the catalog service (the same checks as the API). Regions and communities are
 * inserted with two SQL statements: the benchmark needs only their ids, and keeping it off the
 * place API keeps this benchmark independent of that module's evolution.
 */
export async function seedBrowseCatalog(services: Services, seed = 20261125): Promise<SeededCatalog> {
  const { db, catalog } = services;
  // Catalog writes record no author, so a stand-in operator is enough for seeding.
  const operator: Actor = { accountId: 0, roles: new Set(['operator']) };
  const random = seededUniform(seed);

  const region = await db.query<{ id: number }>(
    `INSERT INTO regions (kind, name, code) VALUES ('city', '长沙市', 'BENCH-CS') RETURNING id::int AS id`,
  );
  const regionId = region[0]!.id;
  const community = await db.query<{ id: number }>(
    `INSERT INTO communities (region_id, name, address, lat, lng, h3_cell, households)
     VALUES ($1, '枫林绿洲小区', '岳麓区枫林三路 88 号', 28.2012, 112.9388, '894109a5a8bffff', 1200) RETURNING id::int AS id`,
    [regionId],
  );
  const communityId = community[0]!.id;

  const categoryIds: number[] = [];
  for (const [i, [name]] of CATEGORIES.entries()) {
    categoryIds.push((await catalog.createCategory(operator, { name, sortOrder: i })).id);
  }
  const bases = CATEGORIES.flatMap(([, goods], c) => goods.map((g) => ({ name: g, categoryId: categoryIds[c]! })));

  const regionRows: Array<{ regionId: number; skuId: number; priceFen: number | null; active: boolean }> = [];
  let skuCount = 0;
  for (let i = 0; i < BENCH_PRODUCTS; i += 1) {
    const base = bases[i % bases.length]!;
    const qualifier = QUALIFIERS[Math.floor(i / bases.length) % QUALIFIERS.length]!;
    // One to three sizes per product: ~330 SKUs over 200 products.
    const sizes = 1 + (i % 2) + (i % 7 === 0 ? 1 : 0);
    const unitPrice = 150 + Math.floor(random() * 4000);
    const product = await catalog.createProduct(operator, {
      categoryId: base.categoryId,
      name: `${qualifier}${base.name}`,
      description: `${qualifier}${base.name}，产地直采，次日到自提点。`,
      imageUrls: [`https://img.linli.example/goods/${i + 1}.jpg`],
      skus: SPECS.slice(0, sizes).map(([spec, unit], s) => ({
        spec,
        unit,
        basePriceFen: unitPrice * (s === 0 ? 1 : s === 1 ? 2 : 5) - s * 50,
        barcode: `69${String(seed % 1000).padStart(3, '0')}${String(i * 10 + s).padStart(8, '0')}`,
      })),
    });
    for (const [s, sku] of product.skus.entries()) {
      skuCount += 1;
      const n = i * 3 + s;
      regionRows.push({
        regionId,
        skuId: sku.id,
        // Every fourth SKU has a regional price; every eleventh is paused in the region.
        priceFen: n % 4 === 0 ? Math.max(1, sku.basePriceFen - 30) : null,
        active: n % 11 !== 0,
      });
    }
  }
  await catalog.bulkSetRegionSkus(operator, regionRows);
  catalog.invalidateCache();
  return { regionId, communityId, products: BENCH_PRODUCTS, skus: skuCount, skusInRegion: regionRows.filter((r) => r.active).length };
}
