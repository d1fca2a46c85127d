import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { formatFen } from '../../../api/money';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { useNow } from '../../../components/time';
import { useCart } from '../cart';
import { CampaignCard } from './CampaignCard';
import { PointBar } from './PointBar';
import { useMyPickupPoint, useTodayCampaigns } from './queries';

/** 今日团购: the campaigns open now at the resident's pickup point. */
export function GroupBuyPage() {
  const { t } = useTranslation();
  const mine = useMyPickupPoint();
  const pointId = mine.data?.pickupPoint?.id ?? null;
  const today = useTodayCampaigns(pointId);
  const now = useNow(1000);
  if (mine.isPending) return <Loading />;
  if (mine.error) return <ErrorNote error={mine.error} onRetry={() => void mine.refetch()} />;
  if (!mine.data.pickupPoint) return <Navigate to="/shop/pickup-point" replace />;
  const d = today.data;
  return (
    <>
      <PointBar mine={mine.data} />
      {today.isPending ? (
        <Loading />
      ) : today.error ? (
        <ErrorNote error={today.error} onRetry={() => void today.refetch()} />
      ) : (
        <>
          {d?.restDay && (
            <section className="gb-rest" data-testid="rest-day">
              <strong>{t('groupbuy.restDay')}</strong>
              <span>{d.restDay.reason || t('groupbuy.restDayNote')}</span>
            </section>
          )}
          {d && d.campaigns.length === 0 && !d.restDay && (
            <section className="card empty-state">
              <p className="muted">{t('groupbuy.noCampaigns')}</p>
              <Link to="/shop" className="btn btn-secondary btn-small">
                {t('groupbuy.toShop')}
              </Link>
            </section>
          )}
          {d?.campaigns.map((c) => <CampaignCard key={c.id} campaign={c} now={now} />)}
        </>
      )}
      <p className="small gb-apply-link">
        <Link to="/shop/leader-apply">{t('groupbuy.becomeLeader')}</Link>
      </p>
      <GroupCartBar />
    </>
  );
}

/** The group-buy cart's total and the way to checkout for the campaign of its first line. */
function GroupCartBar() {
  const { t } = useTranslation();
  const cart = useCart('groupbuy');
  if (cart.count === 0) return null;
  const campaignId = cart.lines[0]?.campaignId;
  const ofCampaign = cart.lines.filter((l) => l.campaignId === campaignId);
  const fen = ofCampaign.reduce((s, l) => s + l.priceFen * l.quantity, 0);
  return (
    <div className="sticky-bar">
      <div className="sticky-total">
        <span className="muted small">{t('groupbuy.cartCount', { count: ofCampaign.reduce((s, l) => s + l.quantity, 0) })}</span>
        <span className="price">{formatFen(fen)}</span>
      </div>
      <Link to={`/shop/groupbuy/checkout?campaign=${campaignId ?? ''}`} className="btn btn-accent" data-testid="gb-checkout">
        {t('groupbuy.toCheckout')}
      </Link>
    </div>
  );
}
