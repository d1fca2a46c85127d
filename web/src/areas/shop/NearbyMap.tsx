import { useTranslation } from 'react-i18next';
import { formatDistance } from '../../api/money';
import type { Community, NearbyItem } from '../../api/types';

// Wider than tall: on a phone the list below matters more than the sketch.
const W = 340;
const H = 230;
const R_MAX = 100;

/**
 * A sketch, not a map: the community sits in the middle, each place is drawn at its true
 * bearing, and distance is scaled so the farthest place touches the outer ring.
 */
export function NearbyMap({ community, items }: { community: Community; items: NearbyItem[] }) {
  const { t } = useTranslation();
  const far = Math.max(...items.map((i) => i.distanceM), 200);
  // A round ring radius (e.g. 500 m, 1 km) reads better than an arbitrary one.
  const steps = [100, 200, 300, 500, 1000, 1500, 2000, 3000, 5000, 10000];
  const ringM = steps.find((s) => s >= far) ?? far;
  const scale = R_MAX / ringM;
  const kx = Math.cos((community.lat * Math.PI) / 180);
  const cx = W / 2;
  const cy = H / 2;
  const units = { m: t('shop.distanceM'), km: t('shop.distanceKm') };
  const pos = (it: NearbyItem) => {
    const dx = (it.lng - community.lng) * kx;
    const dy = it.lat - community.lat;
    const len = Math.hypot(dx, dy) || 1;
    const r = it.distanceM * scale;
    return { x: cx + (dx / len) * r, y: cy - (dy / len) * r };
  };
  return (
    <figure className="nearby-map">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('shop.mapLabel')}>
        <rect width={W} height={H} rx="16" className="nm-bg" />
        <circle cx={cx} cy={cy} r={R_MAX} className="nm-ring" />
        <circle cx={cx} cy={cy} r={R_MAX / 2} className="nm-ring" />
        <text x={cx + 4} y={cy - R_MAX + 12} className="nm-ring-label">
          {formatDistance(ringM, units)}
        </text>
        <text x={cx + 4} y={cy - R_MAX / 2 + 12} className="nm-ring-label">
          {formatDistance(ringM / 2, units)}
        </text>
        {items.map((it) => {
          const p = pos(it);
          return (
            <g key={`${it.kind}-${it.id}`}>
              <line x1={cx} y1={cy} x2={p.x} y2={p.y} className="nm-spoke" />
              <circle cx={p.x} cy={p.y} r="7" className={`nm-dot nm-${it.kind}`}>
                <title>{`${it.name} · ${formatDistance(it.distanceM, units)}`}</title>
              </circle>
            </g>
          );
        })}
        <circle cx={cx} cy={cy} r="10" className="nm-home" />
        <text x={cx} y={cy + 24} textAnchor="middle" className="nm-home-label">
          {community.name}
        </text>
      </svg>
      <figcaption className="nm-legend small">
        <span>
          <i className="kind-dot kind-community" /> {t('shop.you')}
        </span>
        <span>
          <i className="kind-dot kind-pickup_point" /> {t('shop.pickupPoint')}
        </span>
        <span>
          <i className="kind-dot kind-store" /> {t('shop.store')}
        </span>
      </figcaption>
    </figure>
  );
}
