import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { formatFen } from '../../../api/money';
import { useStore, useStorefrontStores, type StoreMode } from '../../../api/stores';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { useCart } from '../cart';
import { CartLines } from '../CartLines';
import { blamedLine, isTransient, lineNote } from '../checkoutErrors';
import { useHome } from '../queries';
import { usePlaceOrder } from '../placeOrder';

interface StoreCheckoutBody {
  channel: 'store_online';
  storeId: number;
  fulfilment: StoreMode;
  lines: Array<{ skuId: number; quantity: number }>;
  note?: string;
}

/** Ordering from one store: delivery to the door or pickup at the counter, through the same checkout. */
export function StoreCheckoutPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const cart = useCart(`store:${id}`);
  const home = useHome();
  const c = home.data?.community ?? null;
  const store = useStore(id);
  const nearby = useStorefrontStores(c ? { lat: c.lat, lng: c.lng } : null);
  const qc = useQueryClient();
  const [mode, setMode] = useState<StoreMode | null>(null);
  const [note, setNote] = useState('');
  const { place, placed } = usePlaceOrder<StoreCheckoutBody>({
    invalidate: [['storefront', 'shelf', id]],
    onPlaced: () => cart.clear(),
    // Sold out or fewer left: the shelf the resident saw is stale.
    onRefused: () => void qc.invalidateQueries({ queryKey: ['storefront', 'shelf', id] }),
  });
  const cartSig = cart.lines.map((l) => `${l.skuId}x${l.quantity}`).join(',');
  const { reset } = place;
  useEffect(() => {
    reset();
  }, [cartSig, reset]);

  if (home.isPending || store.isPending) return <Loading />;
  if (store.error) return <ErrorNote error={store.error} onRetry={() => void store.refetch()} />;
  if (cart.lines.length === 0 && !placed.current) return <Navigate to={`/shop/stores/${id}`} replace />;

  const modes: StoreMode[] = nearby.data?.find((s) => s.store.id === id)?.modes ?? ['delivery', 'pickup'];
  const chosen = mode && modes.includes(mode) ? mode : (modes[0] ?? 'pickup');
  const err = place.error;
  const sent = place.variables;
  const problems = new Map<number, string>();
  const blamed = blamedLine(err);
  if (err instanceof ApiError && blamed !== null && sent?.lines[blamed]) problems.set(sent.lines[blamed].skuId, lineNote(t, err));

  const submit = () =>
    place.mutate({
      channel: 'store_online',
      storeId: id,
      fulfilment: chosen,
      lines: cart.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
      ...(note.trim() ? { note: note.trim() } : {}),
    });

  return (
    <>
      <section className="card">
        <h1 className="section-title">{t('checkout.title')}</h1>
        <div className="muted small">{store.data.name}</div>
        <h2 className="sub-title">{t('stores.checkout.how')}</h2>
        <div className="point-choices" role="radiogroup" aria-label={t('stores.checkout.how')}>
          {modes.map((m) => (
            <label key={m} className={`point-choice${m === chosen ? ' is-chosen' : ''}`} data-testid={`store-mode-${m}`}>
              <input type="radio" name="mode" value={m} checked={m === chosen} onChange={() => setMode(m)} />
              <span className="point-text">
                <span className="point-name">{t(`stores.mode.${m}`)}</span>
                <span className="muted small">{m === 'delivery' ? t('stores.checkout.deliveryTo', { name: c?.name ?? '' }) : t('stores.checkout.pickupAt', { address: store.data.address })}</span>
              </span>
            </label>
          ))}
        </div>
      </section>
      <section className="card">
        <div className="card-head">
          <h2 className="section-title">{t('checkout.items')}</h2>
          <Link to={`/shop/stores/${id}`} className="small">
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
      {err && problems.size === 0 && <ErrorNote error={err} {...(isTransient(err) ? { title: t('checkout.retryable') } : {})} />}
      <div className="sticky-bar">
        <div className="sticky-total">
          <span className="muted small">{t('checkout.toPay')}</span>
          <span className="price" data-testid="checkout-total">
            {formatFen(cart.totalFen)}
          </span>
        </div>
        <button type="button" className="btn btn-accent" data-testid="place-order" disabled={place.isPending} onClick={submit}>
          {place.isPending ? t('checkout.placing') : isTransient(err) ? t('checkout.retry') : t('checkout.place')}
        </button>
      </div>
    </>
  );
}
