import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { HeaderTools } from '../../components/HeaderTools';
import { Logo } from '../../components/Logo';
import { CartPage } from './CartPage';
import { CheckoutPage } from './CheckoutPage';
import { CommunityPicker } from './CommunityPicker';
import { EarningsPage } from './EarningsPage';
import { OrderDetailPage } from './OrderDetailPage';
import { OrdersPage } from './OrdersPage';
import { ShopHome } from './ShopHome';
import { TabBar } from './TabBar';
import { GroupBuyPage } from './groupbuy/GroupBuyPage';
import { GroupCheckoutPage } from './groupbuy/GroupCheckoutPage';
import { LeaderApplyPage } from './groupbuy/LeaderApplyPage';
import { PickupPointPicker } from './groupbuy/PickupPointPicker';
import { RelayPage } from './groupbuy/RelayPage';
import { StoreApplyPage } from './stores/StoreApplyPage';
import { StoreCheckoutPage } from './stores/StoreCheckoutPage';
import { StoreListPage } from './stores/StoreList';
import { StorePage } from './stores/StorePage';
import { LiveListPage } from './live/LiveList';
import '../../styles/orders.css';
import '../../styles/shop.css';
import '../../styles/groupbuy.css';

export function ShopArea() {
  const { t } = useTranslation();
  const { role } = useAuth();
  return (
    <div className="shop">
      <header className="shop-header">
        <Link to="/shop" className="brand">
          <Logo size={28} />
          <span className="brand-name">{t('app.name')}</span>
        </Link>
        <HeaderTools />
      </header>
      {role && role !== 'resident' && role !== 'operator' && (
        <div className="notice">{t('auth.otherRoleNote', { role: t(`roles.${role}`) })}</div>
      )}
      <main className="shop-main">
        <Routes>
          <Route index element={<ShopHome />} />
          <Route path="community" element={<CommunityPicker />} />
          <Route path="cart" element={<CartPage />} />
          <Route path="checkout" element={<CheckoutPage />} />
          <Route path="orders" element={<OrdersPage />} />
          <Route path="orders/:id" element={<OrderDetailPage />} />
          <Route path="earnings" element={<EarningsPage />} />
          <Route path="groupbuy" element={<GroupBuyPage />} />
          <Route path="groupbuy/checkout" element={<GroupCheckoutPage />} />
          <Route path="pickup-point" element={<PickupPointPicker />} />
          <Route path="relay/:pickupPointId" element={<RelayPage />} />
          <Route path="leader-apply" element={<LeaderApplyPage />} />
          <Route path="stores" element={<StoreListPage />} />
          <Route path="stores/:id" element={<StorePage />} />
          <Route path="stores/:id/checkout" element={<StoreCheckoutPage />} />
          <Route path="store-apply" element={<StoreApplyPage />} />
          <Route path="live" element={<LiveListPage />} />
        </Routes>
      </main>
      <TabBar />
    </div>
  );
}
