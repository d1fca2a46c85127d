import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMyPickupPoint } from './queries';

/** On the shop home: the way into group buying (团购), binding a pickup point first if needed. */
export function GroupBuyTeaser() {
  const { t } = useTranslation();
  const mine = useMyPickupPoint();
  if (!mine.data) return null;
  const p = mine.data.pickupPoint;
  return (
    <section className="card gb-teaser" data-testid="groupbuy-teaser">
      <div>
        <div className="gb-teaser-title">{t('groupbuy.teaserTitle')}</div>
        <div className="muted small">{p ? t('groupbuy.teaserBound', { name: p.name }) : t('groupbuy.teaserUnbound')}</div>
      </div>
      <Link to={p ? '/shop/groupbuy' : '/shop/pickup-point'} className="btn btn-accent btn-small" data-testid="groupbuy-enter">
        {p ? t('groupbuy.teaserGo') : t('groupbuy.teaserBind')}
      </Link>
    </section>
  );
}
