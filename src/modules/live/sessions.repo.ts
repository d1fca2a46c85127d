// SQL of live sessions, their bag, pins, flash sales, coupons and the replay timeline. Reads
// that a room or a product card needs (the bag with titles, prices and stock) are one statement
// each, joining the catalog and stock tables, so a room snapshot costs a fixed number of queries.
import { and, asc, desc, eq, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Executor } from '../../db';
import {
  liveBagItems,
  liveCouponClaims,
  liveCoupons,
  liveFlashSales,
  livePins,
  liveSessions,
  liveTimeline,
  type FlashSaleStatus,
  type LiveSessionStatus,
  type TimelineKind,
} from './live.schema';

export type LiveSessionRow = typeof liveSessions.$inferSelect;
export type BagItemRow = typeof liveBagItems.$inferSelect;
export type PinRow = typeof livePins.$inferSelect;
export type FlashSaleRow = typeof liveFlashSales.$inferSelect;
export type CouponRow = typeof liveCoupons.$inferSelect;
export type CouponClaimRow = typeof liveCouponClaims.$inferSelect;
export type TimelineRow = typeof liveTimeline.$inferSelect;
export type NewSession = Pick<typeof liveSessions.$inferInsert, 'hostAccountId' | 'regionId' | 'title' | 'coverUrl' | 'streamUrl' | 'scheduledAt'>;
export type SessionPatch = Partial<Pick<LiveSessionRow, 'title' | 'coverUrl' | 'streamUrl' | 'scheduledAt' | 'recordingUrl' | 'status' | 'startedAt' | 'endedAt'>>;
export type NewTimelineRow = { sessionId: number; kind: TimelineKind; skuId?: number | null; detail?: Record<string, unknown>; at?: Date };

/** A bag item with what the catalog says about its SKU and the region's normal price. */
export interface BagDetailRow {
  sessionId: number;
  skuId: number;
  position: number;
  livePriceFen: number;
  limitPerPerson: number | null;
  allotted: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  imageUrl: string | null;
  /** The region's shelf price; null when the SKU is not on the region's shelf. */
  normalPriceFen: number | null;
  /** Daily per-person limit of the region's shelf. */
  shelfLimitPerPerson: number | null;
  /** The SKU and its product are active in the catalog. */
  onSale: boolean;
}

export interface PinDetailRow extends PinRow {
  title: string;
}

export interface FlashDetailRow extends FlashSaleRow {
  title: string;
  locationId: number | null;
  onHand: number;
  reserved: number;
}

export interface ClaimDetailRow {
  id: number;
  couponId: number;
  accountId: number;
  orderId: number | null;
  claimedAt: Date;
  sessionId: number;
  amountFen: number;
  minSpendFen: number;
  expiresAt: Date;
}

export interface SessionListFilter {
  status?: LiveSessionStatus | undefined;
  regionId?: number | undefined;
  hostAccountId?: number | undefined;
  afterId: number | null;
  limit: number;
}

const ids = (list: number[]) => sql`${sql.param(list)}::bigint[]`;

export class LiveRepo {
  // ── sessions ──
  async insertSession(db: Executor, row: NewSession): Promise<LiveSessionRow> {
    return (await db.insert(liveSessions).values(row).returning())[0]!;
  }

  async session(db: Executor, id: number): Promise<LiveSessionRow | null> {
    return (await db.select().from(liveSessions).where(eq(liveSessions.id, id)).limit(1))[0] ?? null;
  }

  /** The session row under a lock: every change to a session and its pins, sales and coupons takes it first. */
  async lockSession(db: Executor, id: number): Promise<LiveSessionRow | null> {
    return (await db.select().from(liveSessions).where(eq(liveSessions.id, id)).for('update'))[0] ?? null;
  }

  async updateSession(db: Executor, id: number, patch: SessionPatch): Promise<LiveSessionRow> {
    return (await db.update(liveSessions).set(patch).where(eq(liveSessions.id, id)).returning())[0]!;
  }

  /** Newest scheduled first for the room list: live ones by start, the rest by their time. */
  async listSessions(db: Executor, f: SessionListFilter): Promise<LiveSessionRow[]> {
    const conds: SQL[] = [];
    if (f.status) conds.push(eq(liveSessions.status, f.status));
    if (f.regionId !== undefined) conds.push(eq(liveSessions.regionId, f.regionId));
    if (f.hostAccountId !== undefined) conds.push(eq(liveSessions.hostAccountId, f.hostAccountId));
    if (f.afterId !== null) conds.push(lt(liveSessions.id, f.afterId));
    return db
      .select()
      .from(liveSessions)
      .where(conds.length ? and(...conds) : undefined)
      .orderBy(desc(liveSessions.id))
      .limit(f.limit + 1);
  }

