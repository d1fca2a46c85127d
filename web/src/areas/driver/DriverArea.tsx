// Drivers (司机), on a phone: my routes for a day, then one route's map and manifest in stop order.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useParams } from 'react-router';
import { get } from '../../api/client';
import { chinaToday, type Manifest, type RouteView } from '../../api/fulfilment';
import { formatDistance } from '../../api/money';
import { useAuth } from '../../auth/AuthContext';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { ManifestSheets, PrintButton } from '../../components/fulfilment/PrintSheets';
import { DispatchButton } from '../../components/fulfilment/RoutesPanel';
import { HeaderTools } from '../../components/HeaderTools';
import { Logo } from '../../components/Logo';
import { LoadBar, RouteMap } from '../../components/RouteMap';
import '../../styles/orders.css';
import '../../styles/fulfilment.css';

export default function DriverArea() {
  const { t } = useTranslation();
  const { account } = useAuth();
  return (
    <div className="ops driver">
      <header className="ops-header no-print">
        <Link to="/driver" className="brand">
          <Logo size={26} />
          <span className="brand-name">{t('fulfil.driver.title')}</span>
        </Link>
        <span className="ops-who">{account?.displayName}</span>
        <HeaderTools />
      </header>
      <main className="ops-main">
        <Routes>
          <Route index element={<MyRoutes />} />
          <Route path="routes/:routeId" element={<RoutePage />} />
          <Route path="*" element={<Navigate to="/driver" replace />} />
        </Routes>
      </main>
    </div>
  );
}

function MyRoutes() {
  const { t } = useTranslation();
  const [date, setDate] = useState(chinaToday());
  const routes = useQuery({
    queryKey: ['fulfil', 'driver', 'routes', date],
    queryFn: ({ signal }) => get<RouteView[]>('/driver/routes', { date }, signal),
  });
  const units = { m: t('fulfil.units.m'), km: t('fulfil.units.km') };
  return (
    <div className="ops-page">
      <div className="driver-date">
        <h1>{t('fulfil.driver.myRoutes')}</h1>
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} aria-label={t('fulfil.pickupDate')} data-testid="driver-date" />
      </div>
      {routes.isPending ? (
        <Loading />
      ) : routes.error ? (
        <ErrorNote error={routes.error} onRetry={() => void routes.refetch()} />
      ) : routes.data.length === 0 ? (
        <p className="muted empty">{t('fulfil.driver.none')}</p>
      ) : (
        <div className="driver-routes">
          {routes.data.map((r) => (
            <Link key={r.id} to={`/driver/routes/${r.id}`} className="card driver-route" data-testid={`driver-route-${r.id}`}>
              <div className="wave-card-head">
                <strong>{r.name}</strong>
                <span className={`status route-status-${r.status}`}>{t(`fulfil.routeStatus.${r.status}`)}</span>
              </div>
              <div className="muted small">
                {t('fulfil.driver.from', { name: r.gridWarehouse.name })} · {t('fulfil.map.stops', { count: r.stops.length })} · {formatDistance(r.distanceM, units)}
              </div>
              <LoadBar load={r.loadCrates} capacity={r.capacityCrates} />
            </Link>
          ))}
        </div>
      )}
    </div>
  );
}

function RoutePage() {
  const { t } = useTranslation();
  const routeId = Number(useParams().routeId);
  const [selected, setSelected] = useState<number | null>(null);
  const manifest = useQuery({
    queryKey: ['fulfil', 'manifest', routeId],
    queryFn: ({ signal }) => get<Manifest>(`/routes/${routeId}/manifest`, undefined, signal),
  });
  if (manifest.isPending) return <Loading />;
  if (manifest.error) return <ErrorNote error={manifest.error} onRetry={() => void manifest.refetch()} />;
  const m = manifest.data;
  const units = { m: t('fulfil.units.m'), km: t('fulfil.units.km') };
  const crates = m.stops.reduce((n, s) => n + s.crates, 0);
  return (
    <div className="ops-page driver-route-page">
      <div className="page-head">
        <h1>
          <Link to="/driver" className="back-link no-print">
            ←
          </Link>{' '}
          {m.name}
        </h1>
        <span className="muted small">
          {t('fulfil.driver.from', { name: m.gridWarehouse.name })} · {formatDistance(m.distanceM, units)} · {t('fulfil.routes.crates', { load: crates, capacity: m.capacityCrates })}
        </span>
      </div>
      <div className="map-card route-map-card no-print">
        <RouteMap routes={[m]} selected={selected} onSelect={setSelected} height={900} scale={2.4} testId="driver-route-map" />
      </div>
      <div className="driver-actions no-print">
        <DispatchButton route={m} invalidate={['fulfil']} />
        <PrintButton testId="manifest-print" />
      </div>
      <h2 className="no-print">{t('fulfil.manifest.title')}</h2>
      <ManifestSheets manifest={m} heading={`${m.name} · ${m.gridWarehouse.name}`} />
    </div>
  );
}
