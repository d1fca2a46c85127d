import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDistance } from '../../api/money';
import type { Community, NearbyItem } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { NearbyMap } from './NearbyMap';
import { useNearby } from './queries';

const COLLAPSED = 4;

export function NearbySection({ community }: { community: Community }) {
  const { t } = useTranslation();
  const nearby = useNearby(community.id);
  const units = { m: t('shop.distanceM'), km: t('shop.distanceKm') };
  const items = [...(nearby.data?.items ?? [])].sort((a, b) => a.distanceM - b.distanceM);
  // A busy compound has a dozen places within reach; the closest few are what matters first.
  const [expanded, setExpanded] = useState(false);
  const listed = expanded ? items : items.slice(0, COLLAPSED);

  return (
    <section className="card">
      <h2 className="section-title">{t('shop.nearbyTitle')}</h2>
      {nearby.isPending ? (
        <Loading />
      ) : nearby.error ? (
        <ErrorNote error={nearby.error} onRetry={() => void nearby.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted empty">{t('shop.noNearby')}</p>
      ) : (
        <>
          <NearbyMap community={community} items={items} />
          <ul className="nearby-list">
            {listed.map((it) => (
              <NearbyRow key={`${it.kind}-${it.id}`} item={it} distance={formatDistance(it.distanceM, units)} />
            ))}
          </ul>
          {items.length > COLLAPSED && (
            <button type="button" className="btn btn-ghost btn-small btn-block" onClick={() => setExpanded((e) => !e)}>
              {expanded ? t('shop.showLess') : t('shop.showAll', { count: items.length })}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function NearbyRow({ item, distance }: { item: NearbyItem; distance: string }) {
  const { t } = useTranslation();
  const units = { m: t('shop.distanceM'), km: t('shop.distanceKm') };
  const inactive = item.status && item.status !== 'active';
  return (
    <li className={`nearby-row${inactive ? ' is-inactive' : ''}`}>
      <span className={`kind-dot kind-${item.kind}`} aria-hidden="true" />
      <div className="nearby-info">
        <div className="nearby-name">
          <span className={`tag tag-${item.kind}`}>{item.kind === 'store' ? t('shop.store') : t('shop.pickupPoint')}</span>
          {item.name}
          {inactive && <span className="tag tag-muted">{t(`shop.${item.status as 'paused' | 'closed'}`)}</span>}
        </div>
        <div className="muted small">{item.address}</div>
        <div className="nearby-meta small">
          {item.opensAt && item.closesAt && <span>{t('shop.hours', { from: item.opensAt, to: item.closesAt })}</span>}
          {item.kind === 'store' && item.deliveryRadiusM ? (
            <span>{t('shop.deliveryRadius', { distance: formatDistance(item.deliveryRadiusM, units) })}</span>
          ) : null}
        </div>
      </div>
      <div className="nearby-distance">{distance}</div>
    </li>
  );
}
