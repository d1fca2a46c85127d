// Campaigns (团购活动) an operator plans per region: SKUs at a group price, per-person limits,
// stock, the start, the cutoff (截单) and the promised pickup day; and the region's rest days
// (休市). Publishing (which puts the stock on the campaign's location) and cancelling live in
// src/flows/groupbuy/campaigns.ts, because they touch stock and orders too.
import type { Database, Executor } from '../../db';
import { badInput, conflict, decodeCursor, DomainError, notFound, toPage, type Page } from '../../kernel';
import { MAX_PRICE_FEN } from '../catalog';
import { hasRole, requireActor, requireRole, type Actor } from '../people';
import { CampaignsRepo, type CampaignRow, type ItemDetailRow, type NewCampaignItem, type RestDay } from './campaigns.repo';
import type { CampaignStatus } from './groupbuy.schema';

export interface CampaignItemInput {
  skuId: number;
  groupPriceFen: number;
  limitPerPerson?: number | null | undefined;
  stock: number;
  leaderOnly?: boolean | undefined;
  leaderCommissionBp?: number | null | undefined;
}

export interface CampaignInput {
  regionId: number;
  title: string;
  startsAt: Date | string;
  cutoffAt: Date | string;
  /** YYYY-MM-DD, China time. */
  pickupDate: string;
  leaderCommissionBp?: number | undefined;
  items: CampaignItemInput[];
}

export interface CampaignItemView {
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
  /** Units paid for, less units refunded. */
  sold: number;
  /** Units still to be had: on hand less held at the campaign's location while on sale. */
  available: number;
  leaderOnly: boolean;
  leaderCommissionBp: number | null;
}

/** Times are ISO text: the publish answer is stored and replayed verbatim for retries. */
export interface CampaignView {
  id: number;
  regionId: number;
  title: string;
  status: CampaignStatus;
  startsAt: string;
  cutoffAt: string;
  pickupDate: string;
  leaderCommissionBp: number;
  createdAt: string;
  items: CampaignItemView[];
  figures: { orders: number; buyers: number; gmvFen: number };
}

/** What checkout needs of a campaign; cached there for a few seconds. */
export interface CheckoutCampaign {
  id: number;
  regionId: number;
  status: CampaignStatus;
  startsAt: Date;
  cutoffAt: Date;
  leaderCommissionBp: number;
  items: Map<number, ItemDetailRow>;
}

export const CAMPAIGN_LIMITS = { maxItems: 200, maxStock: 1_000_000, maxBp: 5000, maxLimitPerPerson: 999 } as const;
const DAY_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** China Standard Time calendar day (UTC+8, no DST). */
export const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** Would a viewer see leader-only (团长专享) items? */
export const seesLeaderOnly = (actor: Actor | null | undefined) => hasRole(actor, 'leader') || hasRole(actor, 'operator');

export function isValidDay(day: string): boolean {
  return DAY_RE.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
}

export class CampaignService {
  readonly repo = new CampaignsRepo();

  constructor(
    private readonly db: Database,
    private readonly d: {
      /** The region's parent (a county's city); throws not-found for an unknown region. */
      parentOf: (regionId: number) => Promise<number | null>;
      /** Which of these SKUs the region has on sale now. */
      onSale: (regionId: number, skuIds: number[]) => Promise<Set<number>>;
    },
  ) {}

  /** The region and its parent, the regions whose campaigns and rest days apply to it. */
  async regionAndParent(regionId: number): Promise<number[]> {
    const parent = await this.d.parentOf(regionId);
    return parent === null ? [regionId] : [regionId, parent];
  }

  async create(actor: Actor | null, input: CampaignInput): Promise<CampaignView> {
    const a = requireRole(actor, 'operator');
    const checked = await this.validate(input);
    const id = await this.db.orm.transaction(async (tx) => {
      const row = await this.repo.insert(tx, { ...checked.campaign, createdBy: a.accountId });
      await this.repo.replaceItems(tx, row.id, checked.items);
      return row.id;
    });
    return this.view(id, { leaderOnly: true });
  }

