// The "price" step of checkout: from what the buyer asked for to an order draft with every
// line snapshotted (title, spec, unit price), its attribution (leader, store, share link,
// referrer), the stock location it draws on, its purchase limits and its commission plan.
// It reads only, so it needs no undo.
import { badInput, conflict, DomainError } from '../../kernel';
import type { CatalogService } from '../../modules/catalog';
import type { CampaignService, CheckoutCampaign } from '../../modules/groupbuy';
import type { InventoryService } from '../../modules/inventory';
import type { CheckoutFlashSale, CheckoutSession, ClaimDetailRow } from '../../modules/live';
import type { Channel, CommissionPlanItem, Fulfilment, NewOrder } from '../../modules/orders';
import type { Role } from '../../modules/people';
import type { PlaceService } from '../../modules/place';
import type { TrafficService } from '../../modules/traffic';
import { TtlCache } from './ttl-cache';

export interface CheckoutLineInput {
  skuId: number;
  quantity: number;
  /** Counter sales only: taken off this line, in fen (never more than the line). */
  discountFen?: number | undefined;
}

export interface CheckoutInput {
  channel: Channel;
  lines: CheckoutLineInput[];
  pickupPointId?: number | undefined;
  storeId?: number | undefined;
  fulfilment?: Fulfilment | undefined;
  shareCode?: string | undefined;
  note?: string | undefined;
  /** A group-buy order of this campaign (团购活动): its prices, limits and stock. */
  campaignId?: number | undefined;
  /** Counter sales only: taken off the whole sale, in fen, spread over its lines. */
  discountFen?: number | undefined;
  /** Counter sales only: cash at the till, or the payment provider's QR code (default). */
  payment?: 'cash' | 'provider' | undefined;
  /** A live order (channel 'live') of this session: live prices while it is on, the shelf's after. */
  liveSessionId?: number | undefined;
  /** A live order of this flash sale (秒杀): its price, limit and stock; one line of its SKU. */
  flashSaleId?: number | undefined;
  /** A live order paying with this coupon claim of the session (taken off like the till's order discount). */
  couponClaimId?: number | undefined;
}

/** What checkout reads of live selling (src/modules/live); live orders are refused without it. */
export interface LiveCheckoutSource {
  session(sessionId: number): Promise<CheckoutSession | null>;
  flashSale(flashSaleId: number): Promise<CheckoutFlashSale | null>;
  claim(claimId: number): Promise<ClaimDetailRow | null>;
}

export interface DraftLine {
  skuId: number;
  productId: number;
  title: string;
  spec: string;
  unit: string;
  unitPriceFen: number;
  quantity: number;
  discountFen: number;
  lineTotalFen: number;
  /** Index of the buyer's line this came from, to name the field when it cannot be had. */
  inputIndex: number;
  limit: { scope: string; max: number } | null;
}

/** A wholesale price list entry, as modules/stores answers it for a replenishment order. */
export interface WholesaleOffer {
  productId: number;
  title: string;
  spec: string;
  unit: string;
  priceFen: number;
  caseSize: number;
}

export type DraftOrder = Omit<NewOrder, 'buyerAccountId' | 'idempotencyKey' | 'requestHash' | 'status' | 'expiresAt'>;

export interface OrderDraft {
  buyerAccountId: number;
  idempotencyKey: string;
  requestHash: string;
  order: DraftOrder;
  lines: DraftLine[];
  expiresAt: Date;
  /** The payment provider to open the payment with; the default provider when absent. */
  paymentProvider?: string | undefined;
  /** A live coupon claim this order uses: placement marks it used in the order's transaction. */
  couponClaimId?: number | undefined;
}

/**
 * Commission rates, in basis points of what the buyer pays. Campaigns and live sessions set
 * their own rates on top of these (their issues); these are the defaults of the plain shelf.
 */
export const COMMISSION_POLICY = {
  /** 团长佣金: the leader whose pickup point the order goes to. */
  leaderBp: 1000,
  /** 分享奖励: the resident whose share link brought the buyer. */
  referrerBp: 100,
  /** The platform's fee on a store's own online sales; the store keeps the rest. */
  storePlatformFeeBp: 500,
} as const;

export const MAX_LINES = 50;
export const MAX_QUANTITY = 999;

