// SQL of campaigns, their items and rest days. The read models (item details with stock and
// sales, figures, the relay list) join the catalog, stock and order tables in one statement
// each, so a list of campaigns or a point's few hundred orders cost a fixed number of queries.
import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import { campaignItems, campaigns, marketRestDays, type CampaignStatus } from './groupbuy.schema';

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignItemRow = typeof campaignItems.$inferSelect;
export type NewCampaign = Omit<typeof campaigns.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'status'>;
export type NewCampaignItem = Omit<CampaignItemRow, 'campaignId'>;
export type RestDay = { day: string; reason: string };

/** An item with what the catalog says about its SKU and what its campaign's location holds. */
export interface ItemDetailRow {
  campaignId: number;
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  imageUrl: string | null;
  basePriceFen: number;
  groupPriceFen: number;
  limitPerPerson: number | null;
  stock: number;
  leaderOnly: boolean;
  leaderCommissionBp: number | null;
  /** The SKU and its product are still active in the catalog. */
  onSale: boolean;
  /** Null while the campaign has no stock row for the SKU (a draft). */
  onHand: number | null;
  reserved: number | null;
}

export interface SalesRow {
  campaignId: number;
  skuId: number;
  sold: number;
}

export interface FiguresRow {
  campaignId: number;
  orders: number;
  buyers: number;
  gmvFen: number;
}

export interface RelayRow {
  orderId: number;
  no: number;
  buyerName: string;
  paidAt: Date | string;
  status: string;
  totalFen: number;
  refundedFen: number;
  lines: { title: string; spec: string; quantity: number; refundedQuantity: number }[];
}

const ids = (list: number[]) => sql`${sql.param(list)}::bigint[]`;

export class CampaignsRepo {
  async insert(db: Executor, row: NewCampaign): Promise<CampaignRow> {
    return (await db.insert(campaigns).values(row).returning())[0]!;
  }

