import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { HeaderTools } from '../../components/HeaderTools';
import { Logo } from '../../components/Logo';
import '../../styles/admin.css';
import { MapPage } from './MapPage';
import { NavIcon } from './NavIcon';
import { ResourcePage } from './ResourcePage';
import type { ResourceKey } from './resources';

const NAV: Array<{ to: string; key: ResourceKey | 'map' }> = [
  { to: 'map', key: 'map' },
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
            <Route path="map" element={<MapPage />} />
            {NAV.filter((n) => n.key !== 'map').map((n) => (
              <Route key={n.to} path={n.to} element={<ResourcePage resource={n.key as ResourceKey} />} />
            ))}
            <Route path="*" element={<Navigate to="map" replace />} />
          </Routes>
        </main>
      </div>
    </div>
  );
}
