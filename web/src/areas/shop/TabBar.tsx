import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { useCart } from './cart';
import { useMyPickupPoint } from './groupbuy/queries';

// Inline line icons: symbol glyphs render unevenly across CJK fonts.
const ICONS = {
  home: 'M3 11l9-7 9 7 M5 10v10h14V10 M10 20v-6h4v6',
  groupbuy: 'M4 9h16l-1.5 11h-13z M8 9V7a4 4 0 018 0v2 M9 14h6',
  cart: 'M3 4h2l2.4 11.2a1 1 0 001 .8h9.2a1 1 0 001-.8L20 8H6.2 M9 20.5a1 1 0 100-2 1 1 0 000 2z M17 20.5a1 1 0 100-2 1 1 0 000 2z',
  orders: 'M6 3h12v18l-3-2-3 2-3-2-3 2z M9 8h6 M9 12h6 M9 16h3',
  earnings: 'M12 3v18 M17 7.5c0-1.9-2.2-3-5-3s-5 1.1-5 3 2 2.7 5 3.3 5 1.5 5 3.5-2.2 3.2-5 3.2-5-1.2-5-3.2',
} as const;

function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg className="tab-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={ICONS[name]} />
    </svg>
  );
}

/** Roles that earn commissions or sales income and so get an earnings tab. */
const EARNERS = new Set(['leader', 'store_owner', 'host']);

export function TabBar() {
  const { t } = useTranslation();
  const { account } = useAuth();
  const cart = useCart();
  const gbCart = useCart('groupbuy');
  const bound = useMyPickupPoint().data?.pickupPoint ?? null;
  const tabs: Array<{ to: string; icon: keyof typeof ICONS; label: string; end?: boolean; badge?: number }> = [
    { to: '/shop', icon: 'home', label: t('nav.home'), end: true },
    { to: '/shop/cart', icon: 'cart', label: t('nav.cart'), badge: cart.count },
    { to: '/shop/orders', icon: 'orders', label: t('nav.orders') },
  ];
  // 团购 comes first once the resident collects at a pickup point.
  if (bound) tabs.unshift({ to: '/shop/groupbuy', icon: 'groupbuy', label: t('groupbuy.tab'), badge: gbCart.count });
  if (account?.roles.some((r) => EARNERS.has(r))) tabs.push({ to: '/shop/earnings', icon: 'earnings', label: t('nav.earnings') });
  return (
    <nav className="tab-bar" aria-label={t('nav.label')}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end ?? false} className={({ isActive }) => `tab${isActive ? ' is-active' : ''}`}>
          <span className="tab-icon-wrap">
            <Icon name={tab.icon} />
            {!!tab.badge && (
              <span className="tab-badge" data-testid="cart-badge">
                {tab.badge > 99 ? '99+' : tab.badge}
              </span>
            )}
          </span>
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
