// 直播 in the operator back office (/admin/live): every host's sessions, each with its
// dashboard (/admin/live/:id), the viewer page and the control room (operators moderate too).
// Loaded on demand from AdminArea so the charts stay out of the rest of the back office.
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useParams } from 'react-router';
import { useHostSessions } from '../../api/live';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { DashboardPage } from './DashboardPage';
import { StatusTag } from './HostSessionsPage';
import '../../styles/live.css';

function AdminLiveList() {
  const { t } = useTranslation();
  const sessions = useHostSessions();
  if (sessions.isPending) return <Loading />;
  if (sessions.error) return <ErrorNote error={sessions.error} onRetry={() => void sessions.refetch()} />;
  const rank = { live: 0, scheduled: 1, ended: 2, cancelled: 3 } as const;
  const list = [...sessions.data].sort((a, b) => rank[a.status] - rank[b.status] || b.id - a.id);
  return (
    <section className="card" data-testid="admin-live">
      <h1 className="section-title">{t('live.title')}</h1>
      {list.length === 0 ? (
        <p className="muted">{t('live.host.noSessions')}</p>
      ) : (
        <div className="table-scroll">
          <table className="host-table">
            <thead>
              <tr>
                <th>{t('live.host.sessionTitle')}</th>
                <th>{t('live.host.hostName')}</th>
                <th>{t('live.host.state')}</th>
                <th>{t('live.host.time')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id} data-testid="admin-live-row" data-session-id={s.id}>
                  <td>{s.title}</td>
                  <td>{s.host?.displayName}</td>
                  <td>
                    <StatusTag status={s.status} />
                  </td>
                  <td>{formatTime(s.startedAt ?? s.scheduledAt)}</td>
                  <td className="host-row-actions">
                    {s.status !== 'scheduled' && s.status !== 'cancelled' && (
                      <Link to={`/admin/live/${s.id}`} className="btn btn-secondary btn-small" data-testid="admin-live-dashboard">
                        {t('live.dash.title')}
                      </Link>
                    )}
                    <Link to={`/live/${s.id}`} className="btn btn-ghost btn-small">
                      {t('live.host.viewerPage')}
                    </Link>
                    {s.status === 'live' && (
                      <Link to={`/host/sessions/${s.id}`} className="btn btn-ghost btn-small">
                        {t('live.host.controlRoom')}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AdminDashboard() {
  const id = Number(useParams().id);
  return <DashboardPage sessionId={id} backTo="/admin/live" />;
}

export default function AdminLive() {
  return (
    <Routes>
      <Route index element={<AdminLiveList />} />
      <Route path=":id" element={<AdminDashboard />} />
    </Routes>
  );
}
