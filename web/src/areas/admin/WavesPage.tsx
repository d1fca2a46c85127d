// The cutoff wave (波次): list per region, run one, and a wave's documents and routes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { get } from '../../api/client';
import { chinaToday, useIdempotentPost, type WaveSummary } from '../../api/fulfilment';
import { BarChart } from '../../components/charts';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { RoutesPanel } from '../../components/fulfilment/RoutesPanel';
import { PurchaseOrdersPanel, SortingPanel } from '../../components/fulfilment/WavePanels';
import { formatTime } from '../../components/time';
import { useNameOf, useRefOptions } from './lookups';
import { PagedTableCard, TableState, useCursorPage } from './paging';
import { RegionFilter } from './filters';

export function WavesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [regionId, setRegionId] = useState('');
  const regions = useRefOptions('regions');
  const regionName = useNameOf('regions');
  const paged = useCursorPage<WaveSummary>('/admin/waves', { regionId });

  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t('fulfil.waves.title')}</h1>
        <RegionFilter regions={regions.data} value={regionId} onChange={setRegionId} />
      </div>
      <RunWaveForm defaultRegion={regionId} onDone={(w) => void navigate(`/admin/waves/${w.id}`)} />
      <PagedTableCard paged={paged}>
        {(page, stale) => (
          <table className={`data-table clickable${stale ? ' is-stale' : ''}`} data-testid="waves-table">
            <thead>
              <tr>
                <th className="num">ID</th>
                <th>{t('admin.fields.regionId')}</th>
                <th>{t('fulfil.pickupDate')}</th>
                <th>{t('admin.fields.status')}</th>
                <th className="num">{t('fulfil.orders')}</th>
                <th className="num">{t('fulfil.items')}</th>
                <th className="num">{t('fulfil.waves.pos')}</th>
                <th className="num">{t('fulfil.waves.routes')}</th>
                <th className="num">{t('fulfil.waves.stops')}</th>
                <th className="num">{t('fulfil.waves.totalTime')}</th>
                <th>{t('fulfil.waves.ranAt')}</th>
              </tr>
            </thead>
            <tbody>
              <TableState colSpan={11} empty={page.items.length === 0} />
              {page.items.map((w) => (
                <tr key={w.id} onClick={() => void navigate(`/admin/waves/${w.id}`)} data-testid={`wave-row-${w.id}`}>
                  <td className="num">
                    <Link to={`/admin/waves/${w.id}`} className="link-btn">
                      {w.id}
                    </Link>
                  </td>
                  <td>{regionName(w.regionId)}</td>
                  <td>{w.pickupDate}</td>
                  <td>
                    <WaveStatusChip status={w.status} />
                  </td>
                  <td className="num">{w.orders}</td>
                  <td className="num">{w.items}</td>
                  <td className="num">{w.purchaseOrders}</td>
                  <td className="num">{w.routes}</td>
                  <td className="num">{w.stops}</td>
                  <td className="num">{formatMs(w.timings.totalMs)}</td>
                  <td>{formatTime(w.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedTableCard>
    </div>
  );
}

export function WaveStatusChip({ status }: { status: WaveSummary['status'] }) {
  const { t } = useTranslation();
  return <span className={`status wave-status-${status}`}>{t(`fulfil.waveStatus.${status}`)}</span>;
}

export const formatMs = (ms: number | undefined) => (ms === undefined ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** Cutoff for one region and pickup day. Safe to press twice: the server returns the wave already run. */
function RunWaveForm({ defaultRegion, onDone }: { defaultRegion: string; onDone: (w: WaveSummary) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const regions = useRefOptions('regions');
  const [regionId, setRegionId] = useState(defaultRegion);
  const [pickupDate, setPickupDate] = useState(chinaToday());
  const send = useIdempotentPost();
  const run = useMutation({
    mutationFn: () => send<WaveSummary>('/admin/waves', { regionId: Number(regionId), pickupDate }),
    onSuccess: (w) => {
      void qc.invalidateQueries({ queryKey: ['admin', '/admin/waves'] });
      onDone(w);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (regionId && pickupDate) run.mutate();
  };
  return (
    <form className="card run-wave" onSubmit={submit}>
      <strong>{t('fulfil.waves.runTitle')}</strong>
      <label className="filter">
        <span>{t('admin.fields.regionId')}</span>
        <select value={regionId} onChange={(e) => setRegionId(e.target.value)} required data-testid="run-wave-region">
          <option value="">{t('fulfil.choose')}</option>
          {regions.data?.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>{t('fulfil.pickupDate')}</span>
        <input type="date" value={pickupDate} onChange={(e) => setPickupDate(e.target.value)} required data-testid="run-wave-date" />
      </label>
      <button type="submit" className="btn btn-accent" disabled={!regionId || !pickupDate || run.isPending} data-testid="run-wave">
        {run.isPending ? t('fulfil.waves.running') : t('fulfil.waves.run')}
      </button>
      <span className="muted small">{t('fulfil.waves.runHint')}</span>
      <ErrorNote error={run.error} />
    </form>
  );
}

type Tab = 'summary' | 'purchaseOrders' | 'sorting' | 'routes';
const TABS: Tab[] = ['summary', 'purchaseOrders', 'sorting', 'routes'];

export function useWave(waveId: number) {
  return useQuery({
    queryKey: ['fulfil', 'wave', waveId, 'summary'],
    queryFn: ({ signal }) => get<WaveSummary>(`/admin/waves/${waveId}`, undefined, signal),
    enabled: Number.isInteger(waveId) && waveId > 0,
  });
}

export function WaveDetailPage() {
  const { t } = useTranslation();
  const waveId = Number(useParams().waveId);
  const [tab, setTab] = useState<Tab>('summary');
  const wave = useWave(waveId);
  const regionName = useNameOf('regions');

  return (
    <div className="admin-page wave-page">
      <div className="page-head no-print">
        <h1>
          <Link to="/admin/waves" className="back-link">
            ← {t('fulfil.waves.title')}
          </Link>{' '}
          {t('fulfil.waves.one', { id: waveId })}
        </h1>
        {wave.data && (
          <span className="muted">
            {regionName(wave.data.regionId)} · {t('fulfil.pickupDate')} {wave.data.pickupDate} · <WaveStatusChip status={wave.data.status} />
          </span>
        )}
      </div>
      {wave.isPending ? (
        <Loading />
      ) : wave.error ? (
        <ErrorNote error={wave.error} onRetry={() => void wave.refetch()} />
      ) : (
        <>
          <div className="tabs no-print" role="tablist">
            {TABS.map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={tab === k}
                className={`tab-btn${tab === k ? ' is-active' : ''}`}
                onClick={() => setTab(k)}
                data-testid={`wave-tab-${k}`}
              >
                {t(`fulfil.waves.tab.${k}`)}
              </button>
            ))}
          </div>
          {tab === 'summary' && <WaveSummaryPanel wave={wave.data} />}
          {tab === 'purchaseOrders' && <PurchaseOrdersPanel waveId={waveId} receiving={false} />}
          {tab === 'sorting' && (
            <SortingPanel waveId={waveId} heading={`${regionName(wave.data.regionId)} · ${t('fulfil.pickupDate')} ${wave.data.pickupDate}`} />
          )}
          {tab === 'routes' && <RoutesPanel waveId={waveId} mode="operator" />}
        </>
      )}
    </div>
  );
}

function WaveSummaryPanel({ wave }: { wave: WaveSummary }) {
  const { t } = useTranslation();
  const figures: Array<[string, number | string]> = [
    ['orders', wave.orders],
    ['items', wave.items],
    ['pos', wave.purchaseOrders],
    ['sortLines', wave.sortLines],
    ['routes', wave.routes],
    ['stops', wave.stops],
  ];
  const steps = ['freezeMs', 'purchaseMs', 'sortMs', 'routeMs'] as const;
  const colors = ['#3a7bd5', '#2e8b4e', '#f57c1f', '#8e5ad6'];
  return (
    <div className="wave-summary" data-testid="wave-summary">
      <div className="figure-grid">
        {figures.map(([k, v]) => (
          <div key={k} className="figure card">
            <span className="muted small">{t(`fulfil.waves.fig.${k}`)}</span>
            <strong>{v}</strong>
          </div>
        ))}
      </div>
      <div className="card">
        <h3>{t('fulfil.waves.timings')}</h3>
        <BarChart
          testId="wave-timings"
          format={formatMs}
          items={[
            ...steps.map((s, i) => ({ key: s, label: t(`fulfil.waves.step.${s}`), value: wave.timings[s] ?? 0, color: colors[i] })),
            { key: 'totalMs', label: t('fulfil.waves.step.totalMs'), value: wave.timings.totalMs ?? 0, color: 'var(--ink-3)' },
          ]}
        />
        <dl className="kv-inline small">
          <dt>{t('fulfil.waves.planner')}</dt>
          <dd className="mono">{wave.routePlanner}</dd>
          <dt>{t('fulfil.waves.campaigns')}</dt>
          <dd>{wave.campaignIds.map((id) => `#${id}`).join(' ') || '—'}</dd>
          <dt>{t('fulfil.waves.ranAt')}</dt>
          <dd>{formatTime(wave.createdAt)}</dd>
        </dl>
      </div>
    </div>
  );
}
