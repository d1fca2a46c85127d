// 我的直播: the host's sessions by state (live first, then scheduled, then ended), each with
// its control room and dashboard. Operators see every host's sessions here.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useHostSessions, type LiveListItem, type LiveStatus } from '../../api/live';
import { useAuth } from '../../auth/AuthContext';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';

const ORDER: LiveStatus[] = ['live', 'scheduled', 'ended', 'cancelled'];

export function StatusTag({ status }: { status: LiveStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`live-status status-${status}`} data-testid="live-status" data-status={status}>
      {t(`live.status.${status}`)}
    </span>
  );
}

function SessionRow({ s, operator }: { s: LiveListItem; operator: boolean }) {
  const { t } = useTranslation();
  return (
    <li className="host-session" data-testid="host-session" data-session-id={s.id} data-status={s.status}>
      <div className="host-session-cover">{s.coverUrl ? <img src={s.coverUrl} alt="" /> : <span aria-hidden="true">{Array.from(s.title)[0]}</span>}</div>
      <div className="host-session-text">
        <div className="host-session-title">
          <StatusTag status={s.status} /> {s.title}
        </div>
        <div className="muted small">
          {operator && s.host && <>{s.host.displayName} · </>}
          {s.status === 'scheduled' && t('live.host.at', { time: formatTime(s.scheduledAt) })}
          {s.status === 'live' && t('live.host.since', { time: formatTime(s.startedAt) })}
          {s.status === 'ended' && t('live.host.endedAt', { time: formatTime(s.endedAt) })}
          {s.bagSize !== undefined && <> · {t('live.host.bagSize', { count: s.bagSize })}</>}
        </div>
      </div>
      <div className="host-session-actions">
        {s.status !== 'cancelled' && (
          <Link to={`/host/sessions/${s.id}`} className="btn btn-primary btn-small" data-testid="host-open-control">
            {s.status === 'ended' ? t('live.host.review') : t('live.host.controlRoom')}
          </Link>
        )}
        {s.status !== 'scheduled' && s.status !== 'cancelled' && (
          <Link to={`/host/sessions/${s.id}/dashboard`} className="btn btn-secondary btn-small" data-testid="host-open-dashboard">
            {t('live.dash.title')}
          </Link>
        )}
        <Link to={`/live/${s.id}`} className="btn btn-ghost btn-small">
          {t('live.host.viewerPage')}
        </Link>
      </div>
    </li>
  );
}

export function HostSessionsPage() {
  const { t } = useTranslation();
  const { account } = useAuth();
  const operator = !!account?.roles.includes('operator');
  const sessions = useHostSessions();
  return (
    <div className="host-page">
      <div className="host-page-head">
        <h1 className="section-title">{t('live.host.mySessions')}</h1>
        {account?.roles.includes('host') && (
          <Link to="/host/sessions/new" className="btn btn-primary" data-testid="host-new-session">
            {t('live.host.newSession')}
          </Link>
        )}
      </div>
      {sessions.isPending ? (
        <Loading />
      ) : sessions.error ? (
        <ErrorNote error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : sessions.data.length === 0 ? (
        <section className="card">
          <p className="muted">{t('live.host.noSessions')}</p>
        </section>
      ) : (
        ORDER.map((st) => {
          const list = sessions.data.filter((s) => s.status === st);
          if (list.length === 0) return null;
          return (
            <section key={st} className="card" data-testid={`host-sessions-${st}`}>
              <h2 className="sub-title">
                {t(`live.status.${st}`)} · {list.length}
              </h2>
              <ul className="host-sessions">
                {list.map((s) => (
                  <SessionRow key={s.id} s={s} operator={operator} />
                ))}
              </ul>
            </section>
          );
        })
      )}
    </div>
  );
}