  // ── stock locations of sessions and flash sales ──
  async insertLocation(db: Executor, owner: { liveSessionId: number } | { flashSaleId: number }): Promise<number> {
    const rows = await selectRows<{ id: number }>(
      db,
      'liveSessionId' in owner
        ? sql`INSERT INTO stock_locations (kind, live_session_id) VALUES ('live_session', ${owner.liveSessionId}) RETURNING id`
        : sql`INSERT INTO stock_locations (kind, flash_sale_id) VALUES ('flash_sale', ${owner.flashSaleId}) RETURNING id`,
    );
    return rows[0]!.id;
  }

  async sessionLocation(db: Executor, sessionId: number): Promise<number | null> {
    const rows = await selectRows<{ id: number }>(db, sql`SELECT id FROM stock_locations WHERE live_session_id = ${sessionId}`);
    return rows[0]?.id ?? null;
  }

  async flashLocation(db: Executor, flashSaleId: number): Promise<number | null> {
    const rows = await selectRows<{ id: number }>(db, sql`SELECT id FROM stock_locations WHERE flash_sale_id = ${flashSaleId}`);
    return rows[0]?.id ?? null;
  }

  /** Units at a location per SKU (rows that do not exist are left out). */
  async levels(db: Executor, locationId: number, skuIds: number[]): Promise<Map<number, { onHand: number; reserved: number }>> {
    if (skuIds.length === 0) return new Map();
    const rows = await selectRows<{ skuId: number; onHand: number; reserved: number }>(
      db,
      sql`SELECT sku_id AS "skuId", on_hand AS "onHand", reserved FROM stock_levels WHERE location_id = ${locationId} AND sku_id = ANY(${ids(skuIds)})`,
    );
    return new Map(rows.map((r) => [r.skuId, { onHand: r.onHand, reserved: r.reserved }]));
  }

  // ── the bag ──
  async bagItem(db: Executor, sessionId: number, skuId: number): Promise<BagItemRow | null> {
    return (await db.select().from(liveBagItems).where(and(eq(liveBagItems.sessionId, sessionId), eq(liveBagItems.skuId, skuId))))[0] ?? null;
  }

  /** Add a SKU to the bag, or (already there) set its price and limit and add to its units. */
  async upsertBagItem(db: Executor, row: BagItemRow): Promise<BagItemRow> {
    return (
      await db
        .insert(liveBagItems)
        .values(row)
        .onConflictDoUpdate({
          target: [liveBagItems.sessionId, liveBagItems.skuId],
          set: { livePriceFen: row.livePriceFen, limitPerPerson: row.limitPerPerson, allotted: sql`${liveBagItems.allotted} + ${row.allotted}` },
        })
        .returning()
    )[0]!;
  }

  async nextBagPosition(db: Executor, sessionId: number): Promise<number> {
    const rows = await selectRows<{ next: number }>(db, sql`SELECT coalesce(max(position) + 1, 0)::int AS next FROM live_bag_items WHERE session_id = ${sessionId}`);
    return rows[0]!.next;
  }

  /** The bag of some sessions with titles and the region's shelf price, in bag order. */
  async bagDetails(db: Executor, sessionIds: number[]): Promise<BagDetailRow[]> {
    if (sessionIds.length === 0) return [];
    return selectRows<BagDetailRow>(
      db,
      sql`SELECT b.session_id AS "sessionId", b.sku_id AS "skuId", b.position, b.live_price_fen AS "livePriceFen",
                 b.limit_per_person AS "limitPerPerson", b.allotted, p.id AS "productId", p.name AS title, k.spec, k.unit,
                 p.image_urls[1] AS "imageUrl",
                 CASE WHEN r.active THEN coalesce(r.price_fen, k.base_price_fen) END AS "normalPriceFen",
                 r.daily_limit_per_person AS "shelfLimitPerPerson",
                 (k.status = 'active' AND p.status = 'active') AS "onSale"
          FROM live_bag_items b
          JOIN live_sessions s ON s.id = b.session_id
          JOIN regions rg ON rg.id = s.region_id
          JOIN skus k ON k.id = b.sku_id
          JOIN products p ON p.id = k.product_id
          -- The shelf of the session's region, else of its parent (a district selling its city's range).
          LEFT JOIN LATERAL (
            SELECT x.active, x.price_fen, x.daily_limit_per_person FROM region_skus x
            WHERE x.sku_id = b.sku_id AND (x.region_id = s.region_id OR x.region_id = rg.parent_id)
            ORDER BY (x.region_id = s.region_id) DESC
            LIMIT 1
          ) r ON true
          WHERE b.session_id = ANY(${ids(sessionIds)})
          ORDER BY b.session_id, b.position, b.sku_id`,
    );
  }

