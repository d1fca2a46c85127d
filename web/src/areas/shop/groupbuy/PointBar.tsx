import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MyPickupPoint } from '../../../api/groupbuy';

/** The bound pickup point at the top of the group-buy pages, with the way to switch it. */
export function PointBar({ mine, relayLink = true }: { mine: MyPickupPoint; relayLink?: boolean }) {
  const { t } = useTranslation();
  const p = mine.pickupPoint;
  if (!p) return null;
  return (
    <section className="gb-point" data-testid="bound-point" data-point-id={p.id}>
      <div className="gb-point-main">
        <div className="eyebrow">{t('groupbuy.myPoint')}</div>
        <div className="gb-point-name">{p.name}</div>
        <div className="gb-point-meta">
          {p.address} · {t('shop.hours', { from: p.opensAt, to: p.closesAt })}
        </div>
      </div>
      <div className="gb-point-actions">
        <Link to="/shop/pickup-point" className="btn btn-on-dark btn-small" data-testid="switch-point">
          {t('groupbuy.switch')}
          <span className="gb-switch-left">{t('groupbuy.switchesLeft', { count: mine.switchesLeft })}</span>
        </Link>
        {relayLink && (
          <Link to={`/shop/relay/${p.id}`} className="btn btn-on-dark btn-small" data-testid="open-relay">
            {t('groupbuy.relay')}
          </Link>
        )}
      </div>
    </section>
  );
}
