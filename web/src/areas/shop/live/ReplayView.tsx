// The replay of an ended session: the recording, the product timeline (what was presented,
// priced and sold out when; a tap seeks the video there) and the bag at the region's normal
// prices, still credited to the session.
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTimeline, type BagItem, type SessionDetail, type TimelineEvent } from '../../../api/live';
import { formatFen } from '../../../api/money';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { formatTime } from '../../../components/time';
import { BuySheet } from './BuySheet';
import { HostChip } from './HostFollow';
import { formatOffset, pinnedAt, withMyClaims } from './roomState';
import { BagList, LivePlayer } from './RoomParts';

/** Only what a shopper cares about; the start/end markers frame the list instead. */
const SHOWN: ReadonlySet<TimelineEvent['kind']> = new Set(['pinned', 'price', 'flash_started', 'flash_sold_out', 'flash_ended', 'coupon']);

export function ReplayView({ detail, shareCode }: { detail: SessionDetail; shareCode: string | null }) {
  const { t } = useTranslation();
  const s = detail.session;
  const timeline = useTimeline(s.id, true);
  const video = useRef<HTMLVideoElement | null>(null);
  const [at, setAt] = useState(0);
  const [buying, setBuying] = useState<BagItem | null>(null);
  const events = useMemo(() => [...(timeline.data?.events ?? [])].sort((a, b) => a.offsetS - b.offsetS), [timeline.data]);
  const shown = events.filter((e) => SHOWN.has(e.kind));
  const nowPinned = pinnedAt(events, at);
  const recording = timeline.data?.recordingUrl ?? s.recordingUrl;

  const seek = (e: TimelineEvent) => {
    const v = video.current;
    if (!v) return;
    v.currentTime = e.offsetS;
    setAt(e.offsetS);
    void v.play().catch(() => undefined);
  };

  const label = (e: TimelineEvent) => {
    const d = (e.detail ?? {}) as { priceFen?: number; livePriceFen?: number; amountFen?: number; quantity?: number };
    const price = d.priceFen ?? d.livePriceFen;
    switch (e.kind) {
      case 'pinned':
        return t('live.replay.pinned');
      case 'price':
        return price !== undefined ? t('live.replay.priceAt', { price: formatFen(price) }) : t('live.replay.price');
      case 'flash_started':
        return price !== undefined ? t('live.replay.flashAt', { price: formatFen(price) }) : t('live.replay.flash');
      case 'flash_sold_out':
        return t('live.replay.soldOut');
      case 'flash_ended':
        return t('live.replay.flashEnded');
      case 'coupon':
        return d.amountFen !== undefined ? t('live.replay.couponOf', { amount: formatFen(d.amountFen) }) : t('live.replay.coupon');
      default:
        return e.kind;
    }
  };

  return (
    <>
      <LivePlayer
        url={recording}
        cover={s.coverUrl}
        title={s.title}
        videoRef={video}
        autoPlay={false}
        onTime={setAt}
        overlay={
          <div className="live-overlay-top">
            {detail.host && <HostChip host={detail.host} />}
            <span className="live-replay-tag">{t('live.replay.tag')}</span>
          </div>
        }
      />
      {!recording && <p className="muted small" data-testid="live-no-recording">{t('live.replay.noRecording')}</p>}
      <p className="muted small">
        {t('live.replay.aired', { from: formatTime(s.startedAt), to: formatTime(s.endedAt) })}
      </p>

      <section className="card">
        <h2 className="section-title">{t('live.replay.timeline')}</h2>
        {timeline.isPending ? (
          <Loading />
        ) : timeline.error ? (
          <ErrorNote error={timeline.error} onRetry={() => void timeline.refetch()} />
        ) : shown.length === 0 ? (
          <p className="muted small">{t('live.replay.noEvents')}</p>
        ) : (
          <ol className="live-timeline" data-testid="live-timeline">
            {shown.map((e, i) => (
              <li key={`${e.at}-${i}`}>
                <button
                  type="button"
                  className={`live-timeline-row kind-${e.kind}${e.kind === 'pinned' && e.skuId === nowPinned ? ' is-now' : ''}`}
                  data-testid="live-timeline-event"
                  data-offset={e.offsetS}
                  disabled={!recording}
                  onClick={() => seek(e)}
                >
                  <span className="live-timeline-at mono">{formatOffset(e.offsetS)}</span>
                  <span className="live-timeline-kind">{label(e)}</span>
                  <span className="live-timeline-title">{e.title ?? (e.skuId ? `#${e.skuId}` : '')}</span>
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card">
        <h2 className="section-title">{t('live.replay.bag')}</h2>
        <p className="muted small">{t('live.replay.bagNote')}</p>
        <BagList bag={detail.bag} pinnedSkuId={nowPinned} canBuy onBuy={setBuying} buyLabel={t('live.replay.buy')} />
      </section>

      {buying && <BuySheet sessionId={s.id} item={buying} flashSale={null} coupons={withMyClaims(detail.coupons, detail.myClaims)} shareCode={shareCode} onClose={() => setBuying(null)} />}
    </>
  );
}
