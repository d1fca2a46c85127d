import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { CartBar } from './CartPage';
import { NearbySection } from './NearbySection';
import { ProductSection } from './ProductSection';
import { useHome } from './queries';
import { GroupBuyTeaser } from './groupbuy/GroupBuyTeaser';
import { NearbyStoresTeaser } from './stores/StoreList';
import { ForYouSection } from './ForYouSection';
import { LiveTeaser } from './live/LiveList';

export function ShopHome() {
  const { t } = useTranslation();
  const home = useHome();
  if (home.isPending) return <Loading />;
  if (home.error) return <ErrorNote error={home.error} onRetry={() => void home.refetch()} />;
  if (!home.data) return <Navigate to="/shop/community" replace />;
  const c = home.data.community;
  return (
    <>
      <section className="community-banner">
        <div>
          <div className="eyebrow">{t('shop.myCommunity')}</div>
          <h1 className="community-name">{c.name}</h1>
          <div className="community-meta">
            {c.address}
            {c.households > 0 && <> · {t('shop.households', { count: c.households })}</>}
          </div>
        </div>
        <Link to="/shop/community" className="btn btn-on-dark btn-small">
          {t('shop.change')}
        </Link>
      </section>
      <GroupBuyTeaser />
      <LiveTeaser />
      <ForYouSection />
      <NearbyStoresTeaser />
      <NearbySection community={c} />
      <ProductSection communityId={c.id} />
      <CartBar />
    </>
  );
}
