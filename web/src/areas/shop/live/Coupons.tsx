// Coupons of a live room: the strip to claim them (one per person, Idempotency-Key per claim)
// (their state merges into the room's through roomState.withMyClaims).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import { newIdempotencyKey } from '../../../api/commerce';
import { liveWrite, sessionKey, type CouponClaim, type LiveCoupon } from '../../../api/live';
import { formatFen } from '../../../api/money';
import { useAuth } from '../../../auth/AuthContext';

/** Coupons released in the room: claim one (one per person); claimed ones apply at checkout. */
export function CouponStrip({ coupons, sessionId, onClaimed }: { coupons: LiveCoupon[]; sessionId: number; onClaimed?: (c: Partial<LiveCoupon> & { id: number }) => void }) {
  const { t } = useTranslation();
  const { account } = useAuth();
  const qc = useQueryClient();
  // One key per coupon until the claim is answered: a retry after a lost answer reuses it.
  const keys = useRef(new Map<number, string>());
  const [claimed, setClaimed] = useState<Map<number, number>>(() => new Map());
  const claim = useMutation({
    mutationFn: (couponId: number) => {
      let key = keys.current.get(couponId);
      if (!key) keys.current.set(couponId, (key = newIdempotencyKey()));
      return liveWrite<{ claim: CouponClaim; coupon: LiveCoupon }>('POST', `/live/coupons/${couponId}/claim`, {}, key);
    },
    onSuccess: (r, couponId) => {
      keys.current.delete(couponId);
      setClaimed((m) => new Map(m).set(couponId, r.claim.id));
      onClaimed?.({ ...r.coupon, id: couponId, myClaimId: r.claim.id, myClaimUsed: false });
      void qc.invalidateQueries({ queryKey: sessionKey(sessionId) });
    },
    onError: (e, couponId) => {
      if (!(e instanceof ApiError) || e.status < 400 || e.status >= 500) return;
      keys.current.delete(couponId);
      // Claimed before (another tab, or an answer that got lost): it is the viewer's all the same.
      const held = e.details?.reason === 'already_claimed' ? e.details.claimId : null;
      if (typeof held === 'number') {
        setClaimed((m) => new Map(m).set(couponId, held));
        onClaimed?.({ id: couponId, myClaimId: held });
      }
    },
  });
  const now = Date.now();
  const shown = coupons.filter((c) => new Date(c.expiresAt).getTime() > now);
  if (shown.length === 0) return null;
  const failedId = claim.isError ? claim.variables : null;
  return (
    <section className="live-coupons" data-testid="live-coupons" data-session-id={sessionId}>
      {shown.map((c) => {
        const mine = claimed.get(c.id) ?? c.myClaimId ?? null;
        const left = c.remaining ?? c.quantity - c.claimed;
        const err = failedId === c.id ? claim.error : null;
        return (
          <div key={c.id} className={`live-coupon${mine ? ' is-mine' : ''}`} data-testid="live-coupon" data-coupon-id={c.id}>
            <div className="live-coupon-amount">{formatFen(c.amountFen)}</div>
            <div className="live-coupon-text small">
              {c.minSpendFen > 0 ? t('live.coupon.min', { amount: formatFen(c.minSpendFen) }) : t('live.coupon.noMin')}
              <span className="muted"> · {t('live.coupon.left', { count: Math.max(0, left) })}</span>
            </div>
            {mine ? (
              <span className="live-coupon-state small" data-testid="live-coupon-claimed">
                {c.myClaimUsed ? t('live.coupon.used') : t('live.coupon.claimed')}
              </span>
            ) : (
              <button
                type="button"
                className="btn btn-accent btn-small"
                data-testid="live-coupon-claim"
                disabled={!account || left <= 0 || (claim.isPending && claim.variables === c.id)}
                title={account ? undefined : t('live.coupon.signIn')}
                onClick={() => claim.mutate(c.id)}
              >
                {left <= 0 ? t('live.coupon.gone') : t('live.coupon.claim')}
              </button>
            )}
            {err && (
              <span className="live-coupon-error small" role="alert">
                {err instanceof ApiError && err.details?.reason === 'sold_out'
                  ? t('live.coupon.gone')
                  : err instanceof ApiError && err.details?.reason === 'expired'
                    ? t('live.coupon.expired')
                    : err instanceof ApiError && err.details?.reason === 'already_claimed'
                      ? null
                      : err.message}
              </span>
            )}
          </div>
        );
      })}
    </section>
  );
}
