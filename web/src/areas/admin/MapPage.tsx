import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { MapDot, MapKind, PlaceMap } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { makeProjection } from '../../components/geo';
import { useRefOptions } from './lookups';
import { MAP_KINDS, supplyLines, toDots } from './mapData';
import { RegionFilter } from './filters';

const W = 1000;
const H = 640;
const RADIUS: Record<MapKind, number> = { community: 5, pickup_point: 4.5, store: 5, warehouse: 8 };
interface View {
  k: number;
  x: number;
  y: number;
}
const HOME: View = { k: 1, x: 0, y: 0 };

export function MapPage() {
  const { t } = useTranslation();
  const [regionId, setRegionId] = useState('');
  const [shown, setShown] = useState<Record<MapKind, boolean>>({ community: true, pickup_point: true, store: true, warehouse: true });
  const regions = useRefOptions('regions');
  const map = useQuery({
    queryKey: ['admin', 'map', regionId],
    queryFn: ({ signal }) => get<PlaceMap>('/map', { regionId }, signal),
  });

  const counts = useMemo(() => {
    const c: Record<MapKind, number> = { community: 0, pickup_point: 0, store: 0, warehouse: 0 };
    for (const d of map.data ? toDots(map.data) : []) c[d.kind]++;
    return c;
  }, [map.data]);

  return (
    <div className="admin-page map-page">
      <div className="page-head">
        <h1>{t('admin.titles.map')}</h1>
        <RegionFilter regions={regions.data} value={regionId} onChange={setRegionId} />
      </div>
      <div className="map-layout">
        <div className="map-card">
          {map.isPending ? (
            <Loading />
          ) : map.error ? (
            <ErrorNote error={map.error} onRetry={() => void map.refetch()} />
          ) : (
            <PlaceCanvas key={regionId} data={map.data} shown={shown} />
          )}
        </div>
        <aside className="map-legend card">
          <h2>{t('admin.map.legend')}</h2>
          {MAP_KINDS.map((k) => (
            <label key={k} className="legend-row">
              <input type="checkbox" checked={shown[k]} onChange={(e) => setShown((s) => ({ ...s, [k]: e.target.checked }))} />
              <span className={`kind-dot kind-${k}`} />
              <span className="legend-name">{t(`admin.map.${k}`)}</span>
              <span className="muted small">{counts[k]}</span>
            </label>
          ))}
          <p className="muted small">{t('admin.map.hint')}</p>
        </aside>
      </div>
    </div>
  );
}

