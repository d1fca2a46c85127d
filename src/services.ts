// Composition root: builds every module's service on one database. Modules never construct
// each other; anything that needs two modules at once lives in src/flows/ and receives them here.
import type { Database } from './db';
import { systemClock, type Clock } from './kernel';
import { PeopleService } from './modules/people';
import { PlaceService } from './modules/place';
import { CatalogService } from './modules/catalog';
import { TrafficService } from './modules/traffic';
import { LedgerService } from './modules/ledger';
import { createSandbox, PaymentsService, type SandboxGateway } from './modules/payments';
import { appendEvents, EventBus } from './modules/events';
import { InventoryService, RedisStockFront } from './modules/inventory';
import { OrdersService } from './modules/orders';
import { CheckoutFlow, DEFAULT_PAYMENT_WINDOW_MS, type OutboxEventDraft } from './flows/checkout';
import { DEFAULT_AFTER_SALES_WINDOW_MS, OrderLifecycle, RefundFlow } from './flows/orders';
import type { Tx } from './db';
import { GroupbuySettingsService } from './modules/groupbuy';
import { PickupCodes } from './modules/fulfilment';
import { GridReceiptFlow, HandoffFlow, PickupFlow } from './flows/fulfilment';
import { WavesService } from './modules/fulfilment';
import { WaveFlow } from './flows/fulfilment';
import { CampaignService } from './modules/groupbuy';
import { CampaignFlow } from './flows/groupbuy/campaigns';
import { LeadersService } from './modules/leaders';
import { LeaderFlow } from './flows/groupbuy/leaders';
import { MatchingService } from './modules/matching';
import { FinanceService, ReplenishmentService } from './modules/stores';
import { ReplenishmentFlow } from './flows/stores/replenishment';
import { StoresService } from './modules/stores';
import { CashProvider } from './modules/payments';
import { StoreOnboardingFlow } from './flows/stores/onboarding';
import { PosFlow } from './flows/stores/pos';
import { PosReceipts } from './flows/stores/pos-receipts';
import { PosRefundFlow } from './flows/stores/pos-refunds';
import { LiveHub, ORDER_TOPICS, storeOrderFeed } from './http/live';
import { LiveService } from './modules/live';
import { LiveRoomService } from './modules/live';
import { LIVE_ROOM_TOPICS, liveRoomFeed } from './http/live-room';
import { centralLocationFinder, CouponFlow, LiveFlow } from './flows/live';
import { TrustService } from './modules/trust';
import { DashboardsService } from './modules/insights';
import { InsightsService, INSIGHTS_SUBSCRIBER, INSIGHTS_TOPICS } from './modules/insights';

