// Checkout as named steps: price → reserve → create payment → confirm. "reserve" runs in a
// group-committed transaction that also opens the payment record, so a failure there leaves
// nothing; "create payment" asks the provider after commit, and if that fails the reserve
// step's undo cancels the order and releases its stock, so no hold and no charge is left.
import type { Database, Tx } from '../../db';
import { DomainError, type Clock } from '../../kernel';
import type { CatalogService } from '../../modules/catalog';
import type { CampaignService } from '../../modules/groupbuy';
import { IdempotencyRepo, requestHash } from '../../modules/idempotency';
import type { InventoryService, StockFront } from '../../modules/inventory';
import type { OrdersService } from '../../modules/orders';
import { requireActor, type Actor } from '../../modules/people';
import type { PlaceService } from '../../modules/place';
import type { TrafficService } from '../../modules/traffic';
import { runSteps } from '../steps';
import { GroupCommitter, isRetryableDbError } from './group-commit';
import { orderScope, Placement, soldOut, type CheckoutHooks, type Placed } from './placement';
import { Pricing, type CheckoutInput, type LiveCheckoutSource, type OrderDraft, type WholesaleOffer } from './pricing';

export interface CheckoutOptions {
  /** How long an unpaid order holds its stock. */
  paymentWindowMs: number;
  lanes: number;
  maxBatch: number;
}

export const DEFAULT_PAYMENT_WINDOW_MS = 15 * 60_000;

export interface CheckoutDeps {
  db: Database;
  clock: Clock;
  place: PlaceService;
  catalog: CatalogService;
  inventory: InventoryService;
  orders: OrdersService;
  traffic: TrafficService;
  /** Group-buy campaigns, for orders naming a `campaignId`. */
  campaigns?: CampaignService | undefined;
  /** The leader's level bonus on campaign commission rates, in bp; none without it. */
  leaderBonusBp?: ((leaderAccountId: number) => Promise<number>) | undefined;
  /** Is this account a clerk of this store? Counter sales by clerks need it (owners sell without). */
  isClerk?: ((storeId: number, accountId: number) => Promise<boolean>) | undefined;
  /** The wholesale prices of a region's stores, for replenishment orders; refused without it. */
  wholesale?: ((regionId: number, skuIds: number[]) => Promise<Map<number, WholesaleOffer>>) | undefined;
  /** Live sessions, flash sales and coupon claims, for orders of channel 'live'. */
  live?: LiveCheckoutSource | undefined;
  hooks: CheckoutHooks;
  /** After commit: the provider is asked to open the payment (sandbox: nothing to ask). */
  requestPayment?: (paymentId: number) => Promise<void>;
  /** Undo of "reserve": cancel the order, release its stock, close its payment. */
  cancelPlaced?: (tx: Tx, orderId: number, reason: string) => Promise<void>;
  /** Redis admission before the placement (REDIS_URL): buyers it turns away never reach the database. */
  front?: StockFront | undefined;
}

interface CheckoutContext {
  actor: Actor;
  input: CheckoutInput;
  key: string;
  hash: string;
  draft?: OrderDraft;
  placed?: Placed;
}

export class CheckoutFlow {
  readonly pricing: Pricing;
  private readonly committer: GroupCommitter<OrderDraft, Placed>;
  private readonly idem = new IdempotencyRepo();

  constructor(
    private readonly d: CheckoutDeps,
    private readonly opts: CheckoutOptions,
  ) {
    this.pricing = new Pricing(d);
    const placement = new Placement({ db: d.db, clock: d.clock, inventory: d.inventory, orders: d.orders, hooks: d.hooks, soldOutMarks: !d.front });
    this.committer = new GroupCommitter((batch) => placement.run(batch), {
      lanes: opts.lanes,
      maxBatch: opts.maxBatch,
      retryable: isRetryableDbError,
    });
  }

  private readonly flashListeners: ((flashSaleId: number) => Promise<void>)[] = [];

  /**
   * After an order of a flash sale was placed (or refused as sold out), once its transaction
   * committed: live selling checks whether the sale is now sold out. Awaited, so the answer to
   * the buyer who took the last unit comes after the sale says so; a failing listener is only
   * logged by the job that reconciles sales anyway.
   */
  onFlashSaleOrder(listener: (flashSaleId: number) => Promise<void>): void {
    this.flashListeners.push(listener);
  }

