// The campaign steps that reach beyond the groupbuy module: publishing puts each item's stock
// on the campaign's own stock location (so checkout reserves against it and cannot oversell);
// cancelling checks no order was paid; today's list and the relay list (接龙) read a pickup
// point's region, campaigns and orders.
import type { Database } from '../../db';
import { conflict, DomainError, notFound, type Clock } from '../../kernel';
import { chinaDay, seesLeaderOnly, type CampaignRow, type CampaignService, type CampaignView, type RestDay } from '../../modules/groupbuy';
import { runIdempotent, type IdempotentResult } from '../../modules/idempotency';
import type { InventoryService } from '../../modules/inventory';
import type { OrderStatus } from '../../modules/orders';
import { requireActor, requireRole, type Actor } from '../../modules/people';
import type { PlaceService } from '../../modules/place';

export interface CampaignFlowDeps {
  db: Database;
  clock: Clock;
  campaigns: CampaignService;
  inventory: InventoryService;
  place: PlaceService;
}

export interface RelayEntry {
  no: number;
  /** Masked: the first character and a star (张*). */
  buyerName: string;
  paidAt: string;
  status: OrderStatus;
  lines: { title: string; spec: string; quantity: number }[];
}

export interface Relay {
  pickupPoint: { id: number; name: string; address: string };
  leader: { accountId: number; displayName: string } | null;
  campaign: { id: number; title: string; cutoffAt: string; pickupDate: string } | null;
  entries: RelayEntry[];
  totals: { orders: number; items: number; gmvFen: number };
}

export interface TodayList {
  restDay: RestDay | null;
  campaigns: CampaignView[];
}

/** 张三 → 张*: enough for neighbours to recognise their line, not enough to identify anyone. */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0];
  return `${first ?? ''}*`;
}

export class CampaignFlow {
  private readonly changed: Array<(campaignId: number) => void> = [];

  constructor(private readonly d: CampaignFlowDeps) {}

  /** Checkout caches campaigns for a few seconds; this tells it when one moved its cutoff. */
  onChanged(listener: (campaignId: number) => void): void {
    this.changed.push(listener);
  }

  /**
   * Operator: 提前截单 — close a campaign on sale now instead of at its planned cutoff (sold out
   * early, supplier trouble). The cutoff wave then picks it up like any other. Checkout in this
   * process stops selling at once; another process within its few seconds of campaign cache.
   */
  async closeNow(actor: Actor | null, id: number): Promise<CampaignView> {
    requireRole(actor, 'operator');
    const view = await this.d.db.orm.transaction(async (tx) => {
      const c = await this.d.campaigns.repo.lock(tx, id);
      if (!c) throw notFound('campaign', id);
      const now = this.d.clock.now();
      if (c.status !== 'published') throw conflict(`campaign ${id} is ${c.status}; only a campaign on sale can be closed`);
      if (c.cutoffAt.getTime() <= now.getTime()) throw conflict(`campaign ${id} already closed at ${c.cutoffAt.toISOString()}`);
      if (c.startsAt.getTime() >= now.getTime()) throw conflict(`campaign ${id} has not opened yet; cancel it instead`);
      await this.d.campaigns.repo.update(tx, id, { cutoffAt: now });
      return this.d.campaigns.view(id, { leaderOnly: true }, tx);
    });
    for (const listener of this.changed) listener(id);
    return view;
  }

  /**
   * Operator, idempotent under `key`: in one transaction the draft becomes published and each
   * item's stock is received onto the campaign's location. Refused on a rest day of the
   * region (or its city) on the pickup day, and once the cutoff has passed.
   */
  async publish(actor: Actor | null, id: number, key: string): Promise<IdempotentResult<CampaignView>> {
    const a = requireRole(actor, 'operator');
    const before = await this.d.campaigns.find(id);
    if (!before) throw notFound('campaign', id);
    // Read before the transaction: the location id is cached, so it must not be rolled back,
    // and the region's parent comes from another module's connection.
    const locationId = await this.d.inventory.locationOfCampaign(id);
    const regions = await this.d.campaigns.regionAndParent(before.regionId);
    const result = await runIdempotent(this.d.db, { scope: `campaign-publish:${id}`, key, request: { id } }, async (tx) => {
      const c = (await this.d.campaigns.repo.lock(tx, id))!;
      if (c.status !== 'draft') throw conflict(`campaign ${id} is ${c.status}; only a draft can be published`);
      const now = this.d.clock.now();
      if (c.cutoffAt.getTime() <= now.getTime()) throw conflict(`this campaign’s cutoff (${c.cutoffAt.toISOString()}) has passed; move it before publishing`, 'cutoffAt');
      if (c.regionId !== before.regionId) throw conflict(`campaign ${id} moved to another region meanwhile; publish again`);
      const rest = await this.d.campaigns.repo.restDayOn(tx, regions, c.pickupDate);
      if (rest) {
        throw new DomainError('conflict', `${c.pickupDate} is a rest day (休市)${rest.reason ? `: ${rest.reason}` : ''}; choose another pickup day`, {
          field: 'pickupDate',
          details: { reason: 'rest_day', day: rest.day, restReason: rest.reason },
        });
      }
      for (const item of await this.d.campaigns.repo.items(tx, id)) {
        if (item.stock > 0) {
          await this.d.inventory.receive({ locationId, skuId: item.skuId, quantity: item.stock, actorId: a.accountId, refType: 'campaign', refId: id }, tx);
        }
      }
      await this.d.campaigns.repo.update(tx, id, { status: 'published' });
      return { status: 200, body: await this.d.campaigns.view(id, { leaderOnly: true }, tx) };
    });
    for (const listener of this.changed) listener(id);
    return result;
  }

