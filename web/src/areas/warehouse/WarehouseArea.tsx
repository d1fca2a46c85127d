// Warehouse staff (仓配): today's wave → receive purchase orders, print sorting lists, dispatch
// routes. Operators may open it too. Loaded lazily like the back office.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useParams } from 'react-router';
import { get } from '../../api/client';
import { chinaToday, type WaveSummary } from '../../api/fulfilment';
import type { Page, Region } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { RoutesPanel } from '../../components/fulfilment/RoutesPanel';
import { PurchaseOrdersPanel, SortingPanel } from '../../components/fulfilment/WavePanels';
import { HeaderTools } from '../../components/HeaderTools';
import { Logo } from '../../components/Logo';
import { formatTime } from '../../components/time';
import '../../styles/admin.css';
import '../../styles/orders.css';
import '../../styles/fulfilment.css';
import { GridReceiptPanel } from '../../components/fulfilment/GridReceiptPanel';

function useRegionNames() {
  const regions = useQuery({
    queryKey: ['fulfil', 'regions'],
    staleTime: 5 * 60_000,
    queryFn: ({ signal }) => get<Page<Region>>('/regions', { limit: 200 }, signal),
  });
  return (id: number) => regions.data?.items.find((r) => r.id === id)?.name ?? `#${id}`;
}

export default function WarehouseArea() {
  const { t } = useTranslation();
  const { account } = useAuth();
  return (
    <div className="ops">
      <header className="ops-header no-print">
        <Link to="/warehouse" className="brand">
          <Logo size={28} />
          <span className="brand-name">{t('fulfil.warehouse.title')}</span>
        </Link>
        <span className="ops-who">{account && t('auth.welcome', { name: account.displayName })}</span>
        <HeaderTools />
      </header>
      <main className="ops-main">
        <Routes>
          <Route index element={<WaveList />} />
          <Route path="waves/:waveId" element={<WaveWork />} />
          <Route path="*" element={<Navigate to="/warehouse" replace />} />
        </Routes>
      </main>
    </div>
  );
}

function WaveList() {
  const { t } = useTranslation();
  const regionName = useRegionNames();
  const today = chinaToday();
  const waves = useQuery({
    queryKey: ['fulfil', 'waves', 'recent'],
    queryFn: ({ signal }) => get<Page<WaveSummary>>('/admin/waves', { limit: 30 }, signal),
  });
  if (waves.isPending) return <Loading />;
  if (waves.error) return <ErrorNote error={waves.error} onRetry={() => void waves.refetch()} />;
  const todays = waves.data.items.filter((w) => w.pickupDate === today);
  const others = waves.data.items.filter((w) => w.pickupDate !== today);
  const card = (w: WaveSummary) => (
    <Link key={w.id} to={`/warehouse/waves/${w.id}`} className={`card wave-card${w.pickupDate === today ? ' is-today' : ''}`} data-testid={`warehouse-wave-${w.id}`}>
      <div className="wave-card-head">
        <strong>{t('fulfil.waves.one', { id: w.id })}</strong>
        <span className={`status wave-status-${w.status}`}>{t(`fulfil.waveStatus.${w.status}`)}</span>
      </div>
      <div>
        {regionName(w.regionId)} · {t('fulfil.pickupDate')} {w.pickupDate}
      </div>
      <div className="muted small">
        {t('fulfil.warehouse.waveFigures', { orders: w.orders, items: w.items, pos: w.purchaseOrders, routes: w.routes })} · {formatTime(w.createdAt)}
      </div>
    </Link>
  );
  return (
    <div className="ops-page">
      <h1>{t('fulfil.warehouse.today', { date: today })}</h1>
      {todays.length === 0 ? <p className="muted">{t('fulfil.warehouse.noToday')}</p> : <div className="wave-cards">{todays.map(card)}</div>}
      {others.length > 0 && (
        <>
          <h2>{t('fulfil.warehouse.recent')}</h2>
          <div className="wave-cards">{others.map(card)}</div>
        </>
      )}
    </div>
  );
}

type Tab = 'receive' | 'grid' | 'sorting' | 'routes';

function WaveWork() {
  const { t } = useTranslation();
  const waveId = Number(useParams().waveId);
  const [tab, setTab] = useState<Tab>('receive');
  const regionName = useRegionNames();
  const wave = useQuery({
    queryKey: ['fulfil', 'wave', waveId, 'summary'],
    queryFn: ({ signal }) => get<WaveSummary>(`/admin/waves/${waveId}`, undefined, signal),
  });
  if (wave.isPending) return <Loading />;
  if (wave.error) return <ErrorNote error={wave.error} onRetry={() => void wave.refetch()} />;
  const w = wave.data;
  const heading = `${regionName(w.regionId)} · ${t('fulfil.pickupDate')} ${w.pickupDate}`;
  return (
    <div className="ops-page">
      <div className="page-head no-print">
        <h1>
          <Link to="/warehouse" className="back-link">
            ←
          </Link>{' '}
          {t('fulfil.waves.one', { id: w.id })}
        </h1>
        <span className="muted">
          {heading} · <span className={`status wave-status-${w.status}`}>{t(`fulfil.waveStatus.${w.status}`)}</span>
        </span>
      </div>
      <div className="tabs no-print" role="tablist">
        {(['receive', 'grid', 'sorting', 'routes'] as const).map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={`tab-btn${tab === k ? ' is-active' : ''}`} onClick={() => setTab(k)} data-testid={`warehouse-tab-${k}`}>
            {t(`fulfil.warehouse.tab.${k}`)}
          </button>
        ))}
      </div>
      {tab === 'receive' && <PurchaseOrdersPanel waveId={w.id} receiving />}
      {tab === 'grid' && <GridReceiptPanel waveId={w.id} />}
      {tab === 'sorting' && <SortingPanel waveId={w.id} heading={heading} />}
      {tab === 'routes' && <RoutesPanel waveId={w.id} mode="warehouse" />}
    </div>
  );
}
