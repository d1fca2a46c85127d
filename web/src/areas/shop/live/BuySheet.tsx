// Buying from a live room or its replay: one SKU, a quantity, delivery or pickup at the
// resident's point, an optional claimed coupon; then the same order + cashier flow as every
// other checkout (usePlaceOrder: one Idempotency-Key per body, then on to the pay page).
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { ApiError } from '../../../api/client';
import type { BagItem, FlashSale, LiveCoupon } from '../../../api/live';
import { formatFen } from '../../../api/money';
import { useAuth } from '../../../auth/AuthContext';
import { ErrorNote } from '../../../components/ErrorNote';
import { Stepper } from '../../../components/Stepper';
import { isTransient, lineNote } from '../checkoutErrors';
import { useMyPickupPoint } from '../groupbuy/queries';
import { usePlaceOrder } from '../placeOrder';
import { Thumb } from './RoomParts';
import { usableCoupons } from './roomState';

export interface LiveOrderBody {
  channel: 'live';
  liveSessionId: number;
  lines: Array<{ skuId: number; quantity: number }>;
  fulfilment: 'delivery' | 'pickup';
  pickupPointId?: number;
  flashSaleId?: number;
  couponClaimId?: number;
  shareCode?: string;
}

interface BuyProps {
  sessionId: number;
  item: BagItem;
  flashSale: FlashSale | null;
  coupons: LiveCoupon[];
  shareCode: string | null;
  onClose: () => void;
}

/** Anyone may watch; buying needs a sign-in (and back to this room after it). */
export function BuySheet(props: BuyProps) {
  const { t } = useTranslation();
  const { account } = useAuth();
  const location = useLocation();
  if (account) return <SignedInBuySheet {...props} />;
  return (
    <Sheet onClose={props.onClose} title={props.item.title}>
      <p>{t('live.buy.signIn')}</p>
      <Link to="/login" state={{ from: location.pathname + location.search }} className="btn btn-primary">
        {t('auth.login')}
      </Link>
    </Sheet>
  );
}

