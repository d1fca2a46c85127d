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
}

export async function createServices(db: Database, opts: ServiceOptions = {}): Promise<Services> {
  const clock = opts.clock ?? systemClock;
  const people = new PeopleService(db, clock);
  const place = new PlaceService(db, people, clock);
  // The nearby queries answer from memory; fill it before the first request.
  await place.loadGeoIndex();
  const catalog = new CatalogService(db);
  const groupbuySettings = new GroupbuySettingsService(db, async (regionId) => (await place.areas.getRegion(regionId)).parentId);
  const traffic = new TrafficService(db, clock);
  const ledger = new LedgerService(db, clock);
  const sandbox = createSandbox({ clock, secret: opts.paymentSandboxSecret });
  const payments = new PaymentsService(db, clock, [sandbox.provider]);
  const events = new EventBus(db, { natsUrl: opts.natsUrl, clock });
  const inventory = new InventoryService(db);
  const stockFront = opts.redisUrl ? await RedisStockFront.connect({ url: opts.redisUrl, db, prefix: opts.redisPrefix }) : null;
  if (stockFront) inventory.onStockChanged((keys) => stockFront.touch(keys));
  const orders = new OrdersService(db, place);
  const emit = async (tx: Tx, drafts: OutboxEventDraft[]) => {
    await appendEvents(tx, drafts);
    // The relay polls anyway; the nudge just shortens the wait once this transaction commits.
    setTimeout(() => events.nudge(), 2);
  };
  const lifecycle = new OrderLifecycle(
    { db, clock, orders, inventory, ledger, payments, emit },
    { afterSalesWindowMs: opts.afterSalesWindowMs ?? DEFAULT_AFTER_SALES_WINDOW_MS },
  );
  payments.onSucceeded((tx, payment) => lifecycle.onPaymentSucceeded(tx, payment));
  const refunds = new RefundFlow({ db, clock, orders, inventory, ledger, payments, emit });
  const checkout = new CheckoutFlow(
    {
      db,
      clock,
      place,
      catalog,
      inventory,
      orders,
      traffic,
      hooks: {
        emit,
        async openPayments(tx, list) {
          const created = await payments.createPayments(
            tx,
            list.map((o) => ({ orderId: o.orderId, payerAccountId: o.buyerAccountId, amountFen: o.amountFen, description: o.description })),
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
  };
}
