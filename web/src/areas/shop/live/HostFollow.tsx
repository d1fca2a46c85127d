// A host's face in a room (the chip over the player, linking to /hosts/:accountId) and the
// 关注/已关注 button shared by the chip and the host page. Following needs a sign-in: signed out,
// the button is a way to the login page that comes back here.
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useFollowHost, useHostProfile, type HostCard } from '../../../api/live';
import { useAuth } from '../../../auth/AuthContext';
import { ErrorNote } from '../../../components/ErrorNote';

/** The avatar, or the name's first character on a coloured disc when there is none. */
export function HostAvatar({ host, className = 'live-host-initial' }: { host: Pick<HostCard, 'avatarUrl' | 'displayName'>; className?: string }) {
  return host.avatarUrl ? <img src={host.avatarUrl} alt="" className={className} /> : <span className={className}>{Array.from(host.displayName)[0] ?? '?'}</span>;
}

/**
 * 关注 / 已关注. `compact` is the chip's small pill (errors show as its tooltip); otherwise a full
 * button with its error below. A host never sees it on their own page (they cannot follow
 * themselves).
 */
export function FollowButton({ accountId, compact = false }: { accountId: number; compact?: boolean }) {
  const { t } = useTranslation();
  const { account } = useAuth();
  const location = useLocation();
  const profile = useHostProfile(accountId, !!account);
  const follow = useFollowHost(accountId);
  const cls = compact ? 'live-follow' : 'btn btn-primary live-follow-full';

  if (account?.id === accountId) return null;
  if (!account)
    return (
      <Link to="/login" state={{ from: location.pathname + location.search }} className={cls} title={t('live.hostPage.followSignIn')} data-testid="host-follow-signin">
        {compact ? t('live.hostPage.follow') : t('live.hostPage.followSignIn')}
      </Link>
    );
  // Without the profile we do not know whether they already follow; say nothing rather than guess.
  if (!profile.data) return compact ? null : <button type="button" className={cls} disabled>{t('live.hostPage.follow')}</button>;

  const following = profile.data.following;
  return (
    <>
      <button
        type="button"
        className={`${cls}${following ? ' is-following' : ''}`}
        aria-pressed={following}
        data-testid="host-follow"
        disabled={follow.isPending}
        title={compact && follow.error ? follow.error.message : undefined}
        onClick={() => follow.mutate(!following)}
      >
        {following ? t('live.hostPage.following') : t('live.hostPage.follow')}
      </button>
      {!compact && <ErrorNote error={follow.error} />}
    </>
  );
}

/** The host over the room's player: a link to their page, and the follow pill beside it. */
export function HostChip({ host }: { host: HostCard }) {
  const { t } = useTranslation();
  return (
    <span className="live-host-chip" data-testid="live-host">
      <Link to={`/hosts/${host.accountId}`} className="live-host-link" title={t('live.hostPage.viewProfile')} data-testid="live-host-link">
        <HostAvatar host={host} />
        <span className="live-host-name">{host.displayName}</span>
      </Link>
      <FollowButton accountId={host.accountId} compact />
    </span>
  );
}
