import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { formatDistance } from '../../../api/money';
import { useStorefrontStores, type StorefrontStore } from '../../../api/stores';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { TrustBadge } from '../../../components/TrustBadge';
import { useHome } from '../queries';
import '../../../styles/store.css';

/** On the shop home: the nearest few stores that deliver here, and the way to all of them. */
export function NearbyStoresTeaser() {
  const { t } = useTranslation();
  const home = useHome();
  const c = home.data?.community ?? null;
  const stores = useStorefrontStores(c ? { lat: c.lat, lng: c.lng } : null);
  if (!c || !stores.data || stores.data.length === 0) return null;
  return (
    <section className="card" data-testid="stores-teaser">
      <div className="card-head">
        <h2 className="section-title">{t('stores.front.title')}</h2>
        <Link to="/shop/stores" className="small">
          {t('stores.front.all', { count: stores.data.length })}
        </Link>
      </div>
      <StoreCards items={stores.data.slice(0, 3)} />
    </section>
  );
}

/** 附近小店: stores whose delivery radius covers the home community, open ones first. */
export function StoreListPage() {
  const { t } = useTranslation();
  const home = useHome();
  const c = home.data?.community ?? null;
  const stores = useStorefrontStores(c ? { lat: c.lat, lng: c.lng } : null);
  if (home.isPending) return <Loading />;
  if (home.error) return <ErrorNote error={home.error} onRetry={() => void home.refetch()} />;
  if (!c) return <Navigate to="/shop/community" replace />;
  return (
    <>
      <div className="back-row">
        <Link to="/shop" className="small">
          ← {t('groupbuy.back')}
        </Link>
      </div>
      <section className="card">
        <h1 className="section-title">{t('stores.front.title')}</h1>
        <p className="muted small">{t('stores.front.hint', { name: c.name })}</p>
        {stores.isPending ? (
          <Loading />
        ) : stores.error ? (
          <ErrorNote error={stores.error} onRetry={() => void stores.refetch()} />
        ) : stores.data.length === 0 ? (
          <p className="muted">{t('stores.front.none')}</p>
        ) : (
          <StoreCards items={stores.data} />
        )}
      </section>
      <p className="muted small center">
        <Link to="/shop/store-apply">{t('stores.apply.cta')}</Link>
      </p>
    </>
  );
}

function StoreCards({ items }: { items: StorefrontStore[] }) {
  const { t } = useTranslation();
  const units = { m: t('shop.distanceM'), km: t('shop.distanceKm') };
  return (
    <ul className="store-cards">
      {items.map(({ store: s, distanceM, openNow, modes, trust }) => (
        <li key={s.id}>
          <Link to={`/shop/stores/${s.id}`} className={`store-card${openNow ? '' : ' is-closed'}`} data-testid="store-card" data-store-id={s.id}>
            <div className="store-card-icon" aria-hidden="true">
              {Array.from(s.name)[0]}
            </div>
            <div className="store-card-body">
              <div className="store-card-name">
                {s.name}
                <span className={`open-badge${openNow ? ' is-open' : ''}`} data-testid="open-badge">
                  {openNow ? t('stores.front.openNow') : t('stores.front.closed')}
                </span>
                <TrustBadge trust={trust} />
              </div>
              <div className="muted small">
                {t('shop.hours', { from: s.opensAt, to: s.closesAt })} · {modes.map((m) => t(`stores.mode.${m}`)).join(' / ')}
              </div>
              <div className="muted small clip">{s.address}</div>
            </div>
            <div className="nearby-distance">{formatDistance(distanceM, units)}</div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