  async update(db: Executor, id: number, patch: Partial<NewCampaign> & { status?: CampaignStatus }): Promise<CampaignRow | null> {
    const rows = await db
      .update(campaigns)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(campaigns.id, id))
      .returning();
    return rows[0] ?? null;
  }

  async find(db: Executor, id: number): Promise<CampaignRow | null> {
    return (await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1))[0] ?? null;
  }

  async lock(db: Executor, id: number): Promise<CampaignRow | null> {
    return (await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1).for('update'))[0] ?? null;
  }

  /** Newest first, keyset on id. */
  async list(db: Executor, q: { regionId?: number | undefined; status?: CampaignStatus | undefined; beforeId: number | null; limit: number }): Promise<CampaignRow[]> {
    const where: SQL[] = [];
    if (q.regionId !== undefined) where.push(eq(campaigns.regionId, q.regionId));
    if (q.status !== undefined) where.push(eq(campaigns.status, q.status));
    if (q.beforeId !== null) where.push(lt(campaigns.id, q.beforeId));
    return db
      .select()
      .from(campaigns)
      .where(and(...where))
      .orderBy(desc(campaigns.id))
      .limit(q.limit + 1);
  }

  /** Published campaigns of these regions taking orders at `now`, the soonest cutoff first. */
  async openIn(db: Executor, regionIds: number[], now: Date): Promise<CampaignRow[]> {
    return db
      .select()
      .from(campaigns)
      .where(
        and(
          inArray(campaigns.regionId, regionIds),
          eq(campaigns.status, 'published'),
          sql`${campaigns.startsAt} <= ${now.toISOString()}::timestamptz`,
          sql`${campaigns.cutoffAt} > ${now.toISOString()}::timestamptz`,
        ),
      )
      .orderBy(campaigns.cutoffAt, campaigns.id);
  }

  /** The most recent campaign of these regions that went on sale (published or cut off). */
  async latestIn(db: Executor, regionIds: number[]): Promise<CampaignRow | null> {
    const rows = await db
      .select()
      .from(campaigns)
      .where(and(inArray(campaigns.regionId, regionIds), inArray(campaigns.status, ['published', 'cut_off'])))
      .orderBy(desc(campaigns.startsAt), desc(campaigns.id))
      .limit(1);
    return rows[0] ?? null;
  }

  async replaceItems(db: Executor, campaignId: number, items: NewCampaignItem[]): Promise<void> {
    await db.delete(campaignItems).where(eq(campaignItems.campaignId, campaignId));
    if (items.length > 0) await db.insert(campaignItems).values(items.map((i) => ({ ...i, campaignId })));
  }

  async items(db: Executor, campaignId: number): Promise<CampaignItemRow[]> {
    return db.select().from(campaignItems).where(eq(campaignItems.campaignId, campaignId)).orderBy(campaignItems.sortOrder, campaignItems.skuId);
  }

  /** Items of these campaigns with SKU details and the stock on each campaign's location. */
  async itemDetails(db: Executor, campaignIds: number[]): Promise<ItemDetailRow[]> {
    if (campaignIds.length === 0) return [];
    return selectRows<ItemDetailRow>(
      db,
      sql`SELECT ci.campaign_id AS "campaignId", ci.sku_id AS "skuId", s.product_id AS "productId", p.name AS title, s.spec, s.unit,
                 p.image_urls[1] AS "imageUrl", s.base_price_fen AS "basePriceFen", ci.group_price_fen AS "groupPriceFen",
                 ci.limit_per_person AS "limitPerPerson", ci.stock, ci.leader_only AS "leaderOnly",
                 ci.leader_commission_bp AS "leaderCommissionBp",
                 (s.status = 'active' AND p.status = 'active') AS "onSale",
                 sl.on_hand AS "onHand", sl.reserved
          FROM campaign_items ci
          JOIN skus s ON s.id = ci.sku_id
          JOIN products p ON p.id = s.product_id
          LEFT JOIN stock_locations loc ON loc.campaign_id = ci.campaign_id
          LEFT JOIN stock_levels sl ON sl.location_id = loc.id AND sl.sku_id = ci.sku_id
          WHERE ci.campaign_id = ANY(${ids(campaignIds)})
          ORDER BY ci.campaign_id, ci.sort_order, ci.sku_id`,
    );
  }

  /** Units paid for per campaign and SKU, less units refunded. */
  async sales(db: Executor, campaignIds: number[]): Promise<SalesRow[]> {
    if (campaignIds.length === 0) return [];
    return selectRows<SalesRow>(
      db,
      sql`SELECT o.campaign_id AS "campaignId", l.sku_id AS "skuId", sum(l.quantity - l.refunded_quantity)::int AS sold
          FROM orders o JOIN order_lines l ON l.order_id = o.id
          WHERE o.campaign_id = ANY(${ids(campaignIds)}) AND o.paid_at IS NOT NULL
          GROUP BY o.campaign_id, l.sku_id`,
    );
  }

  /** Paid orders, distinct buyers and money kept, per campaign. */
  async figures(db: Executor, campaignIds: number[]): Promise<FiguresRow[]> {
    if (campaignIds.length === 0) return [];
    return selectRows<FiguresRow>(
      db,
      sql`SELECT campaign_id AS "campaignId", count(*)::int AS orders, count(DISTINCT buyer_account_id)::int AS buyers,
                 coalesce(sum(paid_fen - refunded_fen), 0)::bigint AS "gmvFen"
          FROM orders
          WHERE campaign_id = ANY(${ids(campaignIds)}) AND paid_at IS NOT NULL
          GROUP BY campaign_id`,
    );
  }

  async hasPaidOrder(db: Executor, campaignId: number): Promise<boolean> {
    const rows = await selectRows<{ one: number }>(db, sql`SELECT 1 AS one FROM orders WHERE campaign_id = ${campaignId} AND paid_at IS NOT NULL LIMIT 1`);
    return rows.length > 0;
  }

  /**
   * The relay list (接龙) of one pickup point for one campaign: its paid orders numbered by
   * payment time, with the buyer's display name and the lines, in one statement.
   */
  async relay(db: Executor, campaignId: number, pickupPointId: number): Promise<RelayRow[]> {
    return selectRows<RelayRow>(
      db,
      sql`SELECT o.id AS "orderId", (row_number() OVER (ORDER BY o.paid_at, o.id))::int AS no, a.display_name AS "buyerName",
                 o.paid_at AS "paidAt", o.status, o.total_fen AS "totalFen", o.refunded_fen AS "refundedFen",
                 (SELECT json_agg(json_build_object('title', l.title, 'spec', l.spec, 'quantity', l.quantity, 'refundedQuantity', l.refunded_quantity) ORDER BY l.id)
                  FROM order_lines l WHERE l.order_id = o.id) AS lines
          FROM orders o JOIN accounts a ON a.id = o.buyer_account_id
          WHERE o.campaign_id = ${campaignId} AND o.pickup_point_id = ${pickupPointId} AND o.paid_at IS NOT NULL
          ORDER BY o.paid_at, o.id`,
    );
  }

  async displayName(db: Executor, accountId: number): Promise<string | null> {
    const rows = await selectRows<{ name: string }>(db, sql`SELECT display_name AS name FROM accounts WHERE id = ${accountId}`);
    return rows[0]?.name ?? null;
  }

  // ── rest days (休市) ──

  async restDays(db: Executor, regionId: number): Promise<RestDay[]> {
    return db
      .select({ day: marketRestDays.day, reason: marketRestDays.reason })
      .from(marketRestDays)
      .where(eq(marketRestDays.regionId, regionId))
      .orderBy(marketRestDays.day);
  }

  /** The rest day on `day` of any of these regions (a county's and its city's), if any. */
  async restDayOn(db: Executor, regionIds: number[], day: string): Promise<RestDay | null> {
    const rows = await db
      .select({ day: marketRestDays.day, reason: marketRestDays.reason })
      .from(marketRestDays)
      .where(and(inArray(marketRestDays.regionId, regionIds), eq(marketRestDays.day, day)))
      .limit(1);
    return rows[0] ?? null;
  }

  async upsertRestDay(db: Executor, regionId: number, day: string, reason: string): Promise<RestDay> {
    const row = { regionId, day, reason };
    const rows = await db
      .insert(marketRestDays)
      .values(row)
      .onConflictDoUpdate({ target: [marketRestDays.regionId, marketRestDays.day], set: { reason } })
      .returning({ day: marketRestDays.day, reason: marketRestDays.reason });
    return rows[0]!;
  }

  async deleteRestDay(db: Executor, regionId: number, day: string): Promise<boolean> {
    const rows = await db
      .delete(marketRestDays)
      .where(and(eq(marketRestDays.regionId, regionId), eq(marketRestDays.day, day)))
      .returning({ day: marketRestDays.day });
    return rows.length > 0;
  }
}
