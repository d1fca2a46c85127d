import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { get, put } from '../../api/client';
import { formatDistance } from '../../api/money';
import type { Community, NearbyItem } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { haversineM, type LatLng } from '../../components/geo';
import { useCommunitySearch, useHome } from './queries';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/**
 * Communities nearest to a point. The API finds nearby pickup points and stores by distance;
 * their communities are the candidates, ranked by the community's own distance from us.
 */
async function nearestCommunities(at: LatLng): Promise<Array<Community & { distanceM: number }>> {
  const near = await get<{ items: NearbyItem[] }>('/nearby', { lat: at.lat, lng: at.lng, radiusM: 10_000, limit: 50 });
  const ids = [...new Set(near.items.map((i) => i.communityId).filter((id): id is number => id !== null))].slice(0, 8);
  const found = await Promise.all(ids.map((id) => get<Community>(`/communities/${id}`)));
  return found
    .map((c) => ({ ...c, distanceM: haversineM(at, c) }))
    .sort((a, b) => a.distanceM - b.distanceM)
    .slice(0, 5);
}

export function CommunityPicker() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 250);
  const search = useCommunitySearch(query);
  const home = useHome();
  const currentId = home.data?.communityId;
  const [nearby, setNearby] = useState<Array<Community & { distanceM: number }> | null>(null);
  const [locating, setLocating] = useState(false);
  const [locError, setLocError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (communityId: number) => put('/me/home', { communityId }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['me', 'home'] });
      void navigate('/shop');
    },
  });

  function locate() {
    if (!('geolocation' in navigator)) {
      setLocError(t('shop.locationFailed', { reason: 'unsupported' }));
      return;
    }
    setLocating(true);
    setLocError(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        nearestCommunities({ lat: pos.coords.latitude, lng: pos.coords.longitude })
          .then(setNearby)
          .catch((err: Error) => setLocError(t('shop.locationFailed', { reason: err.message })))
          .finally(() => setLocating(false));
      },
      (err) => {
        setLocating(false);
        setLocError(t('shop.locationFailed', { reason: err.message }));
      },
      { timeout: 10_000, maximumAge: 60_000 },
    );
  }

  const units = { m: t('shop.distanceM'), km: t('shop.distanceKm') };
  const row = (c: Community, distanceM?: number) => (
    <li key={c.id} className="pick-row">
      <div className="pick-info">
        <div className="pick-name">
          {c.name}
          {c.id === currentId && <span className="tag tag-current">{t('shop.current')}</span>}
        </div>
        <div className="muted small">
          {c.address}
          {c.households > 0 && <> · {t('shop.households', { count: c.households })}</>}
          {distanceM !== undefined && <> · {formatDistance(distanceM, units)}</>}
        </div>
      </div>
      <button
        type="button"
        className="btn btn-primary btn-small"
        disabled={save.isPending}
        onClick={() => save.mutate(c.id)}
      >
        {save.isPending && save.variables === c.id ? t('shop.saving') : t('shop.choose')}
      </button>
    </li>
  );

  return (
    <section className="card pick">
      <h1 className="section-title">{t('shop.pickTitle')}</h1>
      <p className="muted">{t('shop.pickHint')}</p>
      <div className="pick-search">
        <input
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('shop.searchPlaceholder')}
          aria-label={t('shop.searchPlaceholder')}
        />
        <button type="button" className="btn btn-secondary" onClick={locate} disabled={locating}>
          {locating ? t('shop.locating') : t('shop.useLocation')}
        </button>
      </div>
      {locError && <div className="error-note">{locError}</div>}
      <ErrorNote error={save.error} />
      {nearby && nearby.length === 0 && <p className="muted empty">{t('shop.noResults')}</p>}
      {nearby && nearby.length > 0 && (
        <>
          <h2 className="sub-title">{t('shop.nearestLabel')}</h2>
          <ul className="pick-list">{nearby.map((c) => row(c, c.distanceM))}</ul>
        </>
      )}
      {search.isPending ? (
        <Loading />
      ) : search.error ? (
        <ErrorNote error={search.error} onRetry={() => void search.refetch()} />
      ) : search.data.items.length === 0 ? (
        <p className="muted empty">{t('shop.noResults')}</p>
      ) : (
        <ul className="pick-list">{search.data.items.map((c) => row(c))}</ul>
      )}
    </section>
  );
}
