// A wave's delivery routes: the map, a list with van load bars, the highlighted route's stops,
// and per role the one action that matters (operator: assign a driver; warehouse: dispatch).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { useIdempotentPost, type RouteView } from '../../api/fulfilment';
import { formatDistance } from '../../api/money';
import type { Account, Page } from '../../api/types';
import { ErrorNote, Loading } from '../ErrorNote';
import { LoadBar, RouteMap, routeColor } from '../RouteMap';

export type RoutesMode = 'operator' | 'warehouse';

export function RoutesPanel({ waveId, mode }: { waveId: number; mode: RoutesMode }) {
  const { t } = useTranslation();
  const routes = useQuery({
    queryKey: ['fulfil', 'wave', waveId, 'routes'],
    queryFn: ({ signal }) => get<RouteView[]>(`/admin/waves/${waveId}/routes`, undefined, signal),
  });
  const [grid, setGrid] = useState<number | 'all' | null>(null);
  const [selected, setSelected] = useState<number | null>(null);

  const grids = useMemo(() => {
    const m = new Map<number, string>();
    for (const r of routes.data ?? []) m.set(r.gridWarehouse.id, r.gridWarehouse.name);
    return [...m.entries()].map(([id, name]) => ({ id, name }));
  }, [routes.data]);

  if (routes.isPending) return <Loading />;
  if (routes.error) return <ErrorNote error={routes.error} onRetry={() => void routes.refetch()} />;
  if (routes.data.length === 0) return <p className="muted empty">{t('fulfil.routes.none')}</p>;

  // A handful of grid warehouses fit on one map; a big city starts with the first one.
  const shownGrid = grid ?? (grids.length <= 3 ? 'all' : grids[0]!.id);
  const shown = shownGrid === 'all' ? routes.data : routes.data.filter((r) => r.gridWarehouse.id === shownGrid);
  const current = shown.find((r) => r.id === selected) ?? null;
  const units = { m: t('fulfil.units.m'), km: t('fulfil.units.km') };

  return (
    <div className="routes-panel">
      <div className="filters no-print">
        <label className="filter">
          <span>{t('fulfil.sorting.gridWarehouse')}</span>
          <select
            value={String(shownGrid)}
            data-testid="routes-grid-filter"
            onChange={(e) => {
              setGrid(e.target.value === 'all' ? 'all' : Number(e.target.value));
              setSelected(null);
            }}
          >
            <option value="all">{t('fulfil.routes.allGrids', { count: grids.length })}</option>
            {grids.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">{t('fulfil.routes.hint')}</span>
      </div>
      <div className="routes-layout">
        <div className="map-card route-map-card">
          <RouteMap routes={shown} selected={selected} onSelect={setSelected} />
        </div>
        <div className="route-list card" data-testid="route-list">
          {shown.map((r) => {
            const color = routeColor(shown.indexOf(r));
            return (
              <button
                key={r.id}
                type="button"
                className={`route-item${r.id === selected ? ' is-on' : ''}`}
                onClick={() => setSelected(r.id === selected ? null : r.id)}
                data-testid={`route-item-${r.id}`}
              >
                <span className="route-swatch" style={{ background: color }} />
                <span className="route-item-main">
                  <strong>{r.name}</strong>
                  <span className="muted small">
                    {t('fulfil.map.stops', { count: r.stops.length })} · {formatDistance(r.distanceM, units)} ·{' '}
                    {r.driver ? r.driver.displayName : t('fulfil.routes.noDriver')}
                  </span>
                </span>
                <span className="route-item-side">
                  <LoadBar load={r.loadCrates} capacity={r.capacityCrates} />
                  <span className={`status route-status-${r.status}`}>{t(`fulfil.routeStatus.${r.status}`)}</span>
                </span>
              </button>
            );
          })}
        </div>
      </div>
      {current && <RouteDetail route={current} mode={mode} waveId={waveId} />}
    </div>
  );
}

function RouteDetail({ route, mode, waveId }: { route: RouteView; mode: RoutesMode; waveId: number }) {
  const { t } = useTranslation();
  const units = { m: t('fulfil.units.m'), km: t('fulfil.units.km') };
  return (
    <div className="card route-detail" data-testid="route-detail">
      <div className="route-detail-head">
        <div>
          <h3>{route.name}</h3>
          <span className="muted small">
            {route.gridWarehouse.name} · {formatDistance(route.distanceM, units)} · {t('fulfil.routes.crates', { load: route.loadCrates, capacity: route.capacityCrates })}
          </span>
        </div>
        {mode === 'operator' ? <DriverPicker route={route} waveId={waveId} /> : <DispatchButton route={route} invalidate={['fulfil', 'wave', waveId]} />}
      </div>
      <table className="data-table compact">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>{t('fulfil.pickupPoint')}</th>
            <th>{t('fulfil.address')}</th>
            <th className="num">{t('fulfil.crates')}</th>
            <th className="num">{t('fulfil.items')}</th>
            <th className="num">{t('fulfil.orders')}</th>
          </tr>
        </thead>
        <tbody>
          {route.stops.map((s) => (
            <tr key={s.seq}>
              <td className="num">{s.seq}</td>
              <td>{s.pickupPoint.name}</td>
              <td className="clip-cell" title={s.pickupPoint.address}>
                {s.pickupPoint.address}
              </td>
              <td className="num">{s.crates}</td>
              <td className="num">{s.items}</td>
              <td className="num">{s.orders}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DriverPicker({ route, waveId }: { route: RouteView; waveId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const drivers = useQuery({
    queryKey: ['fulfil', 'drivers'],
    staleTime: 60_000,
    queryFn: ({ signal }) => get<Page<Account>>('/accounts', { role: 'driver', limit: 100 }, signal),
  });
  const [choice, setChoice] = useState<string>(route.driver ? String(route.driver.accountId) : '');
  const assign = useMutation({
    mutationFn: () => post<RouteView>(`/admin/routes/${route.id}/driver`, { driverAccountId: Number(choice) }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['fulfil', 'wave', waveId] }),
  });
  return (
    <div className="driver-picker">
      <label className="filter">
        <span>{t('fulfil.routes.driver')}</span>
        <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="driver-select" disabled={drivers.isPending}>
          <option value="">{t('fulfil.routes.chooseDriver')}</option>
          {route.driver && !drivers.data?.items.some((d) => d.id === route.driver!.accountId) && (
            <option value={route.driver.accountId}>{route.driver.displayName}</option>
          )}
          {drivers.data?.items.map((d) => (
            <option key={d.id} value={d.id}>
              {d.displayName} · {d.phone}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="btn btn-primary btn-small"
        disabled={!choice || assign.isPending || Number(choice) === route.driver?.accountId}
        onClick={() => assign.mutate()}
        data-testid="driver-assign"
      >
        {t('fulfil.routes.assign')}
      </button>
      <ErrorNote error={drivers.error ?? assign.error} />
    </div>
  );
}

/** Hand the crates to the driver: the route (and its stops' goods) leave the grid warehouse. */
export function DispatchButton({ route, invalidate }: { route: Pick<RouteView, 'id' | 'status'>; invalidate: unknown[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const send = useIdempotentPost();
  const dispatch = useMutation({
    mutationFn: () => send<RouteView>(`/routes/${route.id}/dispatch`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: invalidate }),
  });
  if (route.status !== 'planned') return <span className={`status route-status-${route.status}`}>{t(`fulfil.routeStatus.${route.status}`)}</span>;
  return (
    <div className="dispatch">
      <button
        type="button"
        className="btn btn-accent"
        disabled={dispatch.isPending}
        onClick={() => dispatch.mutate()}
        data-testid={`dispatch-${route.id}`}
      >
        {dispatch.isPending ? t('fulfil.routes.dispatching') : t('fulfil.routes.dispatch')}
      </button>
      <ErrorNote error={dispatch.error} />
    </div>
  );
}