  /** Fields left out keep their value; `items`, when given, replaces the list. Drafts only. */
  async update(actor: Actor | null, id: number, patch: Partial<CampaignInput>): Promise<CampaignView> {
    requireRole(actor, 'operator');
    const current = await this.repo.find(this.db.orm, id);
    if (!current) throw notFound('campaign', id);
    if (current.status !== 'draft') throw conflict(`campaign ${id} is ${current.status}; only a draft can be changed`);
    const items =
      patch.items ??
      (await this.repo.items(this.db.orm, id)).map((i) => ({
        skuId: i.skuId,
        groupPriceFen: i.groupPriceFen,
        limitPerPerson: i.limitPerPerson,
        stock: i.stock,
        leaderOnly: i.leaderOnly,
        leaderCommissionBp: i.leaderCommissionBp,
      }));
    const checked = await this.validate({
      regionId: patch.regionId ?? current.regionId,
      title: patch.title ?? current.title,
      startsAt: patch.startsAt ?? current.startsAt,
      cutoffAt: patch.cutoffAt ?? current.cutoffAt,
      pickupDate: patch.pickupDate ?? current.pickupDate,
      leaderCommissionBp: patch.leaderCommissionBp ?? current.leaderCommissionBp,
      items,
    });
    await this.db.orm.transaction(async (tx) => {
      const locked = await this.repo.lock(tx, id);
      // Published meanwhile: its stock is on the location already, so the items are fixed.
      if (locked?.status !== 'draft') throw conflict(`campaign ${id} is ${locked?.status ?? 'gone'}; only a draft can be changed`);
      await this.repo.update(tx, id, checked.campaign);
      if (patch.items) await this.repo.replaceItems(tx, id, checked.items);
    });
    return this.view(id, { leaderOnly: true });
  }

  /** A signed-in viewer: drafts only for operators, leader-only items only for leaders. */
  async get(actor: Actor | null, id: number): Promise<CampaignView> {
    const a = requireActor(actor);
    const row = await this.repo.find(this.db.orm, id);
    if (!row || (row.status === 'draft' && !hasRole(a, 'operator'))) throw notFound('campaign', id);
    return (await this.views([row], { leaderOnly: seesLeaderOnly(a) }))[0]!;
  }

  async list(actor: Actor | null, q: { regionId?: number | undefined; status?: CampaignStatus | undefined; cursor?: string | undefined; limit: number }): Promise<Page<CampaignView>> {
    requireRole(actor, 'operator');
    const rows = await this.repo.list(this.db.orm, { regionId: q.regionId, status: q.status, beforeId: decodeCursor(q.cursor), limit: q.limit });
    const page = toPage(rows, q.limit);
    return { items: await this.views(page.items, { leaderOnly: true }), nextCursor: page.nextCursor };
  }

  async view(id: number, opts: { leaderOnly: boolean }, db: Executor = this.db.orm): Promise<CampaignView> {
    const row = await this.repo.find(db, id);
    if (!row) throw notFound('campaign', id);
    return (await this.views([row], opts, db))[0]!;
  }

  /** Campaign rows → views, with items, stock and figures in three statements for the lot. */
  async views(rows: CampaignRow[], opts: { leaderOnly: boolean }, db: Executor = this.db.orm): Promise<CampaignView[]> {
    const ids = rows.map((r) => r.id);
    const [details, sales, figures] = await Promise.all([this.repo.itemDetails(db, ids), this.repo.sales(db, ids), this.repo.figures(db, ids)]);
    const soldOf = new Map(sales.map((s) => [`${s.campaignId}:${s.skuId}`, s.sold]));
    const figuresOf = new Map(figures.map((f) => [f.campaignId, f]));
    return rows.map((r) => ({
      id: r.id,
      regionId: r.regionId,
      title: r.title,
      status: r.status,
      startsAt: r.startsAt.toISOString(),
      cutoffAt: r.cutoffAt.toISOString(),
      pickupDate: r.pickupDate,
      leaderCommissionBp: r.leaderCommissionBp,
      createdAt: r.createdAt.toISOString(),
      items: details
        .filter((i) => i.campaignId === r.id && (opts.leaderOnly || !i.leaderOnly))
        .map((i) => ({
          skuId: i.skuId,
          productId: i.productId,
          title: i.title,
          spec: i.spec,
          unit: i.unit,
          imageUrl: i.imageUrl,
          basePriceFen: i.basePriceFen,
          groupPriceFen: i.groupPriceFen,
          limitPerPerson: i.limitPerPerson,
          stock: i.stock,
          sold: soldOf.get(`${r.id}:${i.skuId}`) ?? 0,
          // A draft offers its planned stock; once cut off or cancelled nothing more is sold.
          available: r.status === 'draft' ? i.stock : r.status === 'published' ? (i.onHand ?? 0) - (i.reserved ?? 0) : 0,
          leaderOnly: i.leaderOnly,
          leaderCommissionBp: i.leaderCommissionBp,
        })),
      figures: { orders: figuresOf.get(r.id)?.orders ?? 0, buyers: figuresOf.get(r.id)?.buyers ?? 0, gmvFen: figuresOf.get(r.id)?.gmvFen ?? 0 },
    }));
  }