  /** Which of these SKUs exist and are on sale in the catalog (SKU and product active). */
  async activeSkus(db: Executor, skuIds: number[]): Promise<Set<number>> {
    if (skuIds.length === 0) return new Set();
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT k.id FROM skus k JOIN products p ON p.id = k.product_id
          WHERE k.id = ANY(${ids(skuIds)}) AND k.status = 'active' AND p.status = 'active'`,
    );
    return new Set(rows.map((r) => r.id));
  }

  // ── pins ──
  async openPin(db: Executor, sessionId: number): Promise<PinDetailRow | null> {
    const rows = await selectRows<PinDetailRow>(
      db,
      sql`SELECT pin.id, pin.session_id AS "sessionId", pin.sku_id AS "skuId", pin.started_at AS "startedAt", pin.ended_at AS "endedAt", p.name AS title
          FROM live_pins pin JOIN skus k ON k.id = pin.sku_id JOIN products p ON p.id = k.product_id
          WHERE pin.session_id = ${sessionId} AND pin.ended_at IS NULL`,
    );
    return rows.map(withDates('startedAt', 'endedAt'))[0] ?? null;
  }

  async insertPin(db: Executor, sessionId: number, skuId: number, at: Date): Promise<PinRow> {
    return (await db.insert(livePins).values({ sessionId, skuId, startedAt: at }).returning())[0]!;
  }

  /** End the session's open pin, if any; returns it. */
  async endOpenPin(db: Executor, sessionId: number, at: Date): Promise<PinRow | null> {
    return (
      (await db
        .update(livePins)
        .set({ endedAt: at })
        .where(and(eq(livePins.sessionId, sessionId), isNull(livePins.endedAt)))
        .returning())[0] ?? null
    );
  }

  // ── flash sales ──
  async insertFlashSale(db: Executor, row: Omit<typeof liveFlashSales.$inferInsert, 'id' | 'status'>): Promise<FlashSaleRow> {
    return (await db.insert(liveFlashSales).values(row).returning())[0]!;
  }

  async lockFlashSale(db: Executor, id: number): Promise<FlashSaleRow | null> {
    return (await db.select().from(liveFlashSales).where(eq(liveFlashSales.id, id)).for('update'))[0] ?? null;
  }

  async flashSale(db: Executor, id: number): Promise<FlashSaleRow | null> {
    return (await db.select().from(liveFlashSales).where(eq(liveFlashSales.id, id)).limit(1))[0] ?? null;
  }

  /** The session's flash sale not yet ended (open or sold out), with its stock; at most one. */
  async currentFlashSale(db: Executor, sessionId: number): Promise<FlashDetailRow | null> {
    const rows = await this.flashDetails(db, sql`f.session_id = ${sessionId} AND f.status <> 'ended'`);
    return rows[0] ?? null;
  }

  async flashDetail(db: Executor, id: number): Promise<FlashDetailRow | null> {
    return (await this.flashDetails(db, sql`f.id = ${id}`))[0] ?? null;
  }

  private async flashDetails(db: Executor, where: SQL): Promise<FlashDetailRow[]> {
    const rows = await selectRows<FlashDetailRow>(
      db,
      sql`SELECT f.id, f.session_id AS "sessionId", f.sku_id AS "skuId", f.price_fen AS "priceFen", f.quantity,
                 f.limit_per_person AS "limitPerPerson", f.starts_at AS "startsAt", f.ends_at AS "endsAt", f.status,
                 p.name AS title, l.id AS "locationId", coalesce(s.on_hand, 0)::int AS "onHand", coalesce(s.reserved, 0)::int AS reserved
          FROM live_flash_sales f
          JOIN skus k ON k.id = f.sku_id JOIN products p ON p.id = k.product_id
          LEFT JOIN stock_locations l ON l.flash_sale_id = f.id
          LEFT JOIN stock_levels s ON s.location_id = l.id AND s.sku_id = f.sku_id
          WHERE ${where}
          ORDER BY f.id DESC`,
    );
    return rows.map(withDates('startsAt', 'endsAt'));
  }

  async setFlashStatus(db: Executor, id: number, from: FlashSaleStatus[], to: FlashSaleStatus, endsAt?: Date): Promise<FlashSaleRow | null> {
    return (
      (await db
        .update(liveFlashSales)
        .set(endsAt ? { status: to, endsAt } : { status: to })
        .where(and(eq(liveFlashSales.id, id), inArray(liveFlashSales.status, from)))
        .returning())[0] ?? null
    );
  }

  /**
   * Flash sales whose status is behind their clock or stock: past their end and not ended,
   * open with nothing available, sold out with units back. The job's work list.
   */
  async flashSalesToReconcile(db: Executor, now: Date, limit: number): Promise<number[]> {
    const rows = await selectRows<{ id: number }>(
      db,
      sql`SELECT f.id FROM live_flash_sales f
          LEFT JOIN stock_locations l ON l.flash_sale_id = f.id
          LEFT JOIN stock_levels st ON st.location_id = l.id AND st.sku_id = f.sku_id
          WHERE f.status <> 'ended'
            AND (f.ends_at <= ${now.toISOString()}::timestamptz
                 OR (f.status = 'open' AND coalesce(st.on_hand - st.reserved, 0) <= 0)
                 OR (f.status = 'sold_out' AND coalesce(st.on_hand - st.reserved, 0) > 0))
          ORDER BY f.ends_at LIMIT ${limit}`,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Units left behind on the locations of ended flash sales and ended or cancelled sessions:
   * orders that held them expired or were cancelled after the units were moved back. Only
   * recently ended ones are looked at: holds outlive their payment window by minutes, not days.
   */
  async strandedUnits(db: Executor, since: Date, limit: number) {
    return selectRows<{ kind: 'flash_sale' | 'live_session'; ownerId: number; sessionId: number; locationId: number; skuId: number; available: number }>(
      db,
      sql`(SELECT 'flash_sale' AS kind, f.id AS "ownerId", f.session_id AS "sessionId", l.id AS "locationId", st.sku_id AS "skuId", (st.on_hand - st.reserved)::int AS available
           FROM live_flash_sales f
           JOIN stock_locations l ON l.flash_sale_id = f.id
           JOIN stock_levels st ON st.location_id = l.id
           WHERE f.status = 'ended' AND f.ends_at >= ${since.toISOString()}::timestamptz AND st.on_hand > st.reserved
           LIMIT ${limit})
          UNION ALL
          (SELECT 'live_session', s.id, s.id, l.id, st.sku_id, (st.on_hand - st.reserved)::int
           FROM live_sessions s
           JOIN stock_locations l ON l.live_session_id = s.id
           JOIN stock_levels st ON st.location_id = l.id
           WHERE s.status IN ('ended', 'cancelled') AND coalesce(s.ended_at, s.scheduled_at) >= ${since.toISOString()}::timestamptz AND st.on_hand > st.reserved
           LIMIT ${limit})`,
    );
  }

  // ── coupons ──
  async insertCoupon(db: Executor, row: Pick<CouponRow, 'sessionId' | 'amountFen' | 'minSpendFen' | 'quantity' | 'releasedAt' | 'expiresAt'>): Promise<CouponRow> {
    return (await db.insert(liveCoupons).values(row).returning())[0]!;
  }

  async coupon(db: Executor, id: number): Promise<CouponRow | null> {
    return (await db.select().from(liveCoupons).where(eq(liveCoupons.id, id)).limit(1))[0] ?? null;
  }

  /** Coupons of a session that can still be claimed or used (not expired), newest first. */
  async liveCoupons(db: Executor, sessionId: number, now: Date): Promise<CouponRow[]> {
    return db
      .select()
      .from(liveCoupons)
      .where(and(eq(liveCoupons.sessionId, sessionId), sql`${liveCoupons.expiresAt} > ${now.toISOString()}::timestamptz`))
      .orderBy(desc(liveCoupons.id));
  }

  /** One more claimed, only while some are left and the coupon has not expired. */
  async takeCoupon(db: Executor, id: number, now: Date): Promise<CouponRow | null> {
    return (
      (await db
        .update(liveCoupons)
        .set({ claimed: sql`${liveCoupons.claimed} + 1` })
        .where(and(eq(liveCoupons.id, id), sql`${liveCoupons.claimed} < ${liveCoupons.quantity}`, sql`${liveCoupons.expiresAt} > ${now.toISOString()}::timestamptz`))
        .returning())[0] ?? null
    );
  }

  /** The claim row, or null when this account already holds one of this coupon. */
  async insertClaim(db: Executor, couponId: number, accountId: number, at: Date): Promise<CouponClaimRow | null> {
    const rows = await db.insert(liveCouponClaims).values({ couponId, accountId, claimedAt: at }).onConflictDoNothing().returning();
    return rows[0] ?? null;
  }

  async claimOf(db: Executor, couponId: number, accountId: number): Promise<CouponClaimRow | null> {
    return (await db.select().from(liveCouponClaims).where(and(eq(liveCouponClaims.couponId, couponId), eq(liveCouponClaims.accountId, accountId))))[0] ?? null;
  }

  async claimDetail(db: Executor, claimId: number): Promise<ClaimDetailRow | null> {
    const rows = await selectRows<ClaimDetailRow>(
      db,
      sql`SELECT c.id, c.coupon_id AS "couponId", c.account_id AS "accountId", c.order_id AS "orderId", c.claimed_at AS "claimedAt",
                 k.session_id AS "sessionId", k.amount_fen AS "amountFen", k.min_spend_fen AS "minSpendFen", k.expires_at AS "expiresAt"
          FROM live_coupon_claims c JOIN live_coupons k ON k.id = c.coupon_id WHERE c.id = ${claimId}`,
    );
    return rows.map(withDates('claimedAt', 'expiresAt'))[0] ?? null;
  }

  /** An account's claims of a session's coupons. */
  async claimsIn(db: Executor, sessionId: number, accountId: number): Promise<CouponClaimRow[]> {
    return db
      .select({ id: liveCouponClaims.id, couponId: liveCouponClaims.couponId, accountId: liveCouponClaims.accountId, orderId: liveCouponClaims.orderId, claimedAt: liveCouponClaims.claimedAt })
      .from(liveCouponClaims)
      .innerJoin(liveCoupons, eq(liveCoupons.id, liveCouponClaims.couponId))
      .where(and(eq(liveCoupons.sessionId, sessionId), eq(liveCouponClaims.accountId, accountId)))
      .orderBy(asc(liveCouponClaims.id));
  }

  /** Lock claims in id order (checkout's placement) and say which are unused. */
  async lockUnusedClaims(db: Executor, claimIds: number[]): Promise<Set<number>> {
    if (claimIds.length === 0) return new Set();
    const rows = await selectRows<{ id: number; orderId: number | null }>(
      db,
      sql`SELECT id, order_id AS "orderId" FROM live_coupon_claims WHERE id = ANY(${ids([...claimIds].sort((a, b) => a - b))}) ORDER BY id FOR UPDATE`,
    );
    return new Set(rows.filter((r) => r.orderId === null).map((r) => r.id));
  }

  async useClaims(db: Executor, uses: { claimId: number; orderId: number }[]): Promise<number> {
    if (uses.length === 0) return 0;
    const rows = await selectRows<{ id: number }>(
      db,
      sql`UPDATE live_coupon_claims c SET order_id = u.order_id
          FROM unnest(${ids(uses.map((u) => u.claimId))}, ${ids(uses.map((u) => u.orderId))}) AS u(claim_id, order_id)
          WHERE c.id = u.claim_id AND c.order_id IS NULL
          RETURNING c.id`,
    );
    return rows.length;
  }

  /** A cancelled or expired order gives its coupon back to the one who claimed it. */
  async releaseClaimOf(db: Executor, orderId: number): Promise<number | null> {
    const rows = await db.update(liveCouponClaims).set({ orderId: null }).where(eq(liveCouponClaims.orderId, orderId)).returning({ id: liveCouponClaims.id });
    return rows[0]?.id ?? null;
  }

  // ── timeline ──
  async insertTimeline(db: Executor, rows: NewTimelineRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insert(liveTimeline).values(rows.map((r) => ({ sessionId: r.sessionId, kind: r.kind, skuId: r.skuId ?? null, detail: r.detail ?? {}, ...(r.at ? { at: r.at } : {}) })));
  }

  async timeline(db: Executor, sessionId: number) {
    const rows = await selectRows<TimelineRow & { title: string | null }>(
      db,
      sql`SELECT t.id, t.session_id AS "sessionId", t.at, t.kind, t.sku_id AS "skuId", t.detail, p.name AS title
          FROM live_timeline t LEFT JOIN skus k ON k.id = t.sku_id LEFT JOIN products p ON p.id = k.product_id
          WHERE t.session_id = ${sessionId} ORDER BY t.at, t.id`,
    );
    return rows.map(withDates('at'));
  }
}

/** Raw SQL answers timestamps as text on one driver and Date on the other: make them Dates. */
function withDates<K extends string>(...keys: K[]) {
  return <T extends Partial<Record<K, unknown>>>(row: T): T => {
    for (const k of keys) {
      const v = row[k];
      if (v !== null && v !== undefined && !(v instanceof Date)) (row as Record<string, unknown>)[k] = new Date(v as string);
    }
    return row;
  };
}
