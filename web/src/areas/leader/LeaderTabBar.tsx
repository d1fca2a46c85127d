import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';

// Inline line icons, drawn like the shop's so the two bars feel like one app.
const ICONS = {
  today: 'M4 5h16v15H4z M4 9h16 M8 3v4 M16 3v4 M8 13h3 M8 16h6',
  orders: 'M6 3h12v18l-3-2-3 2-3-2-3 2z M9 8h6 M9 12h6 M9 16h3',
  arrival: 'M3 7l9-4 9 4v10l-9 4-9-4z M3 7l9 4 9-4 M12 11v10',
  pickup: 'M4 7V4h3 M17 4h3v3 M20 17v3h-3 M7 20H4v-3 M7 12h10',
  afterSales: 'M12 21a9 9 0 100-18 9 9 0 000 18z M12 7v6 M12 16.5v.5',
  earnings: 'M12 3v18 M17 7.5c0-1.9-2.2-3-5-3s-5 1.1-5 3 2 2.7 5 3.3 5 1.5 5 3.5-2.2 3.2-5 3.2-5-1.2-5-3.2',
} as const;

export function LeaderTabBar() {
  const { t } = useTranslation();
  const tabs: Array<{ to: string; icon: keyof typeof ICONS; label: string; end?: boolean; testId: string }> = [
    { to: '/leader', icon: 'today', label: t('leader.tab.today'), end: true, testId: 'tab-today' },
    { to: '/leader/orders', icon: 'orders', label: t('leader.tab.orders'), testId: 'tab-orders' },
    { to: '/leader/arrival', icon: 'arrival', label: t('leader.tab.arrival'), testId: 'tab-arrival' },
    { to: '/leader/pickup', icon: 'pickup', label: t('leader.tab.pickup'), testId: 'tab-pickup' },
    { to: '/leader/after-sales', icon: 'afterSales', label: t('leader.tab.afterSales'), testId: 'tab-after-sales' },
    { to: '/leader/earnings', icon: 'earnings', label: t('leader.tab.earnings'), testId: 'tab-earnings' },
  ];
  return (
    <nav className="tab-bar" aria-label={t('nav.label')}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end ?? false} data-testid={tab.testId} className={({ isActive }) => `tab${isActive ? ' is-active' : ''}`}>
          <span className="tab-icon-wrap">
            <svg className="tab-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
              <path d={ICONS[tab.icon]} />
            </svg>
          </span>
          {tab.label}
        </NavLink>
      ))}
    </nav>
  );
}