  /** Published campaigns of these regions open at `now`. */
  async openIn(regionIds: number[], now: Date): Promise<CampaignRow[]> {
    return this.repo.openIn(this.db.orm, regionIds, now);
  }

  async latestIn(regionIds: number[]): Promise<CampaignRow | null> {
    return this.repo.latestIn(this.db.orm, regionIds);
  }

  async find(id: number, db: Executor = this.db.orm): Promise<CampaignRow | null> {
    return this.repo.find(db, id);
  }

  /** Checkout's read: the campaign and its items by SKU, or null. */
  async forCheckout(id: number): Promise<CheckoutCampaign | null> {
    const row = await this.repo.find(this.db.orm, id);
    if (!row) return null;
    const details = await this.repo.itemDetails(this.db.orm, [id]);
    return {
      id: row.id,
      regionId: row.regionId,
      status: row.status,
      startsAt: row.startsAt,
      cutoffAt: row.cutoffAt,
      leaderCommissionBp: row.leaderCommissionBp,
      items: new Map(details.map((d) => [d.skuId, d])),
    };
  }

  // ── rest days ──

  async restDays(actor: Actor | null, regionId: number): Promise<RestDay[]> {
    requireRole(actor, 'operator');
    await this.requireRegion(regionId, 'id');
    return this.repo.restDays(this.db.orm, regionId);
  }

  async addRestDay(actor: Actor | null, regionId: number, input: { day: string; reason?: string | undefined }): Promise<RestDay> {
    requireRole(actor, 'operator');
    await this.requireRegion(regionId, 'id');
    if (!isValidDay(input.day)) throw badInput('day', 'day must be a date YYYY-MM-DD');
    const reason = (input.reason ?? '').trim();
    if (reason.length > 100) throw badInput('reason', 'reason is at most 100 characters');
    return this.repo.upsertRestDay(this.db.orm, regionId, input.day, reason);
  }

  async removeRestDay(actor: Actor | null, regionId: number, day: string): Promise<void> {
    requireRole(actor, 'operator');
    if (!isValidDay(day)) throw badInput('day', 'day must be a date YYYY-MM-DD');
    if (!(await this.repo.deleteRestDay(this.db.orm, regionId, day))) throw notFound('rest day', `${regionId}/${day}`);
  }

  /** The rest day of the region or its city on `day`, if any. */
  async restDayOn(regionId: number, day: string): Promise<RestDay | null> {
    return this.repo.restDayOn(this.db.orm, await this.regionAndParent(regionId), day);
  }

  // ── validation ──

  private async requireRegion(regionId: number, field: string): Promise<void> {
    try {
      await this.d.parentOf(regionId);
    } catch (e) {
      if (e instanceof DomainError && e.kind === 'not_found') throw badInput(field, `region ${regionId} does not exist`);
      throw e;
    }
  }

