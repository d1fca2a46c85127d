import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ApiError } from '../../api/client';
import { formatFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { useCart } from './cart';
import { CartLines } from './CartLines';
import { blamedLine, isTransient, lineNote } from './checkoutErrors';
import { useCommunityPickupPoints } from './orderQueries';
import { useHome, useNearby } from './queries';
import { usePlaceOrder } from './placeOrder';

interface CheckoutBody {
  channel: 'group_buy';
  pickupPointId: number;
  lines: Array<{ skuId: number; quantity: number }>;
  note?: string;
}


export function CheckoutPage() {
  const { t } = useTranslation();
  const cart = useCart();
  const home = useHome();
  const communityId = home.data?.communityId;
  const own = useCommunityPickupPoints(communityId);
  // The home community's own points first; if it has none, the nearest ones around it.
  const ownActive = (own.data ?? []).filter((p) => p.status === 'active');
  const nearby = useNearby(communityId ?? 0, communityId !== undefined && own.isSuccess && ownActive.length === 0);
  const [pointId, setPointId] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const { place, placed } = usePlaceOrder<CheckoutBody>({ onPlaced: () => cart.clear() });

  // A note on a line is about the quantities it was sent with: a change makes it stale.
  const cartSig = cart.lines.map((l) => `${l.skuId}x${l.quantity}`).join(',');
  const { reset } = place;
  useEffect(() => reset(), [cartSig, reset]);

  if (home.isPending) return <Loading />;
  if (home.error) return <ErrorNote error={home.error} onRetry={() => void home.refetch()} />;
  if (!home.data) return <Navigate to="/shop/community" replace />;
  if (cart.lines.length === 0 && !placed.current) return <Navigate to="/shop/cart" replace />;

  const points =
    ownActive.length > 0
      ? ownActive.map((p) => ({ id: p.id, name: p.name, address: p.address, opensAt: p.opensAt, closesAt: p.closesAt, distanceM: null as number | null }))
      : (nearby.data?.items ?? [])
          .filter((n) => n.kind === 'pickup_point' && n.status === 'active')
          .slice(0, 5)
          .map((n) => ({ id: n.id, name: n.name, address: n.address, opensAt: n.opensAt, closesAt: n.closesAt, distanceM: n.distanceM }));
  const chosen = points.find((p) => p.id === pointId)?.id ?? points[0]?.id ?? null;
  const loadingPoints = own.isPending || (ownActive.length === 0 && nearby.fetchStatus === 'fetching');

  const err = place.error;
  const sent = place.variables;
  const problems = new Map<number, string>();
  const blamed = blamedLine(err);
  if (err instanceof ApiError && blamed !== null && sent?.lines[blamed]) problems.set(sent.lines[blamed].skuId, lineNote(t, err));
  const pointBlamed = err instanceof ApiError && err.field === 'pickupPointId';

  const submit = () => {
    if (chosen === null) return;
    const body: CheckoutBody = {
      channel: 'group_buy',
      pickupPointId: chosen,
      lines: cart.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    place.mutate(body);
  };

  return (
    <>
      <section className="card">
        <h1 className="section-title">{t('checkout.title')}</h1>
        <h2 className="sub-title">{t('checkout.pickupPoint')}</h2>
        {loadingPoints ? (
          <Loading />
        ) : own.error ? (
          <ErrorNote error={own.error} onRetry={() => void own.refetch()} />
        ) : points.length === 0 ? (
          <p className="muted">{t('checkout.noPoints')}</p>
        ) : (
          <div className={`point-choices${pointBlamed ? ' is-invalid' : ''}`} role="radiogroup" aria-label={t('checkout.pickupPoint')}>
            {points.map((p) => (
              <label key={p.id} className={`point-choice${p.id === chosen ? ' is-chosen' : ''}`}>
                <input type="radio" name="pickupPoint" value={p.id} checked={p.id === chosen} onChange={() => setPointId(p.id)} />
                <span className="point-text">
                  <span className="point-name">{p.name}</span>
                  <span className="muted small">{p.address}</span>
                  <span className="muted small">
                    {t('shop.hours', { from: p.opensAt, to: p.closesAt })}
                    {p.distanceM !== null && <> · {p.distanceM} m</>}
                  </span>
                </span>
              </label>
            ))}
          </div>
        )}
        {pointBlamed && err instanceof ApiError && <p className="line-problem">{err.message}</p>}
      </section>

      <section className="card">
        <div className="card-head">
          <h2 className="section-title">{t('checkout.items')}</h2>
          <Link to="/shop" className="small">
            {t('checkout.addMore')}
          </Link>
        </div>
        {problems.size > 0 && <div className="notice notice-inline">{t('checkout.fixLines')}</div>}
        <CartLines cart={cart} problems={problems} />
        <label className="field checkout-note">
          <span className="field-label">{t('checkout.note')}</span>
          <input value={note} maxLength={200} placeholder={t('checkout.notePlaceholder')} onChange={(e) => setNote(e.target.value)} />
        </label>
      </section>

      <section className="card totals">
        <div className="total-row">
          <span>{t('checkout.itemsTotal')}</span>
          <span>{formatFen(cart.totalFen)}</span>
        </div>
        <div className="total-row">
          <span>{t('checkout.delivery')}</span>
          <span>{t('checkout.freePickup')}</span>
        </div>
        <p className="muted small">{t('checkout.priceNote')}</p>
      </section>

      {err && problems.size === 0 && !pointBlamed && (
        <ErrorNote error={err} {...(isTransient(err) ? { title: t('checkout.retryable') } : {})} />
      )}

      <div className="sticky-bar">
        <div className="sticky-total">
          <span className="muted small">{t('checkout.toPay')}</span>
          <span className="price" data-testid="checkout-total">
            {formatFen(cart.totalFen)}
          </span>
        </div>
        <button type="button" className="btn btn-accent" data-testid="place-order" disabled={chosen === null || place.isPending} onClick={submit}>
          {place.isPending ? t('checkout.placing') : isTransient(err) ? t('checkout.retry') : t('checkout.place')}
        </button>
      </div>
    </>
  );
}
