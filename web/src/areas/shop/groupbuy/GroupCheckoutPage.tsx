import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { formatFen } from '../../../api/money';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { formatTime } from '../../../components/time';
import { useCart } from '../cart';
import { CartLines } from '../CartLines';
import { blamedLine, isTransient, lineNote } from '../checkoutErrors';
import { pickupDayLabel } from './dates';
import { sharedCode, useCampaign, useMyPickupPoint } from './queries';
import { usePlaceOrder } from '../placeOrder';

interface GroupCheckoutBody {
  channel: 'group_buy';
  campaignId: number;
  pickupPointId: number;
  lines: Array<{ skuId: number; quantity: number }>;
  shareCode?: string;
}

/** Checkout of one campaign's lines for pickup at the bound point (same key rules as the shop). */
export function GroupCheckoutPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const campaignId = Number(params.get('campaign'));
  const cart = useCart('groupbuy');
  const mine = useMyPickupPoint();
  const campaign = useCampaign(campaignId);
  const lines = cart.lines.filter((l) => l.campaignId === campaignId);
  const view = { ...cart, lines, totalFen: lines.reduce((s, l) => s + l.priceFen * l.quantity, 0) };

  const { place, placed } = usePlaceOrder<GroupCheckoutBody>({
    invalidate: [['campaigns'], ['relay']],
    // Only this campaign's lines leave the group-buy cart.
    onPlaced: (body) => {
      for (const l of body.lines) cart.remove(l.skuId);
    },
  });

  const sig = lines.map((l) => `${l.skuId}x${l.quantity}`).join(',');
  const { reset } = place;
  useEffect(() => reset(), [sig, reset]);

  if (mine.isPending) return <Loading />;
  if (mine.error) return <ErrorNote error={mine.error} onRetry={() => void mine.refetch()} />;
  const point = mine.data.pickupPoint;
  if (!point) return <Navigate to="/shop/pickup-point" replace />;
  if (lines.length === 0 && !placed.current) return <Navigate to="/shop/groupbuy" replace />;

  const err = place.error;
  const problems = new Map<number, string>();
  const blamed = blamedLine(err);
  const sent = place.variables;
  if (err instanceof ApiError && blamed !== null && sent?.lines[blamed]) problems.set(sent.lines[blamed].skuId, lineNote(t, err));
  const share = sharedCode();

  const submit = () =>
    place.mutate({
      channel: 'group_buy',
      campaignId,
      pickupPointId: point.id,
      lines: lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
      ...(share ? { shareCode: share } : {}),
    });

  return (
    <>
      <section className="card">
        <h1 className="section-title">{t('groupbuy.checkoutTitle')}</h1>
        {campaign.data && (
          <p className="small">
            <strong>{campaign.data.title}</strong>
            <br />
            <span className="muted">
              {t('groupbuy.cutoffAt', { time: formatTime(campaign.data.cutoffAt) })} · {pickupDayLabel(t, campaign.data.pickupDate)}
            </span>
          </p>
        )}
        <h2 className="sub-title">{t('checkout.pickupPoint')}</h2>
        <div className="point-choice is-chosen">
          <span className="point-text">
            <span className="point-name">{point.name}</span>
            <span className="muted small">{point.address}</span>
            <span className="muted small">{t('shop.hours', { from: point.opensAt, to: point.closesAt })}</span>
          </span>
        </div>
      </section>
      <section className="card">
        <div className="card-head">
          <h2 className="section-title">{t('checkout.items')}</h2>
          <Link to="/shop/groupbuy" className="small">
            {t('checkout.addMore')}
          </Link>
        </div>
        {problems.size > 0 && <div className="notice notice-inline">{t('checkout.fixLines')}</div>}
        <CartLines cart={view} problems={problems} />
      </section>
      <section className="card totals">
        <div className="total-row">
          <span>{t('checkout.itemsTotal')}</span>
          <span>{formatFen(view.totalFen)}</span>
        </div>
        <div className="total-row">
          <span>{t('checkout.delivery')}</span>
          <span>{t('checkout.freePickup')}</span>
        </div>
        {share && <p className="muted small">{t('groupbuy.viaShare')}</p>}
        <p className="muted small">{t('checkout.priceNote')}</p>
      </section>
      {err && problems.size === 0 && <ErrorNote error={err} {...(isTransient(err) ? { title: t('checkout.retryable') } : {})} />}
      <div className="sticky-bar">
        <div className="sticky-total">
          <span className="muted small">{t('checkout.toPay')}</span>
          <span className="price" data-testid="checkout-total">
            {formatFen(view.totalFen)}
          </span>
        </div>
        <button type="button" className="btn btn-accent" data-testid="gb-place-order" disabled={place.isPending || !campaignId} onClick={submit}>
          {place.isPending ? t('checkout.placing') : isTransient(err) ? t('checkout.retry') : t('checkout.place')}
        </button>
      </div>
    </>
  );
}