export interface Services {
  db: Database;
  clock: Clock;
  people: PeopleService;
  place: PlaceService;
  catalog: CatalogService;
  traffic: TrafficService;
  ledger: LedgerService;
  payments: PaymentsService;
  /** The sandbox provider's pretend server; the HTTP routes connect it to the callback route. */
  sandboxGateway: SandboxGateway;
  /** Outbox relay; startServer starts it, tests start it only when they need delivery. */
  events: EventBus;
  inventory: InventoryService;
  /** Redis admission for hot SKUs, when `redisUrl` is given; close it on shutdown. */
  stockFront: RedisStockFront | null;
  orders: OrdersService;
  checkout: CheckoutFlow;
  lifecycle: OrderLifecycle;
  refunds: RefundFlow;
  groupbuySettings: GroupbuySettingsService;
  /** Hand-offs: central receipt, route dispatch, arrival sign-off with shortage refunds. */
  handoffs: HandoffFlow;
  /** The central → grid warehouse leg: each grid warehouse counts its share in. */
  gridReceipts: GridReceiptFlow;
  /** Pickup verification (核销) and the leader's order screens. */
  pickup: PickupFlow;
  /** The cutoff wave's outputs: purchase orders, sorting lists, routes, manifests. */
  waves: WavesService;
  /** Runs the cutoff wave (截单波次) of a region and day. */
  wave: WaveFlow;
  campaigns: CampaignService;
  /** Publishing, cancelling, today's list and the relay list (接龙). */
  campaignFlow: CampaignFlow;
  /** Leader applications, profiles, levels, weekly KPIs; residents' pickup-point bindings. */
  leaders: LeadersService;
  /** Approving leaders (opens the point, grants the role), suspending them, the weekly KPI run. */
  leaderFlow: LeaderFlow;
  /** Recommendations for residents (货配人), from a model rebuilt every few minutes. */
  matching: MatchingService;
  /** Replenishment reads: the wholesale catalogue and the suggested order (进货建议). */
  replenishment: ReplenishmentService;
  /** Replenishment orders: placing (owner), listing, receiving into the store's stock. */
  replenishmentFlow: ReplenishmentFlow;
  /** A store's takings by channel, margin and ledger balances. */
  storeFinance: FinanceService;
  /** Store applications, who works where, the till's look-up, today's takings, the storefront. */
  stores: StoresService;
  /** Approving a store (opens it, grants store_owner, optionally a pickup point led by the owner). */
  storeOnboarding: StoreOnboardingFlow;
  /** Counter sales (收银): through checkout, then cash settled or the provider's QR. */
  pos: PosFlow;
  /** Returns at the till (退货) and counter-sale receipts (小票), docs/stores.md. */
  posRefunds: PosRefundFlow;
  posReceipts: PosReceipts;
  /** WebSocket topics → sockets (stores' live order queues), fed by the outbox events. */
  live: LiveHub;
  /** Live selling reads (rooms, hosts, replay), `roomSnapshot` and `canModerate` for the room (docs/live.md). */
  liveSelling: LiveService;
  /** A host's sessions, bag, pins and flash sales (stock moves, timeline, events), and the flash-sale jobs. */
  liveFlow: LiveFlow;
  /** Live coupons: release, claim; checkout uses claims and the lifecycle gives them back. */
  liveCoupons: CouponFlow;
  /** The live rooms open in this process: chat, likes, viewers, figures, moderation, the dashboard. */
  liveRooms: LiveRoomService;
  /** Trust scores (docs/insights.md): recomputed by a job and on demand, read by profiles, rankings and checkout. */
  trust: TrustService;
  /** The operator dashboards (docs/insights.md): read models per region and range, JSON or CSV. */
  insightsDashboards: DashboardsService;
  /** The insights read models: the outbox subscriber `insights`, recompute, ratings (docs/insights.md). */
  insights: InsightsService;
}

export interface ServiceOptions {
  clock?: Clock;
  paymentSandboxSecret?: string | undefined;
  natsUrl?: string | undefined;
  /** How long an unpaid order holds its stock (default 15 minutes). */
  paymentWindowMs?: number | undefined;
  afterSalesWindowMs?: number | undefined;
  /** redis://… — when set, checkout admits hot-SKU buyers through the Redis stock front. */
  redisUrl?: string | undefined;
  /** Key namespace of the stock front (default `linli:`). */
  redisPrefix?: string | undefined;
  /** HMAC secret of pickup codes (PICKUP_CODE_SECRET); a fixed development value when unset. */
  pickupCodeSecret?: string | undefined;
}

/** Development and tests only: production sets PICKUP_CODE_SECRET (see src/config.ts). */
export const DEV_PICKUP_CODE_SECRET = 'linli-dev-pickup-code-secret';