/** China Standard Time calendar day (UTC+8, no DST): the day a daily limit counts within. */
export function cstDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export class Pricing {
  // Pickup points, stores and warehouses change rarely and are read by every checkout: a few
  // seconds of staleness is fine (a paused point still refuses within 10 s).
  private readonly points = new TtlCache<number, Awaited<ReturnType<PlaceService['pickupPoints']['get']>>>(10_000);
  private readonly stores = new TtlCache<number, Awaited<ReturnType<PlaceService['stores']['get']>>>(10_000);
  private readonly regionOfCommunity = new TtlCache<number, number>(600_000);
  private readonly centralLocation = new TtlCache<number, number>(60_000);
  private readonly parentRegion = new TtlCache<number, number | null>(600_000);
  // A campaign is read by every one of its orders: a few seconds of staleness is fine, because
  // the cutoff is compared with the clock on every order and the stock is reserved in the
  // database. A cancel reaches checkout within this time.
  private readonly campaigns = new TtlCache<number, CheckoutCampaign | null>(3_000);

  /** A campaign changed (closed early): read it afresh on its next order. */
  forgetCampaign(campaignId: number): void {
    this.campaigns.delete(campaignId);
  }

  // A live session (its status, bag and prices) and a flash sale are read by every order of the
  // room: a moment of staleness is fine, since times are compared with the clock on every order
  // and stock is reserved in the database. Changes in this process drop the entry at once.
  private readonly liveSessions = new TtlCache<number, CheckoutSession | null>(3_000);
  private readonly flashSales = new TtlCache<number, CheckoutFlashSale | null>(1_000);

  /** A live session changed (started, ended, bag): read it afresh on its next order. */
  forgetLiveSession(sessionId: number): void {
    this.liveSessions.delete(sessionId);
  }

  forgetFlashSale(flashSaleId: number): void {
    this.flashSales.delete(flashSaleId);
  }

  constructor(
    private readonly d: {
      place: PlaceService;
      catalog: CatalogService;
      inventory: InventoryService;
      traffic: TrafficService;
      /** Campaign orders need it; without it a `campaignId` is refused. */
      campaigns?: CampaignService | undefined;
      /** The leader's level bonus on top of campaign commission rates, in bp (default none). */
      leaderBonusBp?: ((leaderAccountId: number) => Promise<number>) | undefined;
      /** Counter sales ask whether the seller clerks at the store; without it only owners sell. */
      isClerk?: ((storeId: number, accountId: number) => Promise<boolean>) | undefined;
      /** Replenishment orders need it: the wholesale offers of a region's stores (modules/stores). */
      wholesale?: ((regionId: number, skuIds: number[]) => Promise<Map<number, WholesaleOffer>>) | undefined;
      /** Live orders need it: sessions, flash sales and coupon claims (modules/live). */
      live?: LiveCheckoutSource | undefined;
    },
  ) {}

  async quote(
    buyerAccountId: number,
    input: CheckoutInput,
    now: Date,
    buyerRoles: ReadonlySet<Role> = new Set(),
  ): Promise<Omit<OrderDraft, 'idempotencyKey' | 'requestHash' | 'expiresAt'>> {
    if (input.channel === 'store_counter') return this.quoteCounter(buyerAccountId, input);
    counterOnly(input);
    if (input.channel === 'live') return this.quoteLive(buyerAccountId, input, now);
    liveOnly(input);
    if (input.campaignId !== undefined) return this.quoteCampaign(buyerAccountId, input, input.campaignId, now, buyerRoles);
    if (input.channel === 'replenishment') return this.quoteReplenishment(buyerAccountId, input);
    const merged = mergeLines(input.lines);
    const where = await this.placeOf(input);
    const offers = await this.d.catalog.regionOffers(where.regionId, merged.map((l) => l.skuId));
    const day = cstDay(now);
    const lines: DraftLine[] = merged.map((l) => {
      const offer = offers.get(l.skuId);
      if (!offer) throw badInput(`lines.${l.inputIndex}.skuId`, `SKU ${l.skuId} is not on sale here`);
      const limit = offer.dailyLimitPerPerson;
      if (limit !== null && l.quantity > limit) {
        throw badInput(`lines.${l.inputIndex}.quantity`, `${offer.title} is limited to ${limit} per person per day`);
      }
      return snapshotLine(l, offer, offer.priceFen, { limit: limit === null ? null : { scope: `shelf:${where.regionId}:${day}`, max: limit } });
    });
    const itemsFen = lines.reduce((s, l) => s + l.lineTotalFen, 0);
    const discountFen = lines.reduce((s, l) => s + l.discountFen, 0);

    const { shareLinkId, referrerAccountId } = await this.referral(buyerAccountId, input.shareCode);

    const plan: CommissionPlanItem[] = [];
    if (where.leaderAccountId !== null && where.leaderAccountId !== buyerAccountId) {
      plan.push({ party: 'leader', accountId: where.leaderAccountId, bp: COMMISSION_POLICY.leaderBp });
    }
    if (where.storeOwnerAccountId !== null) {
      plan.push({ party: 'store', accountId: where.storeOwnerAccountId, bp: 10_000 - COMMISSION_POLICY.storePlatformFeeBp });
    }
    if (referrerAccountId !== null) plan.push({ party: 'referrer', accountId: referrerAccountId, bp: COMMISSION_POLICY.referrerBp });

    return {
      buyerAccountId,
      lines,
      order: {
        channel: input.channel,
        fulfilment: where.fulfilment,
        locationId: where.locationId,
        regionId: where.regionId,
        communityId: where.communityId,
        pickupPointId: where.pickupPointId,
        storeId: where.storeId,
        leaderAccountId: where.leaderAccountId,
        shareLinkId,
        referrerAccountId,
        itemsFen,
        discountFen,
        deliveryFen: 0,
        totalFen: itemsFen - discountFen,
        commissionPlan: plan,
        note: input.note ?? '',
      },
    };
  }

  private async referral(buyerAccountId: number, shareCode: string | undefined) {
    let shareLinkId: number | null = null;
    let referrerAccountId: number | null = null;
    if (shareCode) {
      const link = await this.d.traffic.shareLinkByCode(shareCode);
      if (!link) throw badInput('shareCode', 'no share link has this code');
      shareLinkId = link.id;
      // Sharing with yourself earns nothing.
      if (link.accountId !== buyerAccountId) referrerAccountId = link.accountId;
    }
    return { shareLinkId, referrerAccountId };
  }

  /**
   * A group-buy order of a campaign: the campaign's group prices and per-person limits, its own
   * stock location, and the leader's commission per line (the item's rate, else the
   * campaign's, plus the leader's level bonus), each line rounded down.
   */
  private async quoteCampaign(buyerAccountId: number, input: CheckoutInput, campaignId: number, now: Date, roles: ReadonlySet<Role>) {
    if (input.channel !== 'group_buy') throw badInput('campaignId', 'only a group-buy order belongs to a campaign');
    const merged = mergeLines(input.lines);
    const campaigns = this.d.campaigns;
    if (!campaigns) throw badInput('campaignId', 'campaigns are not available on this server');
    const c = await this.campaigns.get(campaignId, () => campaigns.forCheckout(campaignId));
    if (!c || c.status === 'draft') throw badInput('campaignId', `campaign ${campaignId} does not exist`);
    if (c.status === 'cancelled') throw conflict('this campaign was cancelled', 'campaignId');
    if (c.status === 'cut_off' || now.getTime() >= c.cutoffAt.getTime()) throw conflict(`this campaign closed at its cutoff (${c.cutoffAt.toISOString()})`, 'campaignId');
    if (now.getTime() < c.startsAt.getTime()) throw conflict(`this campaign opens at ${c.startsAt.toISOString()}`, 'campaignId');

    const where = await this.placeOf(input, { campaignLocation: () => this.d.inventory.locationOfCampaign(c.id) });
    const parent = await this.parentRegion.get(where.regionId, async () => (await this.d.place.areas.getRegion(where.regionId)).parentId);
    if (where.regionId !== c.regionId && parent !== c.regionId) throw badInput('pickupPointId', 'this pickup point is outside the campaign’s region');

    const lines: DraftLine[] = merged.map((l) => {
      const item = c.items.get(l.skuId);
      if (!item || !item.onSale) throw badInput(`lines.${l.inputIndex}.skuId`, `SKU ${l.skuId} is not offered in this campaign`);
      if (item.leaderOnly && !roles.has('leader')) {
        throw new DomainError('forbidden', `${item.title} is for leaders only (团长专享)`, { field: `lines.${l.inputIndex}.skuId` });
      }
      if (item.limitPerPerson !== null && l.quantity > item.limitPerPerson) {
        throw badInput(`lines.${l.inputIndex}.quantity`, `${item.title} is limited to ${item.limitPerPerson} per person in this campaign`);
      }
      return snapshotLine(l, item, item.groupPriceFen, { limit: item.limitPerPerson === null ? null : { scope: `campaign:${c.id}`, max: item.limitPerPerson } });
    });
    const itemsFen = lines.reduce((s, l) => s + l.lineTotalFen, 0);
    const { shareLinkId, referrerAccountId } = await this.referral(buyerAccountId, input.shareCode);

    const plan: CommissionPlanItem[] = [];
    const leader = where.leaderAccountId;
    if (leader !== null && leader !== buyerAccountId) {
      const bonus = this.d.leaderBonusBp ? await this.d.leaderBonusBp(leader) : 0;
      const fen = lines.reduce((s, l) => s + Math.floor((l.lineTotalFen * ((c.items.get(l.skuId)!.leaderCommissionBp ?? c.leaderCommissionBp) + bonus)) / 10_000), 0);
      // bp only describes the amount (the effective rate, rounded down); payment books `fen`.
      if (fen > 0) plan.push({ party: 'leader', accountId: leader, bp: Math.floor((fen * 10_000) / itemsFen), fen });
    }
    if (referrerAccountId !== null) plan.push({ party: 'referrer', accountId: referrerAccountId, bp: COMMISSION_POLICY.referrerBp });

    return {
      buyerAccountId,
      lines,
      order: {
        channel: input.channel,
        fulfilment: where.fulfilment,
        locationId: where.locationId,
        regionId: where.regionId,
        communityId: where.communityId,
        pickupPointId: where.pickupPointId,
        storeId: null,
        leaderAccountId: where.leaderAccountId,
        campaignId: c.id,
        shareLinkId,
        referrerAccountId,
        itemsFen,
        discountFen: 0,
        deliveryFen: 0,
        totalFen: itemsFen,
        commissionPlan: plan,
        note: input.note ?? '',
      },
    };
  }

  /**
   * A live order (docs/live.md). While the session is live its bag sells at the live prices
   * with the bag's per-person limits (scope `live:<id>`) from the session's own location; an
   * order of a flash sale at the sale's price, limit (`flash:<id>`) and location. Once the
   * session has ended (the replay) the bag sells at the region's shelf prices and daily limits
   * from the central warehouse, still attributed to the session and its host. Delivery is a
   * parcel from the region's central warehouse; pickup goes to a point of the session's region.
   * A coupon claim is spread over the lines like the till's order discount.
   */
  private async quoteLive(buyerAccountId: number, input: CheckoutInput, now: Date) {
    if (input.campaignId !== undefined) throw badInput('campaignId', 'a live order belongs to no campaign');
    if (input.storeId !== undefined) throw badInput('storeId', 'a live order is not a store order');
    if (input.liveSessionId === undefined) throw badInput('liveSessionId', 'a live order names its session: give liveSessionId');
    const live = this.d.live;
    if (!live) throw badInput('channel', 'live selling is not available on this server');
    const sessionId = input.liveSessionId;
    const merged = mergeLines(input.lines);
    const c = await this.liveSessions.get(sessionId, () => live.session(sessionId));
    if (!c) throw badInput('liveSessionId', `live session ${sessionId} does not exist`);
    const s = c.session;
    if (s.status !== 'live' && s.status !== 'ended') throw conflict(`this session is ${s.status}; its goods sell while it is live and after it has ended`, 'liveSessionId');

    const where = await this.livePlace(input, s.regionId);
    const day = cstDay(now);
    let lines: DraftLine[];
    let locationId: number;
    let flashSaleId: number | null = null;
    if (input.flashSaleId !== undefined) {
      const flashId = input.flashSaleId;
      const f = await this.flashSales.get(flashId, () => live.flashSale(flashId));
      if (!f || f.sessionId !== s.id) throw badInput('flashSaleId', `flash sale ${flashId} is not one of this session’s`);
      if (f.status === 'ended' || now.getTime() >= f.endsAt.getTime()) throw conflict('this flash sale has ended', 'flashSaleId');
      if (f.status === 'sold_out') {
        throw new DomainError('conflict', 'this flash sale is sold out', { field: 'flashSaleId', details: { reason: 'sold_out', flashSaleId: f.id, available: 0 } });
      }
      if (now.getTime() < f.startsAt.getTime()) throw conflict(`this flash sale starts at ${f.startsAt.toISOString()}`, 'flashSaleId');
      if (input.couponClaimId !== undefined) throw badInput('couponClaimId', 'a coupon is not used on a flash-sale order');
      const first = merged[0]!;
      if (merged.length !== 1 || first.skuId !== f.skuId) throw badInput(`lines.${merged.length !== 1 ? merged[1]!.inputIndex : first.inputIndex}.skuId`, `a flash-sale order is one line of SKU ${f.skuId}`);
      const item = c.bag.get(f.skuId);
      if (!item) throw badInput(`lines.${first.inputIndex}.skuId`, `SKU ${f.skuId} is not in this session’s bag`);
      if (first.quantity > f.limitPerPerson) throw badInput(`lines.${first.inputIndex}.quantity`, `${item.title} is limited to ${f.limitPerPerson} per person in this flash sale`);
      lines = [snapshotLine(first, item, f.priceFen, { limit: { scope: `flash:${f.id}`, max: f.limitPerPerson } })];
      locationId = f.locationId;
      flashSaleId = f.id;
    } else if (s.status === 'live') {
      lines = merged.map((l) => {
        const item = c.bag.get(l.skuId);
        if (!item || !item.onSale) throw badInput(`lines.${l.inputIndex}.skuId`, `SKU ${l.skuId} is not in this session’s bag`);
        if (item.limitPerPerson !== null && l.quantity > item.limitPerPerson) {
          throw badInput(`lines.${l.inputIndex}.quantity`, `${item.title} is limited to ${item.limitPerPerson} per person in this session`);
        }
        return snapshotLine(l, item, item.livePriceFen, { limit: item.limitPerPerson === null ? null : { scope: `live:${s.id}`, max: item.limitPerPerson } });
      });
      locationId = c.locationId;
    } else {
      lines = merged.map((l) => {
        const item = c.bag.get(l.skuId);
        if (!item || !item.onSale || item.normalPriceFen === null) throw badInput(`lines.${l.inputIndex}.skuId`, `SKU ${l.skuId} of this session is not on sale here now`);
        const limit = item.shelfLimitPerPerson;
        if (limit !== null && l.quantity > limit) throw badInput(`lines.${l.inputIndex}.quantity`, `${item.title} is limited to ${limit} per person per day`);
        return snapshotLine(l, item, item.normalPriceFen, { limit: limit === null ? null : { scope: `shelf:${s.regionId}:${day}`, max: limit } });
      });
      locationId = await this.centralLocationOf(s.regionId, 'liveSessionId', 'this session’s region has no central warehouse');
    }

    let couponClaimId: number | undefined;
    if (input.couponClaimId !== undefined) {
      const claimId = input.couponClaimId;
      const claim = await live.claim(claimId);
      if (!claim || claim.accountId !== buyerAccountId) throw badInput('couponClaimId', `you hold no coupon claim ${claimId}`);
      if (claim.sessionId !== s.id) throw badInput('couponClaimId', 'this coupon belongs to another session');
      if (claim.orderId !== null) throw new DomainError('conflict', 'this coupon was used on another order', { field: 'couponClaimId', details: { reason: 'used', orderId: claim.orderId } });
      if (claim.expiresAt.getTime() <= now.getTime()) throw new DomainError('conflict', 'this coupon has expired', { field: 'couponClaimId', details: { reason: 'expired' } });
      const goods = lines.reduce((sum, l) => sum + l.lineTotalFen, 0);
      if (goods < claim.minSpendFen) throw badInput('couponClaimId', `this coupon needs a spend of at least ${claim.minSpendFen} fen; the goods come to ${goods}`);
      spreadOrderDiscount(lines, claim.amountFen, 'couponClaimId');
      couponClaimId = claim.id;
    }

    const itemsFen = lines.reduce((sum, l) => sum + l.unitPriceFen * l.quantity, 0);
    const discountFen = lines.reduce((sum, l) => sum + l.discountFen, 0);
    const { shareLinkId, referrerAccountId } = await this.referral(buyerAccountId, input.shareCode);
    const plan: CommissionPlanItem[] = [];
    // 主播佣金: the host's rate of what the buyer pays for the goods, reversed on refunds like the leader's.
    if (s.hostAccountId !== buyerAccountId && c.commissionBp > 0) plan.push({ party: 'host', accountId: s.hostAccountId, bp: c.commissionBp });
    // The pickup point's leader hands the parcel over, as for any order collected at the point.
    if (where.leaderAccountId !== null && where.leaderAccountId !== buyerAccountId) plan.push({ party: 'leader', accountId: where.leaderAccountId, bp: COMMISSION_POLICY.leaderBp });
    if (referrerAccountId !== null) plan.push({ party: 'referrer', accountId: referrerAccountId, bp: COMMISSION_POLICY.referrerBp });

    return {
      buyerAccountId,
      lines,
      couponClaimId,
      order: {
        channel: 'live' as const,
        fulfilment: where.fulfilment,
        locationId,
        regionId: where.regionId,
        communityId: where.communityId,
        pickupPointId: where.pickupPointId,
        storeId: null,
        leaderAccountId: where.leaderAccountId,
        hostAccountId: s.hostAccountId,
        liveSessionId: s.id,
        flashSaleId,
        shareLinkId,
        referrerAccountId,
        itemsFen,
        discountFen,
        deliveryFen: 0,
        totalFen: itemsFen - discountFen,
        commissionPlan: plan,
        note: input.note ?? '',
      },
    };
  }

  /** Where a live order goes: a parcel (the default) or a pickup point of the session's region. */
  private async livePlace(input: CheckoutInput, sessionRegionId: number) {
    const fulfilment = input.fulfilment ?? (input.pickupPointId !== undefined ? 'pickup' : 'delivery');
    if (fulfilment === 'counter') throw badInput('fulfilment', 'a live order is delivered or picked up');
    if (fulfilment === 'delivery') {
      if (input.pickupPointId !== undefined) throw badInput('pickupPointId', 'a delivered order names no pickup point');
      return { regionId: sessionRegionId, communityId: null, pickupPointId: null, leaderAccountId: null, fulfilment: 'delivery' as const };
    }
    if (input.pickupPointId === undefined) throw badInput('pickupPointId', 'a pickup order names its pickup point: give pickupPointId');
    const point = await this.points.get(input.pickupPointId, () =>
      this.d.place.pickupPoints.get(input.pickupPointId!).catch(() => {
        throw badInput('pickupPointId', `pickup point ${input.pickupPointId} does not exist`);
      }),
    );
    if (point.status !== 'active') throw badInput('pickupPointId', 'this pickup point is not taking orders now');
    const regionId = await this.regionOfCommunity.get(point.communityId, async () => (await this.d.place.areas.getCommunity(point.communityId)).regionId);
    const parent = await this.parentRegion.get(regionId, async () => (await this.d.place.areas.getRegion(regionId)).parentId);
    if (regionId !== sessionRegionId && parent !== sessionRegionId) throw badInput('pickupPointId', 'this pickup point is outside the session’s region');
    return { regionId, communityId: point.communityId, pickupPointId: point.id, leaderAccountId: point.leaderAccountId, fulfilment: 'pickup' as const };
  }

  /**
   * A store's replenishment order (进货): the store's owner buys whole cases at the wholesale
   * prices of the store's region from its central warehouse, for delivery to the store. No
   * commission is due on it and no per-person limit applies.
   */
  private async quoteReplenishment(buyerAccountId: number, input: CheckoutInput) {
    const merged = mergeLines(input.lines);
    if (input.storeId === undefined) throw badInput('storeId', 'a replenishment order names the store: give storeId');
    const store = await this.storeOf(input.storeId);
    if (store.ownerAccountId !== buyerAccountId) throw new DomainError('forbidden', 'only the store’s owner orders its stock', { field: 'storeId' });
    if (store.status === 'closed') throw badInput('storeId', 'this store is closed');
    const wholesale = this.d.wholesale;
    if (!wholesale) throw badInput('channel', 'replenishment is not available on this server');
    const offers = await wholesale(store.regionId, merged.map((l) => l.skuId));
    const lines: DraftLine[] = merged.map((l) => {
      const offer = offers.get(l.skuId);
      if (!offer) throw badInput(`lines.${l.inputIndex}.skuId`, `SKU ${l.skuId} is not in this region’s wholesale catalogue`);
      if (l.quantity % offer.caseSize !== 0) {
        throw badInput(`lines.${l.inputIndex}.quantity`, `${offer.title} is sold in cases of ${offer.caseSize}: order a multiple of ${offer.caseSize}`);
      }
      return snapshotLine(l, offer, offer.priceFen, { limit: null });
    });
    const itemsFen = lines.reduce((s, l) => s + l.lineTotalFen, 0);
    const locationId = await this.centralLocationOf(store.regionId, 'storeId', 'this store’s region has no central warehouse yet');
    return {
      buyerAccountId,
      lines,
      order: {
        channel: 'replenishment' as const,
        fulfilment: 'delivery' as const,
        locationId,
        regionId: store.regionId,
        communityId: store.communityId,
        pickupPointId: null,
        storeId: store.id,
        leaderAccountId: null,
        shareLinkId: null,
        referrerAccountId: null,
        itemsFen,
        discountFen: 0,
        deliveryFen: 0,
        totalFen: itemsFen,
        commissionPlan: [],
        note: input.note ?? '',
      },
    };
  }

  /**
   * A sale at the store's counter (docs/stores.md): rung up by the store's owner or a clerk, who
   * is the buyer; the region's prices; no per-person limits; discounts per line and per order in
   * fen, the order's spread over the lines in proportion so every line stays ≥ 0 and a refund of
   * a line returns what was paid for it. Stock from the store's one location, as online orders.
   * Paid in cash the store already holds the money: no commission is planned. Paid through the
   * provider the platform collects it and owes the store all of it (no platform fee).
   */
  private async quoteCounter(buyerAccountId: number, input: CheckoutInput) {
    if (input.campaignId !== undefined) throw badInput('campaignId', 'a counter sale belongs to no campaign');
    if (input.storeId === undefined) throw badInput('storeId', 'a counter sale names the store: give storeId');
    const store = await this.storeOf(input.storeId);
    if (store.status === 'closed') throw badInput('storeId', 'this store is closed');
    // Read afresh (not cached): a clerk taken off the store stops selling at once.
    if (store.ownerAccountId !== buyerAccountId && !(await this.d.isClerk?.(store.id, buyerAccountId))) {
      throw new DomainError('forbidden', 'only this store’s owner and clerks sell at its counter', { field: 'storeId' });
    }
    const merged = mergeLines(input.lines);
    const offers = await this.d.catalog.regionOffers(store.regionId, merged.map((l) => l.skuId));
    const lines: DraftLine[] = merged.map((l) => {
      const offer = offers.get(l.skuId);
      if (!offer) throw badInput(`lines.${l.inputIndex}.skuId`, `SKU ${l.skuId} is not on sale here`);
      const gross = offer.priceFen * l.quantity;
      const discountFen = l.discountFen ?? 0;
      if (!Number.isSafeInteger(discountFen) || discountFen < 0 || discountFen > gross) {
        throw badInput(`lines.${l.inputIndex}.discountFen`, `a line's discount is whole fen from 0 to the line's ${gross}`);
      }
      return snapshotLine(l, offer, offer.priceFen, { limit: null, discountFen });
    });
    spreadOrderDiscount(lines, input.discountFen);
    const itemsFen = lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
    const discountFen = lines.reduce((s, l) => s + l.discountFen, 0);
    const cash = input.payment === 'cash';
    const plan: CommissionPlanItem[] = cash ? [] : [{ party: 'store', accountId: store.ownerAccountId, bp: 10_000 }];
    return {
      buyerAccountId,
      lines,
      paymentProvider: cash ? 'cash' : undefined,
      order: {
        channel: 'store_counter' as const,
        fulfilment: 'counter' as const,
        locationId: await this.d.inventory.locationOfStore(store.id),
        regionId: store.regionId,
        communityId: store.communityId,
        pickupPointId: null,
        storeId: store.id,
        leaderAccountId: null,
        shareLinkId: null,
        referrerAccountId: null,
        itemsFen,
        discountFen,
        deliveryFen: 0,
        totalFen: itemsFen - discountFen,
        commissionPlan: plan,
        note: input.note ?? '',
      },
    };
  }

  /** A store by id (cached a few seconds), or 400 naming storeId. */
  private storeOf(storeId: number) {
    return this.stores.get(storeId, () =>
      this.d.place.stores.get(storeId).catch(() => {
        throw badInput('storeId', `store ${storeId} does not exist`);
      }),
    );
  }

  /** The stock location of a region's central warehouse; a district (county) usually shares its city's, so look upwards. */
  private centralLocationOf(regionId: number, field: string, missing: string): Promise<number> {
    return this.centralLocation.get(regionId, async () => {
      let at: number | null = regionId;
      for (let hops = 0; at !== null && hops < 4; hops++) {
        const page = await this.d.place.warehouses.list({ afterId: null, limit: 1, regionId: at, kind: 'central' });
        const central = page.items[0];
        if (central) return this.d.inventory.locationOfWarehouse(central.id);
        at = (await this.d.place.areas.getRegion(at)).parentId;
      }
      throw badInput(field, missing);
    });
  }

  /** Where the order is fulfilled from and for, by channel. */
  private async placeOf(input: CheckoutInput, opts: { campaignLocation?: () => Promise<number> } = {}) {
    if (input.channel === 'group_buy') {
      if (input.pickupPointId === undefined) throw badInput('pickupPointId', 'a group-buy order is collected at a pickup point: give pickupPointId');
      const point = await this.points.get(input.pickupPointId, () =>
        this.d.place.pickupPoints.get(input.pickupPointId!).catch(() => {
          throw badInput('pickupPointId', `pickup point ${input.pickupPointId} does not exist`);
        }),
      );
      if (point.status !== 'active') throw badInput('pickupPointId', 'this pickup point is not taking orders now');
      const regionId = await this.regionOfCommunity.get(point.communityId, async () => (await this.d.place.areas.getCommunity(point.communityId)).regionId);
      const locationId = opts.campaignLocation
        ? await opts.campaignLocation()
        : await this.centralLocationOf(regionId, 'pickupPointId', 'this pickup point’s region has no central warehouse yet');
      return {
        regionId,
        communityId: point.communityId,
        pickupPointId: point.id,
        storeId: null,
        leaderAccountId: point.leaderAccountId,
        storeOwnerAccountId: null,
        locationId,
        fulfilment: 'pickup' as const,
      };
    }
    if (input.channel === 'store_online') {
      if (input.storeId === undefined) throw badInput('storeId', 'a store order names the store: give storeId');
      const store = await this.storeOf(input.storeId);
      if (store.status !== 'active') throw badInput('storeId', 'this store is not taking orders now');
      return {
        regionId: store.regionId,
        communityId: store.communityId,
        pickupPointId: null,
        storeId: store.id,
        leaderAccountId: null,
        storeOwnerAccountId: store.ownerAccountId,
        locationId: await this.d.inventory.locationOfStore(store.id),
        fulfilment: input.fulfilment === 'delivery' ? ('delivery' as const) : ('pickup' as const),
      };
    }
    throw badInput('channel', `${input.channel} orders are placed from their own page (live room, counter, replenishment), not the shop`);
  }
}

