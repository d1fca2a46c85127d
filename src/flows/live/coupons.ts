// Live coupons (直播间优惠券): the host releases N, viewers claim one each (the N-th + 1 is
// refused by one conditional UPDATE, so concurrent claims never exceed N), and a claim pays
// part of one live order of the session. Checkout marks the claim used in the order's
// transaction; a cancelled or expired order gives it back (the lifecycle's close hook).
import type { Database, Executor, Tx } from '../../db';
import { DomainError, notFound, type Clock } from '../../kernel';
import { runIdempotent, type IdempotentResult } from '../../modules/idempotency';
import { couponView, LIVE_LIMITS, liveRules, type ClaimView, type CouponView, type LiveService } from '../../modules/live';
import { requireActor, requireRole, type Actor } from '../../modules/people';
import type { OutboxEventDraft } from '../checkout';
import { LIVE_TOPICS, liveEvent } from './sessions';

export interface CouponInput {
  amountFen: number;
  minSpendFen: number;
  quantity: number;
  /** Minutes from now until it can no longer be used (default and most: a day). */
  expiresInMin?: number | undefined;
}

export interface CouponFlowDeps {
  db: Database;
  clock: Clock;
  live: LiveService;
  emit: (tx: Tx, events: OutboxEventDraft[]) => Promise<void>;
}

export class CouponFlow {
  constructor(private readonly d: CouponFlowDeps) {}

  private get repo() {
    return this.d.live.repo;
  }

  /** Host, idempotent under `key`, while live: release `quantity` coupons of `amountFen` off a spend of at least `minSpendFen`. */
  async release(actor: Actor | null, sessionId: number, input: CouponInput, key: string): Promise<IdempotentResult<CouponView>> {
    const a = requireRole(actor, 'host');
    const amountFen = liveRules.wholeNumber(input.amountFen, 'amountFen', 1, LIVE_LIMITS.maxPriceFen);
    const minSpendFen = liveRules.wholeNumber(input.minSpendFen, 'minSpendFen', 0, LIVE_LIMITS.maxPriceFen);
    const quantity = liveRules.wholeNumber(input.quantity, 'quantity', 1, LIVE_LIMITS.maxCouponQuantity);
    // Released while live and lasting at most a day, a coupon never outlives the session's end + 24 h.
    const minutes = liveRules.wholeNumber(input.expiresInMin ?? LIVE_LIMITS.maxCouponMinutes, 'expiresInMin', 1, LIVE_LIMITS.maxCouponMinutes);
    return runIdempotent(this.d.db, { scope: `live-coupon:${a.accountId}:${sessionId}`, key, request: input }, async (tx) => {
      const s = await this.d.live.lockOwnSession(tx, a, sessionId);
      if (s.status !== 'live') throw new DomainError('conflict', `the session is ${s.status}; coupons are released while live`, { field: 'status' });
      const now = this.d.clock.now();
      const row = await this.repo.insertCoupon(tx, { sessionId, amountFen, minSpendFen, quantity, releasedAt: now, expiresAt: new Date(now.getTime() + minutes * 60_000) });
      const view = couponView(row);
      await this.repo.insertTimeline(tx, [{ sessionId, kind: 'coupon', at: now, detail: { couponId: row.id, amountFen, minSpendFen, quantity, expiresAt: view.expiresAt } }]);
      await this.d.emit(tx, [liveEvent(LIVE_TOPICS.coupon, sessionId, { coupon: view })]);
      return { status: 201, body: view };
    });
  }

  /**
   * A signed-in viewer, idempotent under `key`: claim one coupon. One per person (another key
   * → 409 `already_claimed`); none left → 409 `sold_out`; expired → 409 `expired`.
   */
  async claim(actor: Actor | null, couponId: number, key: string): Promise<IdempotentResult<{ claim: ClaimView; coupon: CouponView }>> {
    const a = requireActor(actor);
    return runIdempotent(this.d.db, { scope: `live-coupon-claim:${a.accountId}`, key, request: { couponId } }, async (tx) => {
      const coupon = await this.repo.coupon(tx, couponId);
      if (!coupon) throw notFound('coupon', couponId);
      const session = await this.repo.session(tx, coupon.sessionId);
      if (!session || session.status === 'cancelled') throw notFound('coupon', couponId);
      const now = this.d.clock.now();
      const claim = await this.repo.insertClaim(tx, couponId, a.accountId, now);
      if (!claim) {
        const mine = await this.repo.claimOf(tx, couponId, a.accountId);
        throw new DomainError('conflict', 'you already hold this coupon', { field: 'couponId', details: { reason: 'already_claimed', claimId: mine?.id ?? null } });
      }
      const taken = await this.repo.takeCoupon(tx, couponId, now);
      if (!taken) {
        const expired = coupon.expiresAt.getTime() <= now.getTime();
        throw new DomainError('conflict', expired ? 'this coupon has expired' : 'all of these coupons have been claimed', {
          field: 'couponId',
          details: { reason: expired ? 'expired' : 'sold_out' },
        });
      }
      return {
        status: 201,
        body: { claim: { id: claim.id, couponId, orderId: null, claimedAt: claim.claimedAt.toISOString() }, coupon: couponView(taken) },
      };
    });
  }

  /** Checkout's placement: lock the claims a batch means to use; answers the unused ones. */
  lockUnused(tx: Executor, claimIds: number[]): Promise<Set<number>> {
    return this.repo.lockUnusedClaims(tx, claimIds);
  }

  /** Checkout's placement: the claims now pay for these orders. */
  async use(tx: Executor, uses: { claimId: number; orderId: number }[]): Promise<void> {
    const n = await this.repo.useClaims(tx, uses);
    // The rows were locked and found unused in this transaction: anything else is a bug, and nothing may commit.
    if (n !== uses.length) throw new Error(`only ${n} of ${uses.length} coupon claims could be marked used`);
  }

  /** An order closed unpaid (cancelled, expired): its coupon is the buyer's to use again. */
  giveBack(tx: Executor, orderId: number): Promise<number | null> {
    return this.repo.releaseClaimOf(tx, orderId);
  }
}
