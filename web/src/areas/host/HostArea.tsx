// 主播工作台 (/host): the host's sessions, scheduling one, the control room and the dashboard.
// Laptop first (a host runs the room beside the stream); operators may open it too, to read
// any session and its dashboard.
import { useTranslation } from 'react-i18next';
import { Link, Navigate, NavLink, Route, Routes } from 'react-router';
import { useAuth } from '../../auth/AuthContext';
import { HeaderTools } from '../../components/HeaderTools';
import { Logo } from '../../components/Logo';
import { ControlRoomPage } from './ControlRoomPage';
import { CreateSessionPage } from './CreateSessionPage';
import { DashboardRoute } from './DashboardPage';
import { HostProfilePage } from './HostProfilePage';
import { HostSessionsPage } from './HostSessionsPage';
import '../../styles/shop.css';
import '../../styles/groupbuy.css';
import '../../styles/live.css';

export default function HostArea() {
  const { t } = useTranslation();
  const { account } = useAuth();
  const isHost = !!account?.roles.includes('host');
  const tabs = [
    { to: '/host', label: t('live.host.mySessions'), end: true },
    ...(isHost
      ? [
          { to: '/host/sessions/new', label: t('live.host.newSession'), end: true },
          { to: '/host/profile', label: t('live.host.profile'), end: true },
        ]
      : []),
  ];
  return (
    <div className="host-app">
      <header className="shop-header host-header">
        <Link to="/host" className="brand">
          <Logo size={28} />
          <span className="brand-name">{t('live.host.title')}</span>
        </Link>
        <nav className="host-nav" aria-label={t('nav.label')}>
          {tabs.map((tab) => (
            <NavLink key={tab.to} to={tab.to} end={tab.end} className={({ isActive }) => `host-nav-item${isActive ? ' is-active' : ''}`}>
              {tab.label}
            </NavLink>
          ))}
        </nav>
        <HeaderTools />
      </header>
      <main className="host-main">
        <Routes>
          <Route index element={<HostSessionsPage />} />
          <Route path="sessions/new" element={isHost ? <CreateSessionPage /> : <Navigate to="/host" replace />} />
          <Route path="sessions/:id" element={<ControlRoomPage />} />
          <Route path="sessions/:id/dashboard" element={<DashboardRoute />} />
          <Route path="profile" element={isHost ? <HostProfilePage /> : <Navigate to="/host" replace />} />
          <Route path="*" element={<Navigate to="/host" replace />} />
        </Routes>
      </main>
    </div>
  );
}
