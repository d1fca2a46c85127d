// Delivery routes drawn on a flat projection of their points: one coloured polyline per route
// from its grid warehouse (the depot) through the stops in order and back, stops numbered.
// Shared by the operator's wave view, the warehouse and the driver's phone.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouteView } from '../api/fulfilment';
import { makeProjection, type LatLng } from './geo';

const W = 1000;
const PALETTE = ['#2e8b4e', '#3a7bd5', '#f57c1f', '#8e5ad6', '#d64545', '#0f9b9b', '#b8860b', '#c2185b', '#5d6d7e', '#6a8e23', '#1565c0', '#ef6c00'];

export const routeColor = (index: number) => PALETTE[index % PALETTE.length]!;

/** Stop numbers crowd the map when many routes are drawn; past this they show on the highlighted route only. */
const NUMBER_ALL_UP_TO = 6;

export function RouteMap({
  routes,
  selected,
  onSelect,
  height = 620,
  scale = 1,
  testId = 'route-map',
}: {
  routes: Array<Pick<RouteView, 'id' | 'name' | 'gridWarehouse' | 'stops'>>;
  selected: number | null;
  onSelect?: (id: number | null) => void;
  height?: number;
  /** Marker and label size; a phone shows the 1000-unit-wide map at a third of its size. */
  scale?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [hover, setHover] = useState<number | null>(null);
  const H = height;
  const z = scale;

  const project = useMemo(() => {
    const pts: LatLng[] = [];
    for (const r of routes) {
      pts.push(r.gridWarehouse);
      for (const s of r.stops) pts.push(s.pickupPoint);
    }
    return pts.length ? makeProjection(pts, W, H, 36 * scale) : null;
  }, [routes, H, scale]);

  if (!project || routes.length === 0) return <p className="muted empty">{t('fulfil.map.empty')}</p>;

  const focus = hover ?? selected;
  const depots = new Map<number, RouteView['gridWarehouse']>();
  for (const r of routes) depots.set(r.gridWarehouse.id, r.gridWarehouse);
  // The focused route is drawn last so it sits on top of the others.
  const order = routes.map((r, i) => ({ r, i })).sort((a, b) => Number(a.r.id === focus) - Number(b.r.id === focus));

  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="route-map"
      role="img"
      aria-label={t('fulfil.map.label')}
      data-testid={testId}
      onClick={(e) => e.target === e.currentTarget && onSelect?.(null)}
    >
      <rect width={W} height={H} className="route-map-bg" onClick={() => onSelect?.(null)} />
      {order.map(({ r, i }) => {
        const color = routeColor(i);
        const dim = focus !== null && focus !== r.id;
        const on = focus === r.id;
        const depot = project(r.gridWarehouse);
        const pts = r.stops.map((s) => project(s.pickupPoint));
        const out = [depot, ...pts].map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
        const last = pts[pts.length - 1];
        const numbered = on || routes.length <= NUMBER_ALL_UP_TO;
        return (
          <g
            key={r.id}
            className={`route-g${dim ? ' is-dim' : ''}${on ? ' is-on' : ''}`}
            data-route-id={r.id}
            onPointerEnter={() => setHover(r.id)}
            onPointerLeave={() => setHover((h) => (h === r.id ? null : h))}
            onClick={() => onSelect?.(r.id)}
          >
            <title>{`${r.name} · ${t('fulfil.map.stops', { count: r.stops.length })}`}</title>
            {/* A wide transparent stroke makes thin lines easy to hover and tap. */}
            <polyline points={out} className="route-hit" strokeWidth={16 * z} />
            <polyline points={out} className="route-line" stroke={color} strokeWidth={(on ? 4.5 : 2.6) * z} />
            {last && (
              <line x1={last.x} y1={last.y} x2={depot.x} y2={depot.y} className="route-return" stroke={color} strokeWidth={(on ? 2.4 : 1.4) * z} />
            )}
            {r.stops.map((s, k) => {
              const p = pts[k]!;
              return (
                <g key={s.seq} className="route-stop">
                  <circle cx={p.x} cy={p.y} r={(numbered ? 10 : 4.5) * z} fill="#fff" stroke={color} strokeWidth={(on ? 3 : 2) * z} />
                  {numbered && (
                    <text x={p.x} y={p.y} className="route-stop-no" dy="0.35em" fontSize={11 * z}>
                      {s.seq}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        );
      })}
      {[...depots.values()].map((d) => {
        const p = project(d);
        return (
          <g key={d.id} className="route-depot">
            <rect x={p.x - 11 * z} y={p.y - 11 * z} width={22 * z} height={22 * z} rx={4 * z} strokeWidth={2 * z} />
            <text x={p.x} y={p.y - 17 * z} className="route-depot-name" fontSize={13 * z} strokeWidth={4 * z}>
              {d.name}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A bar of crates loaded against the van's capacity; red when over. */
export function LoadBar({ load, capacity }: { load: number; capacity: number }) {
  const pct = capacity > 0 ? Math.min(100, (load / capacity) * 100) : 0;
  const over = load > capacity;
  return (
    <span className={`load-bar${over ? ' is-over' : pct > 90 ? ' is-full' : ''}`} title={`${load} / ${capacity}`}>
      <span className="load-fill" style={{ width: `${pct}%` }} />
      <span className="load-text">
        {load}/{capacity}
      </span>
    </span>
  );
}