/** A line as the buyer saw it: title, spec and unit price snapshotted, its total after its discount. */
function snapshotLine(
  l: { skuId: number; quantity: number; inputIndex: number },
  offer: { productId: number; title: string; spec: string; unit: string },
  unitPriceFen: number,
  opts: { limit: DraftLine['limit']; discountFen?: number },
): DraftLine {
  const discountFen = opts.discountFen ?? 0;
  return {
    skuId: l.skuId,
    productId: offer.productId,
    title: offer.title,
    spec: offer.spec,
    unit: offer.unit,
    unitPriceFen,
    quantity: l.quantity,
    discountFen,
    lineTotalFen: unitPriceFen * l.quantity - discountFen,
    inputIndex: l.inputIndex,
    limit: opts.limit,
  };
}

/** Sessions, flash sales and coupons are the live channel's; any other order naming them is refused. */
function liveOnly(input: CheckoutInput): void {
  for (const field of ['liveSessionId', 'flashSaleId', 'couponClaimId'] as const) {
    if (input[field] !== undefined) throw badInput(field, `only a live order (channel 'live') names ${field}`);
  }
}

/** Discounts and a payment way are the counter's; any other order naming them is refused. */
function counterOnly(input: CheckoutInput): void {
  if (input.discountFen !== undefined) throw badInput('discountFen', 'only a counter sale takes a discount');
  if (input.payment !== undefined) throw badInput('payment', 'only a counter sale chooses its payment way here');
  const i = input.lines.findIndex((l) => l.discountFen !== undefined);
  if (i >= 0) throw badInput(`lines.${i}.discountFen`, 'only a counter sale takes a discount');
}