  /** Every rule of a campaign, each failure naming its field; nothing is written. */
  private async validate(input: CampaignInput): Promise<{ campaign: Omit<CampaignRow, 'id' | 'status' | 'createdBy' | 'createdAt' | 'updatedAt'>; items: NewCampaignItem[] }> {
    if (!Number.isInteger(input.regionId) || input.regionId <= 0) throw badInput('regionId', 'regionId must be a positive whole number');
    const title = typeof input.title === 'string' ? input.title.trim() : '';
    if (title.length < 1 || title.length > 64) throw badInput('title', 'title must be 1 to 64 characters');
    const startsAt = toTime(input.startsAt, 'startsAt');
    const cutoffAt = toTime(input.cutoffAt, 'cutoffAt');
    if (cutoffAt.getTime() <= startsAt.getTime()) throw badInput('cutoffAt', 'the cutoff must come after the start');
    if (typeof input.pickupDate !== 'string' || !isValidDay(input.pickupDate)) throw badInput('pickupDate', 'pickupDate must be a date YYYY-MM-DD');
    if (input.pickupDate < chinaDay(cutoffAt)) throw badInput('pickupDate', 'the pickup day cannot be before the cutoff’s day (China time)');
    const leaderCommissionBp = input.leaderCommissionBp ?? 1000;
    if (!isBp(leaderCommissionBp)) throw badInput('leaderCommissionBp', `leaderCommissionBp must be a whole number from 0 to ${CAMPAIGN_LIMITS.maxBp}`);
    if (!Array.isArray(input.items) || input.items.length === 0) throw badInput('items', 'a campaign offers at least one SKU');
    if (input.items.length > CAMPAIGN_LIMITS.maxItems) throw badInput('items', `a campaign offers at most ${CAMPAIGN_LIMITS.maxItems} SKUs`);

    const seen = new Set<number>();
    const items: NewCampaignItem[] = input.items.map((it, i) => {
      const f = (name: string) => `items.${i}.${name}`;
      if (!Number.isInteger(it.skuId) || it.skuId <= 0) throw badInput(f('skuId'), 'skuId must be a positive whole number');
      if (seen.has(it.skuId)) throw badInput(f('skuId'), `SKU ${it.skuId} is listed twice`);
      seen.add(it.skuId);
      if (!Number.isInteger(it.groupPriceFen) || it.groupPriceFen <= 0 || it.groupPriceFen > MAX_PRICE_FEN) {
        throw badInput(f('groupPriceFen'), `groupPriceFen must be a whole number of fen from 1 to ${MAX_PRICE_FEN}`);
      }
      const limit = it.limitPerPerson ?? null;
      if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > CAMPAIGN_LIMITS.maxLimitPerPerson)) {
        throw badInput(f('limitPerPerson'), `limitPerPerson must be a whole number from 1 to ${CAMPAIGN_LIMITS.maxLimitPerPerson}, or null for no limit`);
      }
      if (!Number.isInteger(it.stock) || it.stock < 0 || it.stock > CAMPAIGN_LIMITS.maxStock) {
        throw badInput(f('stock'), `stock must be a whole number from 0 to ${CAMPAIGN_LIMITS.maxStock}`);
      }
      const bp = it.leaderCommissionBp ?? null;
      if (bp !== null && !isBp(bp)) throw badInput(f('leaderCommissionBp'), `leaderCommissionBp must be a whole number from 0 to ${CAMPAIGN_LIMITS.maxBp}, or null for the campaign’s rate`);
      return { skuId: it.skuId, groupPriceFen: it.groupPriceFen, limitPerPerson: limit, stock: it.stock, leaderOnly: it.leaderOnly ?? false, leaderCommissionBp: bp, sortOrder: i };
    });

    // On sale in the region, or (for a county) in its city.
    await this.requireRegion(input.regionId, 'regionId');
    const regions = await this.regionAndParent(input.regionId);
    const skuIds = items.map((i) => i.skuId);
    const onSale = new Set<number>();
    for (const r of regions) for (const id of await this.d.onSale(r, skuIds)) onSale.add(id);
    items.forEach((it, i) => {
      if (!onSale.has(it.skuId)) throw badInput(`items.${i}.skuId`, `SKU ${it.skuId} is not on sale in this region`);
    });
    return { campaign: { regionId: input.regionId, title, startsAt, cutoffAt, pickupDate: input.pickupDate, leaderCommissionBp }, items };
  }
}

function isBp(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= CAMPAIGN_LIMITS.maxBp;
}

function toTime(v: Date | string, field: string): Date {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw badInput(field, `${field} must be an ISO 8601 time`);
  return d;
}