  /**
   * Operator: withdraw a draft or a campaign on sale whose orders are all still unpaid. Checkout
   * refuses it from then on; its unpaid orders expire at their deadline as usual.
   */
  async cancel(actor: Actor | null, id: number): Promise<CampaignView> {
    requireRole(actor, 'operator');
    const view = await this.d.db.orm.transaction(async (tx) => {
      const c = await this.d.campaigns.repo.lock(tx, id);
      if (!c) throw notFound('campaign', id);
      if (c.status === 'cut_off') throw conflict(`campaign ${id} is cut off; its orders are on their way`);
      if (c.status !== 'cancelled') {
        if (await this.d.campaigns.repo.hasPaidOrder(tx, id)) throw conflict(`campaign ${id} has paid orders; refund them instead of cancelling`);
        await this.d.campaigns.repo.update(tx, id, { status: 'cancelled' });
      }
      return this.d.campaigns.view(id, { leaderOnly: true }, tx);
    });
    for (const listener of this.changed) listener(id);
    return view;
  }

  /** Campaigns open now in the pickup point's region (and its city), and today's rest day. */
  async today(actor: Actor | null, pickupPointId: number): Promise<TodayList> {
    const a = requireActor(actor);
    const { regions } = await this.pointAndRegions(pickupPointId);
    const now = this.d.clock.now();
    const [restDay, open] = await Promise.all([this.d.campaigns.repo.restDayOn(this.d.db.orm, regions, chinaDay(now)), this.d.campaigns.openIn(regions, now)]);
    return { restDay, campaigns: await this.d.campaigns.views(open, { leaderOnly: seesLeaderOnly(a) }) };
  }

  /**
   * The relay list of a point: its paid orders of one campaign (by default the one open now,
   * else the latest), numbered by payment time. Refunded orders keep their number.
   */
  async relay(actor: Actor | null, pickupPointId: number, campaignId?: number): Promise<Relay> {
    requireActor(actor);
    const { point, regions } = await this.pointAndRegions(pickupPointId);
    let campaign: CampaignRow | null;
    if (campaignId !== undefined) {
      campaign = await this.d.campaigns.find(campaignId);
      if (!campaign || campaign.status === 'draft' || !regions.includes(campaign.regionId)) throw notFound('campaign', campaignId);
    } else {
      campaign = (await this.d.campaigns.openIn(regions, this.d.clock.now()))[0] ?? (await this.d.campaigns.latestIn(regions));
    }
    const repo = this.d.campaigns.repo;
    const [rows, leaderName] = await Promise.all([
      campaign ? repo.relay(this.d.db.orm, campaign.id, point.id) : Promise.resolve([]),
      point.leaderAccountId === null ? Promise.resolve(null) : repo.displayName(this.d.db.orm, point.leaderAccountId),
    ]);
    const totals = { orders: 0, items: 0, gmvFen: 0 };
    const entries = rows.map((r): RelayEntry => {
      if (r.status !== 'refunded') totals.orders += 1;
      totals.gmvFen += r.totalFen - r.refundedFen;
      for (const l of r.lines) totals.items += l.quantity - l.refundedQuantity;
      return {
        no: r.no,
        buyerName: maskName(r.buyerName),
        paidAt: new Date(r.paidAt).toISOString(),
        status: r.status as OrderStatus,
        lines: r.lines.map((l) => ({ title: l.title, spec: l.spec, quantity: l.quantity })),
      };
    });
    return {
      pickupPoint: { id: point.id, name: point.name, address: point.address },
      leader: point.leaderAccountId !== null && leaderName !== null ? { accountId: point.leaderAccountId, displayName: leaderName } : null,
      campaign: campaign ? { id: campaign.id, title: campaign.title, cutoffAt: campaign.cutoffAt.toISOString(), pickupDate: campaign.pickupDate } : null,
      entries,
      totals,
    };
  }

  private async pointAndRegions(pickupPointId: number) {
    const point = await this.d.place.pickupPoints.get(pickupPointId);
    const community = await this.d.place.areas.getCommunity(point.communityId);
    return { point, regions: await this.d.campaigns.regionAndParent(community.regionId) };
  }
}