/**
 * Take the order's discount off its lines in proportion to what each still costs (rounded
 * down, the remainder from the first lines with room), so no line goes below zero. The sale
 * must still come to at least 1 fen: a payment of nothing cannot be booked.
 */
function spreadOrderDiscount(lines: DraftLine[], orderDiscountFen: number | undefined, field = 'discountFen'): void {
  const net = lines.reduce((s, l) => s + l.lineTotalFen, 0);
  const d = orderDiscountFen ?? 0;
  if (!Number.isSafeInteger(d) || d < 0) throw badInput(field, `${field} must be whole fen, 0 or more`);
  if (d >= net) throw badInput(field, `the sale comes to ${net} fen after line discounts; the discount must leave at least 1 fen`);
  if (d === 0) return;
  const shares = lines.map((l) => Math.floor((d * l.lineTotalFen) / net));
  let left = d - shares.reduce((s, x) => s + x, 0);
  for (let i = 0; left > 0 && i < lines.length; i++) {
    const extra = Math.min(lines[i]!.lineTotalFen - shares[i]!, left);
    shares[i] = shares[i]! + extra;
    left -= extra;
  }
  lines.forEach((l, i) => {
    l.discountFen += shares[i]!;
    l.lineTotalFen -= shares[i]!;
  });
}