  private async flashSaleTouched(flashSaleId: number | null | undefined): Promise<void> {
    if (flashSaleId === null || flashSaleId === undefined) return;
    await Promise.all(this.flashListeners.map((l) => l(flashSaleId).catch(() => undefined)));
  }

  /** Place an order for `actor`; same key and body again → the same answer, and one order. */
  async placeOrder(actor: Actor | null, input: CheckoutInput, idempotencyKey: string): Promise<Placed> {
    const a = requireActor(actor);
    const ctx: CheckoutContext = { actor: a, input, key: idempotencyKey, hash: requestHash(input) };
    try {
      await runSteps(ctx, [
        { name: 'price', run: (c) => this.price(c) },
        {
          name: 'reserve',
          run: async (c) => {
            c.placed = await this.reserve(c.draft!);
          },
          undo: (c, error) => this.undoReserve(c, error),
        },
        {
          name: 'create_payment',
          run: async (c) => {
            const payment = c.placed!.body.payment;
            if (!c.placed!.replayed && payment && this.d.requestPayment) await this.d.requestPayment(payment.paymentId);
          },
        },
        { name: 'confirm', run: async () => {} },
      ]);
    } catch (e) {
      const reason = e instanceof DomainError ? (e.details?.reason as string | undefined) : undefined;
      if (reason === 'sold_out') await this.flashSaleTouched(ctx.draft?.order.flashSaleId);
      // A retry of an order placed earlier must get its first answer even if pricing would
      // now refuse it (the pickup point paused, the price changed). Refusals from the reserve
      // step need no look-up: the placement transaction already checked the key.
      if (e instanceof DomainError && !ctx.draft) {
        const earlier = await this.idem.find(this.d.db.orm, orderScope(a.accountId), idempotencyKey);
        if (earlier && earlier.requestHash === ctx.hash) {
          return { status: earlier.statusCode, body: earlier.response as Placed['body'], replayed: true };
        }
      }
      throw e;
    }
    if (!ctx.placed!.replayed) await this.flashSaleTouched(ctx.draft?.order.flashSaleId);
    return ctx.placed!;
  }

  private async price(c: CheckoutContext): Promise<void> {
    const now = this.d.clock.now();
    const quote = await this.pricing.quote(c.actor.accountId, c.input, now, c.actor.roles);
    c.draft = { ...quote, idempotencyKey: c.key, requestHash: c.hash, expiresAt: new Date(now.getTime() + this.opts.paymentWindowMs) };
  }

  /**
   * With a stock front, Redis admits first: sold out there is answered at once (the front knows
   * the key is new, so there is no earlier answer to find); admitted units are kept if the
   * order was placed and given back if PostgreSQL refused, replayed or failed.
   */
  private async reserve(draft: OrderDraft): Promise<Placed> {
    if (!this.d.front) return this.committer.submit(draft);
    const { order, lines } = draft;
    const admission = await this.d.front.admit({ buyerAccountId: draft.buyerAccountId, idempotencyKey: draft.idempotencyKey, locationId: order.locationId, lines });
    if (admission.kind === 'sold_out') throw soldOut(lines[admission.line]!, admission.available);
    let placed: Placed | undefined;
    try {
      placed = await this.committer.submit(draft);
      return placed;
    } finally {
      await admission.settle(placed !== undefined && !placed.replayed);
    }
  }

  private async undoReserve(c: CheckoutContext, error: unknown): Promise<void> {
    const placed = c.placed;
    if (!placed || placed.replayed || !this.d.cancelPlaced) return;
    const orderId = placed.body.order.id;
    const message = error instanceof Error ? error.message : String(error);
    await this.d.db.orm.transaction(async (tx) => {
      await this.d.cancelPlaced!(tx, orderId, `payment could not be opened: ${message}`);
      // The key now answers with the failure, so a retry does not report a cancelled order as placed.
      await this.idem.complete(tx, orderScope(c.actor.accountId), c.key, 502, {
        error: { code: 'payment_unavailable', message: 'the payment provider could not open a payment; nothing was charged and the stock was released' },
      });
    });
  }

  stats() {
    return this.committer.stats();
  }

  close(): Promise<void> {
    return this.committer.close();
  }
}
