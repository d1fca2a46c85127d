// /hosts/:accountId — a host's public page (anyone may look; following needs a sign-in): who
// they are, their followers, and the trust figures with the counts behind each rate and how it
// is computed (docs/live.md, Rules → Hosts).
// Their rooms (on air, coming up, replays) are listed below, from the public room list.
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { formatCount, useHostProfile, useHostRooms, type HostProfile } from '../../../api/live';
import { RoomCard } from './LiveList';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { LangSwitch } from '../../../components/HeaderTools';
import { FollowButton, HostAvatar } from './HostFollow';
import { formatPercent, trustFigures } from './hostTrust';
import { TrustBadge } from '../../../components/TrustBadge';
import '../../../styles/shop.css';
import '../../../styles/live.css';

export default function HostPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().accountId);
  const valid = Number.isSafeInteger(id) && id > 0;
  const profile = useHostProfile(valid ? id : 0, valid);

  let body;
  if (!valid || (profile.error instanceof ApiError && profile.error.status === 404)) body = <p className="card muted" data-testid="host-not-found">{t('live.hostPage.notFound')}</p>;
  else if (profile.isPending) body = <Loading />;
  else if (profile.error) body = <ErrorNote error={profile.error} onRetry={() => void profile.refetch()} />;
  else
    body = (
      <>
        <HostHead profile={profile.data} />
        <TrustSection trust={profile.data.trust} />
        <HostRooms accountId={profile.data.accountId} />
      </>
    );

  return (
    <div className="live-page host-public" data-testid="host-page">
      <header className="live-header">
        {/* Back to the room the visitor came from; a shared link opened fresh goes to the room list. */}
        <button type="button" className="live-back live-back-button" aria-label={t('live.back')} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/shop/live'))}>
          ‹
        </button>
        <h1 className="live-header-title">{profile.data?.displayName ?? t('live.hostPage.title')}</h1>
        <LangSwitch />
      </header>
      <main className="live-main">{body}</main>
    </div>
  );
}

function HostHead({ profile }: { profile: HostProfile }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="card host-public-head" data-testid="host-head">
      <div className="host-public-row">
        <HostAvatar host={profile} className="host-public-avatar" />
        <div className="host-public-text">
          <strong className="host-public-name" data-testid="host-name">
            {profile.displayName}
            {profile.live && <span className="live-pill">{t('live.hostPage.liveNow')}</span>}
          </strong>
          <span className="muted small">
            <span data-testid="host-followers">{t('live.hostPage.followers', { n: formatCount(profile.followers, i18n.language) })}</span>
            {' · '}
            {t('live.hostPage.sessions', { count: profile.sessions })}
          </span>
        </div>
        <div className="host-public-follow">
          <FollowButton accountId={profile.accountId} />
        </div>
      </div>
      <p className={profile.persona ? 'host-public-persona' : 'host-public-persona muted'}>{profile.persona || t('live.hostPage.noPersona')}</p>
    </section>
  );
}

function HostRooms({ accountId }: { accountId: number }) {
  const { t } = useTranslation();
  const rooms = useHostRooms(accountId);
  return (
    <section className="card host-public-rooms" data-testid="host-rooms">
      <h2 className="section-title">{t('live.hostPage.rooms')}</h2>
      {rooms.data && rooms.data.length > 0 ? (
        <ul className="live-grid">
          {rooms.data.map((room) => (
            <RoomCard key={room.id} room={room} />
          ))}
        </ul>
      ) : (
        <p className="muted small">{t('live.hostPage.roomsNote')}</p>
      )}
      <Link to="/shop/live" className="small" data-testid="host-rooms-link">
        {t('live.hostPage.allRooms')}
      </Link>
    </section>
  );
}

function TrustSection({ trust }: { trust: HostProfile['trust'] }) {
  const { t } = useTranslation();
  return (
    <section className="card host-public-trust" data-testid="host-trust">
      <h2 className="section-title">
        {t('live.hostPage.trust')}
        <TrustBadge trust={trust.score != null && trust.parts && trust.computedAt ? { score: trust.score, parts: trust.parts, computedAt: trust.computedAt } : null} />
      </h2>
      <ul className="host-public-trust-list">
        {trustFigures(trust).map((f) => {
          const pct = formatPercent(f.bp);
          return (
            <li key={f.key} className="host-public-trust-row" data-testid={`host-trust-${f.key}`}>
              <div className="host-public-trust-line">
                <span className="host-public-trust-label">{t(`live.hostPage.figure.${f.key}`)}</span>
                <strong className={pct ? 'host-public-trust-value' : 'host-public-trust-value is-empty'}>{pct ?? t('live.hostPage.noData')}</strong>
                <span className="host-public-trust-counts">{t(`live.hostPage.counts.${f.key}`, { n: f.n, of: f.of })}</span>
              </div>
              <p className="muted small host-public-trust-how">{t(`live.hostPage.how.${f.key}`)}</p>
            </li>
          );
        })}
      </ul>
      <p className="muted small">{t('live.hostPage.trustNote')}</p>
    </section>
  );
}