/** Two lines for one SKU become one; the first line's position names it in errors. */
function mergeLines(lines: CheckoutLineInput[]): (CheckoutLineInput & { inputIndex: number })[] {
  if (lines.length === 0) throw badInput('lines', 'an order needs at least one line');
  if (lines.length > MAX_LINES) throw badInput('lines', `an order has at most ${MAX_LINES} lines`);
  const bySku = new Map<number, CheckoutLineInput & { inputIndex: number }>();
  lines.forEach((l, i) => {
    if (!Number.isInteger(l.skuId) || l.skuId <= 0) throw badInput(`lines.${i}.skuId`, 'skuId must be a positive whole number');
    if (!Number.isInteger(l.quantity) || l.quantity <= 0 || l.quantity > MAX_QUANTITY) {
      throw badInput(`lines.${i}.quantity`, `quantity must be a whole number from 1 to ${MAX_QUANTITY}`);
    }
    const seen = bySku.get(l.skuId);
    if (seen) {
      seen.quantity += l.quantity;
      if (l.discountFen !== undefined) seen.discountFen = (seen.discountFen ?? 0) + l.discountFen;
      if (seen.quantity > MAX_QUANTITY) throw badInput(`lines.${i}.quantity`, `at most ${MAX_QUANTITY} of one SKU`);
    } else bySku.set(l.skuId, { ...l, inputIndex: i });
  });
  return [...bySku.values()];
}