function SignedInBuySheet({ sessionId, item, flashSale, coupons, shareCode, onClose }: BuyProps) {
  const { t } = useTranslation();
  const point = useMyPickupPoint();
  const myPoint = point.data?.pickupPoint ?? null;
  const [quantity, setQuantity] = useState(1);
  const [fulfilment, setFulfilment] = useState<'delivery' | 'pickup'>('delivery');
  const [couponId, setCouponId] = useState<number | null>(null);
  const { place } = usePlaceOrder<LiveOrderBody>({ onPlaced: onClose });

  const unitFen = flashSale ? flashSale.priceFen : (item.priceFen ?? item.livePriceFen);
  const limit = flashSale ? flashSale.limitPerPerson : (item.limitPerPerson ?? 999);
  const stock = flashSale ? (flashSale.available ?? flashSale.quantity) : item.available;
  const max = Math.max(1, Math.min(limit, stock, 999));
  const itemsFen = unitFen * quantity;
  const usable = usableCoupons(coupons, itemsFen);
  // The best one by default; the buyer may pick another or none.
  const coupon = couponId === -1 ? null : (usable.find((c) => c.id === couponId) ?? [...usable].sort((a, b) => b.amountFen - a.amountFen)[0] ?? null);
  const totalFen = itemsFen - (coupon?.amountFen ?? 0);

  const err = place.error;
  const submit = () => {
    const body: LiveOrderBody = {
      channel: 'live',
      liveSessionId: sessionId,
      lines: [{ skuId: item.skuId, quantity }],
      fulfilment,
      ...(fulfilment === 'pickup' && myPoint ? { pickupPointId: myPoint.id } : {}),
      ...(flashSale ? { flashSaleId: flashSale.id } : {}),
      ...(coupon?.myClaimId ? { couponClaimId: coupon.myClaimId } : {}),
      ...(shareCode ? { shareCode } : {}),
    };
    place.mutate(body);
  };

  return (
    <Sheet onClose={onClose} title={flashSale ? t('live.flash.tag') : t('live.buy.title')}>
      <div className="live-buy-item">
        <Thumb item={item} size={64} />
        <div className="live-buy-text">
          <span className="live-item-title">{item.title}</span>
          {item.spec && <span className="muted small">{item.spec}</span>}
          <span className="price">{formatFen(unitFen)}</span>
          <span className="muted small">
            {limit < 999 && <>{t('live.room.limit', { count: limit })} · </>}
            {t('live.buy.stock', { count: Math.max(0, stock) })}
          </span>
        </div>
        <Stepper value={quantity} min={1} max={max} onChange={setQuantity} label={t('cart.quantity')} small />
      </div>

      <fieldset className="live-choice" data-testid="live-fulfilment">
        <legend className="field-label">{t('live.buy.how')}</legend>
        <label className={`point-choice${fulfilment === 'delivery' ? ' is-chosen' : ''}`}>
          <input type="radio" name="fulfilment" checked={fulfilment === 'delivery'} onChange={() => setFulfilment('delivery')} />
          <span className="point-text">
            <span className="point-name">{t('live.buy.delivery')}</span>
            <span className="muted small">{t('live.buy.deliveryHint')}</span>
          </span>
        </label>
        <label className={`point-choice${fulfilment === 'pickup' ? ' is-chosen' : ''}${myPoint ? '' : ' is-disabled'}`}>
          <input type="radio" name="fulfilment" disabled={!myPoint} checked={fulfilment === 'pickup'} onChange={() => setFulfilment('pickup')} />
          <span className="point-text">
            <span className="point-name">{t('live.buy.pickup')}</span>
            <span className="muted small">{myPoint ? `${myPoint.name} · ${myPoint.address}` : t('live.buy.noPoint')}</span>
          </span>
        </label>
      </fieldset>

      {usable.length > 0 && (
        <label className="field">
          <span className="field-label">{t('live.buy.coupon')}</span>
          <select data-testid="live-buy-coupon" value={coupon?.id ?? -1} onChange={(e) => setCouponId(Number(e.target.value))}>
            <option value={-1}>{t('live.buy.noCoupon')}</option>
            {usable.map((c) => (
              <option key={c.id} value={c.id}>
                {t('live.coupon.off', { amount: formatFen(c.amountFen) })}
                {c.minSpendFen > 0 ? ` · ${t('live.coupon.min', { amount: formatFen(c.minSpendFen) })}` : ''}
              </option>
            ))}
          </select>
        </label>
      )}

      <div className="totals">
        <div className="total-row">
          <span>{t('checkout.itemsTotal')}</span>
          <span>{formatFen(itemsFen)}</span>
        </div>
        {coupon && (
          <div className="total-row">
            <span>{t('live.buy.couponOff')}</span>
            <span>-{formatFen(coupon.amountFen)}</span>
          </div>
        )}
      </div>

      {err && <ErrorNote error={err} {...(err instanceof ApiError && err.field?.startsWith('lines.') ? { title: lineNote(t, err) } : isTransient(err) ? { title: t('checkout.retryable') } : {})} />}

      <div className="live-buy-bar">
        <span className="price" data-testid="live-buy-total">
          {formatFen(totalFen)}
        </span>
        <button type="button" className="btn btn-accent" data-testid="live-place-order" disabled={place.isPending || stock <= 0} onClick={submit}>
          {place.isPending ? t('checkout.placing') : isTransient(err) ? t('checkout.retry') : t('live.buy.pay')}
        </button>
      </div>
    </Sheet>
  );
}

export function Sheet({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="sheet-backdrop" role="dialog" aria-modal="true" aria-label={title} onClick={onClose}>
      <div className="sheet live-sheet" onClick={(e) => e.stopPropagation()} data-testid="live-sheet">
        <div className="card-head">
          <h2 className="section-title">{title}</h2>
          <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label={t('live.close')}>
            ✕
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
