// 直播 on the shop: the teaser on the home page (rooms live now and coming up) and the full
// list at /shop/live with live, scheduled and ended (replay) rooms of the resident's region.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatCount, useLiveSessions, useRegionChain, type LiveListItem, type LiveStatus } from '../../../api/live';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { formatTime } from '../../../components/time';
import { useHome } from '../queries';
import '../../../styles/live.css';

type Shown = Exclude<LiveStatus, 'cancelled'>;

export function RoomCard({ room }: { room: LiveListItem }) {
  const { t, i18n } = useTranslation();
  const host = room.host?.displayName;
  return (
    <li className="live-card" data-testid="live-room-card" data-session-id={room.id} data-status={room.status}>
      <Link to={`/live/${room.id}`} className="live-card-link">
        <div className="live-card-cover">
          {room.coverUrl ? <img src={room.coverUrl} alt="" loading="lazy" /> : <span aria-hidden="true">{Array.from(room.title)[0]}</span>}
          <span className={`live-card-state state-${room.status}`}>
            {room.status === 'live' ? t('live.status.live') : room.status === 'scheduled' ? t('live.status.scheduled') : t('live.status.replay')}
          </span>
          {room.status === 'live' && room.online !== undefined && <span className="live-card-online">{t('live.list.watching', { n: formatCount(room.online, i18n.language) })}</span>}
        </div>
        <div className="live-card-body">
          <span className="live-card-title">{room.title}</span>
          <span className="muted small">
            {host}
            {room.status === 'scheduled' && <> · {formatTime(room.scheduledAt)}</>}
            {room.status === 'ended' && room.endedAt && <> · {formatTime(room.endedAt)}</>}
          </span>
        </div>
      </Link>
    </li>
  );
}

/** The regions whose rooms a resident sees: their community's and those above it; every room without a home. */
function useMyRegions(): { ready: boolean; regionIds: number[] | null } {
  const home = useHome();
  const regionId = home.data?.community.regionId;
  const chain = useRegionChain(regionId);
  if (home.isPending) return { ready: false, regionIds: null };
  if (regionId === undefined) return { ready: true, regionIds: null };
  return { ready: chain.isSuccess || chain.isError, regionIds: chain.data ?? [regionId] };
}

/** On the shop home: live rooms first, then the next ones, with the way to the replays. */
export function LiveTeaser() {
  const { t } = useTranslation();
  const { ready, regionIds } = useMyRegions();
  const live = useLiveSessions('live', regionIds, 30_000, ready);
  const soon = useLiveSessions('scheduled', regionIds, undefined, ready);
  const rooms = [...(live.data ?? []), ...(soon.data ?? [])].slice(0, 6);
  return (
    <section className="card live-teaser" data-testid="live-teaser">
      <div className="card-head">
        <h2 className="section-title">
          {t('live.title')}
          {(live.data?.length ?? 0) > 0 && <span className="live-pill">{t('live.list.liveNow', { count: live.data?.length ?? 0 })}</span>}
        </h2>
        <Link to="/shop/live" className="small" data-testid="live-entry">
          {t('live.list.all')}
        </Link>
      </div>
      {!ready || live.isPending || soon.isPending ? (
        <Loading />
      ) : rooms.length === 0 ? (
        <p className="muted small">
          {t('live.list.noneNow')} <Link to="/shop/live?tab=ended">{t('live.list.seeReplays')}</Link>
        </p>
      ) : (
        <ul className="live-strip">
          {rooms.map((r) => (
            <RoomCard key={r.id} room={r} />
          ))}
        </ul>
      )}
    </section>
  );
}

export function LiveListPage() {
  const { t } = useTranslation();
  const { ready, regionIds } = useMyRegions();
  const initial = new URLSearchParams(window.location.search).get('tab');
  const [tab, setTab] = useState<Shown>(initial === 'ended' || initial === 'scheduled' ? initial : 'live');
  const rooms = useLiveSessions(tab, regionIds, tab === 'live' ? 15_000 : undefined, ready);
  const tabs: Shown[] = ['live', 'scheduled', 'ended'];
  return (
    <section className="card">
      <h1 className="section-title">{t('live.title')}</h1>
      <div className="chips live-list-tabs" role="tablist">
        {tabs.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={tab === s} className={`chip${tab === s ? ' is-active' : ''}`} data-testid={`live-list-${s}`} onClick={() => setTab(s)}>
            {t(`live.list.tab.${s}`)}
          </button>
        ))}
      </div>
      {!ready || rooms.isPending ? (
        <Loading />
      ) : rooms.error ? (
        <ErrorNote error={rooms.error} onRetry={() => void rooms.refetch()} />
      ) : rooms.data.length === 0 ? (
        <p className="muted empty">{t(`live.list.empty.${tab}`)}</p>
      ) : (
        <ul className="live-grid">
          {rooms.data.map((r) => (
            <RoomCard key={r.id} room={r} />
          ))}
        </ul>
      )}
    </section>
  );
}
