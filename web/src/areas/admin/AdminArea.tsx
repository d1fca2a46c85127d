import { lazy, Suspense, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { HeaderTools } from '../../components/HeaderTools';
import { Logo } from '../../components/Logo';
import { Loading } from '../../components/ErrorNote';
import '../../styles/admin.css';
import '../../styles/orders.css';
import '../../styles/fulfilment.css';
import { AdminOrdersPage } from './AdminOrdersPage';
import { AfterSalesPage } from './AfterSalesPage';
import { CampaignEditPage } from './CampaignEditPage';
import { CampaignsPage } from './CampaignsPage';
import { IncidentsPage } from './IncidentsPage';
import { LeadersPage } from './LeadersPage';
import { LedgerPage } from './LedgerPage';
import { MapPage } from './MapPage';
import { NavIcon } from './NavIcon';
import { RefundsPage } from './RefundsPage';
import { StoreApplicationsPage } from './StoreApplicationsPage';
import { ResourcePage } from './ResourcePage';
import type { ResourceKey } from './resources';
import { WaveDetailPage, WavesPage } from './WavesPage';

// 直播 (sessions and their dashboards) brings ECharts: loaded only when opened.
const AdminLive = lazy(() => import('../host/AdminLive'));
function LivePage() {
  return (
    <Suspense fallback={<Loading />}>
      <AdminLive />
    </Suspense>
  );
}
// 经营洞察 (dashboards) brings ECharts too: its own chunk.
const Insights = lazy(() => import('./insights/InsightsPage'));
function InsightsPage() {
  return (
    <Suspense fallback={<Loading />}>
      <Insights />
    </Suspense>
  );
}

type PageKey = 'map' | 'orders' | 'afterSales' | 'refunds' | 'ledger' | 'campaigns' | 'leaders' | 'waves' | 'incidents' | 'storeApplications' | 'live' | 'insights';
const PAGES: Record<PageKey, () => JSX.Element> = {
  map: MapPage,
  orders: AdminOrdersPage,
  afterSales: AfterSalesPage,
  refunds: RefundsPage,
  ledger: LedgerPage,
  campaigns: CampaignsPage,
  leaders: LeadersPage,
  waves: WavesPage,
  incidents: IncidentsPage,
  storeApplications: StoreApplicationsPage,
  live: LivePage,
  insights: InsightsPage,
};
const isPage = (k: string): k is PageKey => k in PAGES;

/** `splat`: the page has pages of its own under it (/admin/live/:id). */
const NAV: Array<{ to: string; key: ResourceKey | PageKey; splat?: boolean }> = [
  { to: 'map', key: 'map' },
  { to: 'orders', key: 'orders' },
  { to: 'after-sales', key: 'afterSales' },
  { to: 'refunds', key: 'refunds' },
  { to: 'ledger', key: 'ledger' },
  { to: 'campaigns', key: 'campaigns' },
  { to: 'leaders', key: 'leaders' },
  { to: 'waves', key: 'waves' },
  { to: 'incidents', key: 'incidents' },
  { to: 'store-applications', key: 'storeApplications' },
  { to: 'live', key: 'live', splat: true },
  { to: 'insights', key: 'insights' },
  { to: 'regions', key: 'regions' },
  { to: 'communities', key: 'communities' },
  { to: 'pickup-points', key: 'pickupPoints' },
  { to: 'stores', key: 'stores' },
  { to: 'warehouses', key: 'warehouses' },
  { to: 'products', key: 'products' },
];

export default function AdminArea() {
  const { t } = useTranslation();
  const { account } = useAuth();
  return (
    <div className="admin">
      <aside className="admin-nav">
        <div className="brand">
          <Logo size={30} />
          <span className="brand-name">{t('admin.title')}</span>
        </div>
        <nav>
          {NAV.map((n) => (
            <NavLink key={n.to} to={`/admin/${n.to}`} className={({ isActive }) => `nav-item${isActive ? ' is-active' : ''}`}>
              <NavIcon name={n.key} />
              {t(`admin.nav.${n.key}`)}
            </NavLink>
          ))}
        </nav>
      </aside>
      <div className="admin-body">
        <header className="admin-header">
          <span className="muted">{account && t('auth.welcome', { name: account.displayName })}</span>
          <HeaderTools />
        </header>
        <main className="admin-main">
          <Routes>
            <Route index element={<Navigate to="map" replace />} />
            {NAV.map((n) => {
              const Page = isPage(n.key) ? PAGES[n.key] : null;
              return <Route key={n.to} path={n.splat ? `${n.to}/*` : n.to} element={Page ? <Page /> : <ResourcePage resource={n.key as ResourceKey} />} />;
            })}
            <Route path="campaigns/:campaignId" element={<CampaignEditPage />} />
            <Route path="waves/:waveId" element={<WaveDetailPage />} />
            <Route path="*" element={<Navigate to="map" replace />} />
          </Routes>
        </main>
      </div>
    </div>
  );
}
