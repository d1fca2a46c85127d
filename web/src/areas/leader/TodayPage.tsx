import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LeaderOverview } from '../../api/groupbuy';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { ShareButton } from '../../components/SharePoster';
import { formatCountdown, useNow } from '../../components/time';
import { pickupDayLabel } from '../shop/groupbuy/dates';
import { useRelay } from '../shop/groupbuy/queries';
import { RelayEntries, RelayTotals, topItems } from '../shop/groupbuy/RelayList';
import { LeaderTrustLine } from './LeaderTrust';

/** 今日: the point's relay list for the open campaign, its figures, and sharing it. */
export function TodayPage({ me }: { me: LeaderOverview }) {
  const { t } = useTranslation();
  const p = me.pickupPoint;
  const relay = useRelay(p.id);
  const now = useNow(1000);
  const r = relay.data;
  const c = r?.campaign ?? null;
  const left = c ? new Date(c.cutoffAt).getTime() - now : 0;
  return (
    <>
      <section className="gb-point leader-hero" data-testid="leader-point" data-point-id={p.id}>
        <div className="gb-point-main">
          <div className="eyebrow">
            {me.realName}
            {me.level && <> · {me.level.name}</>}
          </div>
          <div className="gb-point-name">{p.name}</div>
          <div className="gb-point-meta">
            {p.address} · {t('shop.hours', { from: p.opensAt, to: p.closesAt })}
          </div>
          <div className="gb-point-meta">{t('leader.residents', { count: me.residents })}</div>
          <LeaderTrustLine />
        </div>
      </section>

      {relay.isPending ? (
        <Loading />
      ) : relay.error ? (
        <ErrorNote error={relay.error} onRetry={() => void relay.refetch()} />
      ) : (
        r && (
          <>
            <section className="card">
              <div className="card-head">
                <h2 className="section-title">{c ? c.title : t('groupbuy.noCampaignNow')}</h2>
                {c && <span className="gb-pickup-day">{pickupDayLabel(t, c.pickupDate, now)}</span>}
              </div>
              {c && (
                <div className={`gb-cutoff${left <= 0 ? ' is-closed' : ''}`}>
                  {left <= 0 ? t('groupbuy.cutoffPassed') : t('groupbuy.cutoffIn', { time: formatCountdown(left) })}
                </div>
              )}
              <RelayTotals relay={r} />
              <div className="relay-actions">
                <ShareButton
                  target={{ targetType: 'pickup_point', targetId: p.id, actorType: 'leader', actorId: me.accountId }}
                  poster={{
                    title: c?.title ?? p.name,
                    subtitle: c ? `${pickupDayLabel(t, c.pickupDate)} · ${t('groupbuy.leaderName', { name: me.realName })}` : undefined,
                    items: topItems(r),
                    pointName: p.name,
                    pointAddress: p.address,
                  }}
                />
                <Link to="/leader/pickup" className="btn btn-accent btn-small">
                  {t('leader.tab.pickup')}
                </Link>
                <Link to="/leader/arrival" className="btn btn-secondary btn-small">
                  {t('leader.tab.arrival')}
                </Link>
              </div>
            </section>
            <section className="card">
              <h2 className="section-title">{t('groupbuy.entries', { count: r.entries.length })}</h2>
              <RelayEntries relay={r} />
            </section>
          </>
        )
      )}
    </>
  );
}