export async function createServices(db: Database, opts: ServiceOptions = {}): Promise<Services> {
  const clock = opts.clock ?? systemClock;
  const people = new PeopleService(db, clock);
  const place = new PlaceService(db, people, clock);
  // The nearby queries answer from memory; fill it before the first request.
  await place.loadGeoIndex();
  const catalog = new CatalogService(db);
  // Trust scores rank points, stores and rooms and set the leader's commission tier.
  const trust = new TrustService({ db, clock });
  const groupbuySettings = new GroupbuySettingsService(db, async (regionId) => (await place.areas.getRegion(regionId)).parentId);
  const leaders = new LeadersService({ db, clock, place, settings: groupbuySettings, trust });
  const traffic = new TrafficService(db, clock);
  const campaigns = new CampaignService(db, {
    parentOf: async (regionId) => (await place.areas.getRegion(regionId)).parentId,
    onSale: async (regionId, skuIds) => new Set((await catalog.regionOffers(regionId, skuIds)).keys()),
  });
  const ledger = new LedgerService(db, clock);
  const replenishment = new ReplenishmentService(db, clock);
  const sandbox = createSandbox({ clock, secret: opts.paymentSandboxSecret });
  // Cash is settled at the till by the POS flow (never the default: the sandbox stays first).
  const payments = new PaymentsService(db, clock, [sandbox.provider, new CashProvider()]);
  const events = new EventBus(db, { natsUrl: opts.natsUrl, clock });
  const inventory = new InventoryService(db);
  // One finder for the live service and flow: its cache lets the flow's transactions build views without the database handle.
  const centralLocation = centralLocationFinder(place, inventory);
  const liveSelling = new LiveService({ db, clock, centralLocation, trust });
  const stockFront = opts.redisUrl ? await RedisStockFront.connect({ url: opts.redisUrl, db, prefix: opts.redisPrefix }) : null;
  if (stockFront) inventory.onStockChanged((keys) => stockFront.touch(keys));
  const orders = new OrdersService(db, place);
  const emit = async (tx: Tx, drafts: OutboxEventDraft[]) => {
    await appendEvents(tx, drafts);
    // The relay polls anyway; the nudge just shortens the wait once this transaction commits.
    setTimeout(() => events.nudge(), 2);
  };
  const liveCoupons = new CouponFlow({ db, clock, live: liveSelling, emit });
  const lifecycle = new OrderLifecycle(
    { db, clock, orders, inventory, ledger, payments, emit },
    { afterSalesWindowMs: opts.afterSalesWindowMs ?? DEFAULT_AFTER_SALES_WINDOW_MS },
  );
  payments.onSucceeded((tx, payment) => lifecycle.onPaymentSucceeded(tx, payment));
  const refunds = new RefundFlow({ db, clock, orders, inventory, ledger, payments, emit });
  // A refund that leaves nothing to hand over on a partly collected order completes it.
  refunds.onAllHandedOver((tx, o) => lifecycle.applyEvent(tx, o, 'complete'));
  const checkout = new CheckoutFlow(
    {
      db,
      clock,
      place,
      catalog,
      inventory,
      orders,
      traffic,
      campaigns,
      // The leader's level and trust tier add to the campaign's commission rate.
      leaderBonusBp: async (accountId) => (await leaders.commissionBonusBp(accountId)) + (await trust.leaderTierBonusBp(accountId)),
      // Counter sales are rung up by the store's owner or one of its clerks.
      isClerk: (storeId, accountId) => stores.repo.isClerk(db.orm, storeId, accountId),
      // Replenishment orders are priced at the store region's wholesale prices.
      wholesale: (regionId, skuIds) => replenishment.wholesaleOffers(regionId, skuIds),
      live: {
        session: (id) => liveSelling.forCheckout(id),
        flashSale: (id) => liveSelling.flashSaleForCheckout(id),
        claim: (id) => liveSelling.claimForCheckout(id),
      },
      hooks: {
        emit,
        coupons: { lockUnused: (tx, ids) => liveCoupons.lockUnused(tx, ids), use: (tx, uses) => liveCoupons.use(tx, uses) },
        async openPayments(tx, list) {
          const created = await payments.createPayments(
            tx,
            list.map((o) => ({ orderId: o.orderId, payerAccountId: o.buyerAccountId, amountFen: o.amountFen, description: o.description, provider: o.provider })),
          );
          return new Map(
            created.map(({ payment, payUrl }) => [payment.orderId, { paymentId: payment.id, payUrl: payUrl ?? `/pay/${payment.id}`, amountFen: payment.amountFen }]),
          );
        },
      },
      cancelPlaced: (tx, orderId) => lifecycle.cancelPlaced(tx, orderId),
      front: stockFront ?? undefined,
    },
    {
      paymentWindowMs: opts.paymentWindowMs ?? DEFAULT_PAYMENT_WINDOW_MS,
      // PGlite is one connection: one batch at a time. On PostgreSQL a few batches overlap, so
      // one waiting on a hot row does not stall buyers of other SKUs.
      lanes: db.kind === 'pglite' ? 1 : 4,
      maxBatch: 128,
    },
  );

  const stores = new StoresService({ db, clock, place, catalog, inventory, orders, trust });
  const leaderFlow = new LeaderFlow({ leaders, place, people });
  const pos = new PosFlow({ db, clock, stores, catalog, checkout, payments, orders, lifecycle });
  // After the lifecycle's hook (order paid): a counter sale is handed over when it is paid.
  payments.onSucceeded((tx, payment) => pos.completeOnPayment(tx, payment));
  const live = new LiveHub();
  events.subscribe('live-store-orders', ORDER_TOPICS, storeOrderFeed(live, orders));
  const liveRooms = new LiveRoomService({ db, clock, hub: live, live: liveSelling });
  events.subscribe('live-rooms', LIVE_ROOM_TOPICS, liveRoomFeed(liveRooms));
  const insights = new InsightsService({ db, clock, nudge: () => events.nudge() });
  events.subscribe(INSIGHTS_SUBSCRIBER, [...INSIGHTS_TOPICS], insights.handle);

  const liveFlow = new LiveFlow({ db, clock, live: liveSelling, inventory, centralLocation, emit });
  // A session or flash sale changed here: this process's checkout reads it afresh at once.
  liveFlow.onChanged((id) => checkout.pricing.forgetLiveSession(id));
  liveFlow.onFlashChanged((id) => checkout.pricing.forgetFlashSale(id));
  checkout.onFlashSaleOrder((id) => liveFlow.checkSoldOut(id));
  lifecycle.onClosedUnpaid(async (tx, o) => {
    if (o.liveSessionId !== null) await liveCoupons.giveBack(tx, o.id);
    // Units back on a sold-out flash sale reopen it; checked after this commit (the job does too).
    const flashSaleId = o.flashSaleId;
    if (flashSaleId !== null) setTimeout(() => void liveFlow.reconcileFlashSale(flashSaleId).catch(() => undefined), 20).unref();
  });

  const waves = new WavesService(db, clock, people);
  const campaignFlow = new CampaignFlow({ db, clock, campaigns, inventory, place });
  // Closing a campaign early must stop this process's checkout at once, not after its cache.
  campaignFlow.onChanged((id) => checkout.pricing.forgetCampaign(id));
  return {
    db,
    clock,
    people,
    place,
    catalog,
    traffic,
    ledger,
    payments,
    sandboxGateway: sandbox.gateway,
    events,
    inventory,
    stockFront,
    orders,
    checkout,
    lifecycle,
    refunds,
    groupbuySettings,
    handoffs: new HandoffFlow({ db, clock, orders, lifecycle, refunds, waves }),
    gridReceipts: new GridReceiptFlow({ db, clock }),
    pickup: new PickupFlow({ db, clock, orders, lifecycle, refunds, settings: groupbuySettings, codes: new PickupCodes(opts.pickupCodeSecret ?? DEV_PICKUP_CODE_SECRET), emit }),
    waves,
    wave: new WaveFlow({ db, clock, lifecycle, emit }),
    campaigns,
    campaignFlow,
    leaders,
    leaderFlow,
    matching: new MatchingService(db, clock),
    replenishment,
    replenishmentFlow: new ReplenishmentFlow({ db, clock, checkout, replenishment, orders, inventory, lifecycle, refunds }),
    storeFinance: new FinanceService({ db, clock, ledger, replenishment }),
    stores,
    storeOnboarding: new StoreOnboardingFlow({ db, stores, place, people, leaders, leaderFlow }),
    pos,
    posRefunds: new PosRefundFlow({ db, stores, orders, payments, refunds }),
    posReceipts: new PosReceipts({ db, stores, orders, payments }),
    live,
    liveSelling,
    liveFlow,
    liveCoupons,
    liveRooms,
    trust,
    insightsDashboards: new DashboardsService({ db, clock }),
    insights,
  };
}
