import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { put } from '../../../api/client';
import type { MyPickupPoint } from '../../../api/groupbuy';
import { Link, useParams } from 'react-router';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { ShareButton } from '../../../components/SharePoster';
import { formatTime } from '../../../components/time';
import { pickupDayLabel } from './dates';
import { useMyPickupPoint, useRelay } from './queries';
import { RelayEntries, RelayTotals, topItems } from './RelayList';

/** 接龙: who at this pickup point joined the campaign, numbered, and a way to share it. */
export function RelayPage() {
  const { t } = useTranslation();
  const pointId = Number(useParams().pickupPointId);
  const relay = useRelay(pointId);
  const mine = useMyPickupPoint();
  const qc = useQueryClient();
  // Someone who came through a shared link may not collect here yet: offer this point.
  const bind = useMutation({
    mutationFn: () => put<MyPickupPoint>('/me/pickup-point', { pickupPointId: pointId }),
    onSuccess: (next) => {
      qc.setQueryData(['me', 'pickup-point'], next);
      void qc.invalidateQueries({ queryKey: ['campaigns', 'today'] });
    },
  });
  if (relay.isPending) return <Loading />;
  if (relay.error) return <ErrorNote error={relay.error} onRetry={() => void relay.refetch()} />;
  const r = relay.data;
  const c = r.campaign;
  return (
    <>
      <div className="back-row">
        <Link to="/shop/groupbuy" className="small">
          ← {t('groupbuy.todayTitle')}
        </Link>
      </div>
      <section className="gb-point relay-hero">
        <div className="gb-point-main">
          <div className="eyebrow">{t('groupbuy.relayTitle')}</div>
          <div className="gb-point-name">{c ? c.title : t('groupbuy.noCampaignNow')}</div>
          <div className="gb-point-meta">
            {r.pickupPoint.name}
            {r.leader && <> · {t('groupbuy.leaderName', { name: r.leader.displayName })}</>}
          </div>
          {c && (
            <div className="gb-point-meta">
              {t('groupbuy.cutoffAt', { time: formatTime(c.cutoffAt) })} · {pickupDayLabel(t, c.pickupDate)}
            </div>
          )}
        </div>
      </section>
      {mine.data && mine.data.pickupPoint?.id !== pointId && (
        <section className="card gb-bind-here">
          <p className="small">
            {mine.data.pickupPoint ? t('groupbuy.otherPoint', { name: mine.data.pickupPoint.name }) : t('groupbuy.noPointYet')}
          </p>
          <button
            type="button"
            className="btn btn-primary btn-small"
            data-testid="bind-this-point"
            disabled={bind.isPending || (mine.data.pickupPoint !== null && mine.data.switchesLeft <= 0)}
            onClick={() => bind.mutate()}
          >
            {t('groupbuy.bindHere')}
          </button>
          <ErrorNote error={bind.error} />
        </section>
      )}
      <section className="card">
        <RelayTotals relay={r} />
        <div className="relay-actions">
          <ShareButton
            target={c ? { targetType: 'campaign', targetId: c.id } : { targetType: 'pickup_point', targetId: r.pickupPoint.id }}
            poster={{
              title: c?.title ?? r.pickupPoint.name,
              subtitle: c ? pickupDayLabel(t, c.pickupDate) : undefined,
              items: topItems(r),
              pointName: r.pickupPoint.name,
              pointAddress: r.pickupPoint.address,
            }}
          />
          <Link to="/shop/groupbuy" className="btn btn-accent btn-small" data-testid="join-relay">
            {t('groupbuy.join')}
          </Link>
        </div>
      </section>
      <section className="card">
        <h2 className="section-title">{t('groupbuy.entries', { count: r.entries.length })}</h2>
        <RelayEntries relay={r} />
      </section>
    </>
  );
}