function PlaceCanvas({ data, shown }: { data: PlaceMap; shown: Record<MapKind, boolean> }) {
  const { t } = useTranslation();
  const svgRef = useRef<SVGSVGElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>(HOME);
  const [hover, setHover] = useState<{ dot: MapDot; x: number; y: number } | null>(null);
  const drag = useRef<{ px: number; py: number; view: View } | null>(null);
  const [dragging, setDragging] = useState(false);

  const dots = useMemo(() => toDots(data), [data]);
  const lines = useMemo(() => supplyLines(data), [data]);
  const project = useMemo(() => (dots.length ? makeProjection(dots, W, H, 40) : null), [dots]);

  /** Client pixels → SVG user units (the viewBox scales with the element's size). */
  const toSvg = (clientX: number, clientY: number) => {
    const svg = svgRef.current;
    const ctm = svg?.getScreenCTM();
    if (!svg || !ctm) return { x: 0, y: 0 };
    const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
    return { x: p.x, y: p.y };
  };

  // A native, non-passive listener: React's onWheel cannot stop the page from scrolling.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const ctm = svg.getScreenCTM();
      if (!ctm) return;
      const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
      const factor = Math.exp(-e.deltaY * 0.0015);
      setView((v) => {
        const k = Math.min(40, Math.max(0.5, v.k * factor));
        // Keep the point under the cursor fixed while zooming.
        return { k, x: p.x - ((p.x - v.x) * k) / v.k, y: p.y - ((p.y - v.y) * k) / v.k };
      });
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, []);

  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    const p = toSvg(e.clientX, e.clientY);
    drag.current = { px: p.x, py: p.y, view };
    setDragging(true);
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d) return;
    const p = toSvg(e.clientX, e.clientY);
    setView({ k: d.view.k, x: d.view.x + p.x - d.px, y: d.view.y + p.y - d.py });
  };
  const endDrag = () => {
    drag.current = null;
    setDragging(false);
  };

  if (!project) return <p className="muted empty">{t('admin.map.noData')}</p>;
  const k = view.k;
  const visible = dots.filter((d) => shown[d.kind]);

  return (
    <div className="map-canvas" ref={wrapRef}>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        className={`place-map${dragging ? ' is-dragging' : ''}`}
        role="img"
        aria-label={t('admin.titles.map')}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onPointerLeave={() => setHover(null)}
      >
        <rect width={W} height={H} className="map-bg" />
        <MapGrid view={view} />
        <g transform={`translate(${view.x} ${view.y}) scale(${k})`}>
          {shown.warehouse &&
            lines.map(([a, b]) => {
              const pa = project(a);
              const pb = project(b);
              return <line key={`${a.id}-${b.id}`} x1={pa.x} y1={pa.y} x2={pb.x} y2={pb.y} className="supply-line" strokeWidth={1.2 / k} />;
            })}
          {visible.map((d) => {
            const p = project(d);
            const central = d.kind === 'warehouse' && d.sub === 'central';
            const r = (central ? RADIUS.warehouse * 1.5 : RADIUS[d.kind]) / Math.sqrt(k);
            return (
              <circle
                key={`${d.kind}-${d.id}`}
                cx={p.x}
                cy={p.y}
                r={r}
                strokeWidth={1 / Math.sqrt(k)}
                className={`map-dot dot-${d.kind}${central ? ' dot-central' : ''}${hover?.dot === d ? ' is-hover' : ''}`}
                data-kind={d.kind}
                onPointerEnter={(e) => {
                  const rect = wrapRef.current?.getBoundingClientRect();
                  if (rect) setHover({ dot: d, x: e.clientX - rect.left, y: e.clientY - rect.top });
                }}
                onPointerLeave={() => setHover((h) => (h?.dot === d ? null : h))}
              />
            );
          })}
        </g>
      </svg>
      <div className="map-tools">
        <span className="muted small">{t('admin.map.dots', { count: visible.length })}</span>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setView(HOME)}>
          {t('admin.map.resetView')}
        </button>
      </div>
      {hover && (
        <div className="map-tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          <span className={`kind-dot kind-${hover.dot.kind}`} />
          <strong>{hover.dot.name}</strong>
          <span className="muted small">
            {t(`admin.map.${hover.dot.kind}`)}
            {hover.dot.kind === 'warehouse' && hover.dot.sub ? ` · ${t(`admin.kinds.${hover.dot.sub}`)}` : ''}
            {hover.dot.kind !== 'warehouse' && hover.dot.kind !== 'community' && hover.dot.sub
              ? ` · ${t(`admin.status.${hover.dot.sub}`)}`
              : ''}{' '}
            #{hover.dot.id}
          </span>
        </div>
      )}
    </div>
  );
}

/** A faint graticule that pans and zooms with the map, so movement is visible on empty areas. */
function MapGrid({ view }: { view: View }) {
  const step = 80 * view.k;
  const ox = ((view.x % step) + step) % step;
  const oy = ((view.y % step) + step) % step;
  const xs: number[] = [];
  const ys: number[] = [];
  if (step > 8) {
    for (let x = ox; x < W; x += step) xs.push(x);
    for (let y = oy; y < H; y += step) ys.push(y);
  }
  return (
    <g className="map-grid">
      {xs.map((x) => (
        <line key={`x${x}`} x1={x} y1={0} x2={x} y2={H} />
      ))}
      {ys.map((y) => (
        <line key={`y${y}`} x1={0} y1={y} x2={W} y2={y} />
      ))}
    </g>
  );
}
