import { useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, NavLink, Route, Routes } from 'react-router';
import { useMyStores } from '../../api/stores';
import { useAuth } from '../../auth/AuthContext';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { HeaderTools } from '../../components/HeaderTools';
import { Logo } from '../../components/Logo';
import type { Store } from '../../api/types';
import { ClerksPage } from './ClerksPage';
import { FinancePage } from './FinancePage';
import { OrdersQueuePage } from './OrdersQueuePage';
import { PosPage } from './PosPage';
import { ReplenishPage } from './ReplenishPage';
import { StockPage } from './StockPage';
import { saveStoreId, savedStoreId, StoreContext, useStoreCtx, type StoreCtx } from './storeContext';
import { useStoreLive } from './useStoreLive';
import '../../styles/orders.css';
import '../../styles/shop.css';
import '../../styles/store.css';

/** 小店: the till, the online order queue, stock and 进货, finance and clerks for one store. */
export default function StoreArea() {
  const { t } = useTranslation();
  const stores = useMyStores();
  const [chosen, setChosen] = useState<number | null>(savedStoreId);
  if (stores.isPending) return <Loading />;
  if (stores.error) return <ErrorNote error={stores.error} onRetry={() => void stores.refetch()} />;
  const list = stores.data;
  if (list.length === 0)
    return (
      <div className="store-app">
        <StoreHeader />
        <main className="store-main">
          <section className="card">
            <h1 className="section-title">{t('stores.area.noStore')}</h1>
            <p className="muted">{t('stores.area.noStoreHint')}</p>
            <Link to="/shop/store-apply" className="btn btn-primary">
              {t('stores.apply.title')}
            </Link>
          </section>
        </main>
      </div>
    );
  const store = list.find((s) => s.id === chosen) ?? list[0]!;
  return (
    <StoreShell
      key={store.id}
      store={store}
      stores={list}
      choose={(id) => {
        saveStoreId(id);
        setChosen(id);
      }}
    />
  );
}

function StoreShell({ store, stores, choose }: { store: Store; stores: Store[]; choose: (id: number) => void }) {
  const { account } = useAuth();
  const live = useStoreLive(store.id);
  const isOwner = account?.id === store.ownerAccountId;
  const ctx = useMemo<StoreCtx>(() => ({ store, stores, isOwner, choose, live }), [store, stores, isOwner, choose, live]);
  return (
    <StoreContext.Provider value={ctx}>
      <div className="store-app">
        <StoreHeader />
        <StoreNav />
        <main className="store-main">
          <Routes>
            <Route index element={<PosPage />} />
            <Route path="orders" element={<OrdersQueuePage />} />
            <Route path="stock" element={<StockPage />} />
            <Route path="replenish" element={<ReplenishPage />} />
            <Route path="finance" element={isOwner ? <FinancePage /> : <Navigate to="/store" replace />} />
            <Route path="clerks" element={isOwner ? <ClerksPage /> : <Navigate to="/store" replace />} />
            <Route path="*" element={<Navigate to="/store" replace />} />
          </Routes>
        </main>
      </div>
    </StoreContext.Provider>
  );
}

function StoreHeader() {
  const { t } = useTranslation();
  return (
    <header className="shop-header store-header">
      <Link to="/store" className="brand">
        <Logo size={28} />
        <span className="brand-name">{t('stores.area.title')}</span>
      </Link>
      <StoreSwitcher />
      <HeaderTools />
    </header>
  );
}

function StoreSwitcher() {
  const { t } = useTranslation();
  const ctx = useContext(StoreContext);
  if (!ctx) return null;
  const { store, stores, choose, live } = ctx;
  return (
    <div className="store-switch">
      {stores.length > 1 ? (
        <select aria-label={t('stores.area.switch')} value={store.id} onChange={(e) => choose(Number(e.target.value))} data-testid="store-switch">
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      ) : (
        <span className="store-name" data-testid="store-name">
          {store.name}
        </span>
      )}
      <span
        className={`live-dot${live.connected ? ' is-live' : ''}`}
        data-testid="live-dot"
        data-live={live.connected ? '1' : '0'}
        title={live.connected ? t('stores.area.live') : t('stores.area.offline')}
      >
        <i aria-hidden="true" />
        <span className="live-label">{live.connected ? t('stores.area.live') : t('stores.area.offline')}</span>
      </span>
    </div>
  );
}

const ICONS = {
  pos: 'M4 4h16v10H4z M8 18h8 M12 14v4 M7 8h4 M7 11h7',
  orders: 'M6 3h12v18l-3-2-3 2-3-2-3 2z M9 8h6 M9 12h6 M9 16h3',
  stock: 'M3 7l9-4 9 4v10l-9 4-9-4z M3 7l9 4 9-4 M12 11v10',
  replenish: 'M3 6h11v10H3z M14 9h4l3 3v4h-7 M7 19a2 2 0 100-4 2 2 0 000 4z M17 19a2 2 0 100-4 2 2 0 000 4z',
  finance: 'M4 20V10 M10 20V4 M16 20v-7 M22 20H2',
  clerks: 'M9 11a4 4 0 100-8 4 4 0 000 8z M2 21a7 7 0 0114 0 M17 8h5 M19.5 5.5v5',
} as const;

function StoreNav() {
  const { t } = useTranslation();
  const { isOwner, live } = useStoreCtx();
  const tabs: Array<{ to: string; icon: keyof typeof ICONS; end?: boolean; badge?: number }> = [
    { to: '/store', icon: 'pos', end: true },
    { to: '/store/orders', icon: 'orders', badge: live.fresh.size },
    { to: '/store/stock', icon: 'stock' },
    { to: '/store/replenish', icon: 'replenish' },
  ];
  if (isOwner) tabs.push({ to: '/store/finance', icon: 'finance' }, { to: '/store/clerks', icon: 'clerks' });
  return (
    <nav className="tab-bar store-nav" aria-label={t('nav.label')}>
      {tabs.map((tab) => (
        <NavLink key={tab.to} to={tab.to} end={tab.end ?? false} data-testid={`store-tab-${tab.icon}`} className={({ isActive }) => `tab${isActive ? ' is-active' : ''}`}>
          <span className="tab-icon-wrap">
            <svg className="tab-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
              <path d={ICONS[tab.icon]} />
            </svg>
            {!!tab.badge && <span className="tab-badge">{tab.badge > 99 ? '99+' : tab.badge}</span>}
          </span>
          {t(`stores.nav.${tab.icon}`)}
        </NavLink>
      ))}
    </nav>
  );
}
