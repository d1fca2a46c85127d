// /live/:id — a live room for residents (anyone may watch; chat, likes and buying need a
// sign-in). Scheduled: the cover and when it starts. Live: the stream, what is being presented,
// the flash sale, coupons, chat and the bag. Ended: the replay (ReplayView).
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../../api/client';
import { useSessionDetail, type BagItem, type SessionDetail } from '../../../api/live';
import { useAuth } from '../../../auth/AuthContext';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { LangSwitch } from '../../../components/HeaderTools';
import { formatCountdown, formatTime, useNow } from '../../../components/time';
import { BuySheet } from './BuySheet';
import { CouponStrip } from './Coupons';
import { withMyClaims } from './roomState';
import { ChatPanel } from './ChatPanel';
import { HostChip } from './HostFollow';
import { LiveShareButton } from './LiveShareButton';
import { ReplayView } from './ReplayView';
import { BagList, FlashCard, LikeButton, LivePlayer, PinnedCard, ViewerBadge } from './RoomParts';
import { useLiveRoom } from './useLiveRoom';
import '../../../styles/shop.css';
import '../../../styles/groupbuy.css';
import '../../../styles/live.css';

/** The share code a viewer arrived with (/live/:id?s=CODE), kept per room for the tab. */
function useShareCode(sessionId: number): string | null {
  const [params] = useSearchParams();
  const fromUrl = params.get('s');
  const key = `linli.live.share.${sessionId}`;
  return useMemo(() => {
    try {
      if (fromUrl) sessionStorage.setItem(key, fromUrl);
      return fromUrl ?? sessionStorage.getItem(key);
    } catch {
      return fromUrl;
    }
  }, [fromUrl, key]);
}

export default function LiveRoomPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const valid = Number.isSafeInteger(id) && id > 0;
  const [pollMs, setPollMs] = useState<number | false>(false);
  const detail = useSessionDetail(valid ? id : 0, pollMs);
  const status = detail.data?.session.status;
  // A scheduled room is re-read now and then so it turns live without a reload; a live one
  // rarely (the room's messages carry the changes), an ended one never.
  useEffect(() => setPollMs(status === 'scheduled' ? 10_000 : status === 'live' ? 30_000 : false), [status]);
  const shareCode = useShareCode(id);

  let body;
  if (!valid) body = <ErrorNote error={new ApiError(404, 'not_found', 'no such room')} />;
  else if (detail.isPending) body = <Loading />;
  else if (detail.error) body = <ErrorNote error={detail.error} onRetry={() => void detail.refetch()} />;
  else if (detail.data.session.status === 'ended') body = <ReplayView detail={detail.data} shareCode={shareCode} />;
  else if (detail.data.session.status === 'cancelled')
    body = (
      <section className="card" data-testid="live-cancelled">
        <h1 className="section-title">{detail.data.session.title}</h1>
        <p className="muted">{t('live.room.cancelled')}</p>
      </section>
    );
  else body = <LiveView detail={detail.data} shareCode={shareCode} />;

  return (
    <div className="live-page">
      <header className="live-header">
        <Link to="/shop/live" className="live-back" aria-label={t('live.back')}>
          ‹
        </Link>
        <h1 className="live-header-title">{detail.data?.session.title ?? t('live.title')}</h1>
        {detail.data && <LiveShareButton sessionId={id} title={detail.data.session.title} hostAccountId={detail.data.session.hostAccountId} />}
        <LangSwitch />
      </header>
      <main className="live-main">{body}</main>
    </div>
  );
}

function LiveView({ detail, shareCode }: { detail: SessionDetail; shareCode: string | null }) {
  const { t } = useTranslation();
  const { account } = useAuth();
  const s = detail.session;
  const live = s.status === 'live';
  const room = useLiveRoom(s.id, true);
  const [tab, setTab] = useState<'chat' | 'bag'>('chat');
  const [buying, setBuying] = useState<{ item: BagItem; flash: boolean } | null>(null);
  const now = useNow(1000, s.status === 'scheduled');

  const pin = room.synced ? room.pin : detail.pin;
  const flash = room.synced ? room.flashSale : detail.flashSale;
  const coupons = withMyClaims(room.synced ? room.coupons : detail.coupons, detail.myClaims);
  const bag = detail.bag;
  const pinned = pin ? bag.find((b) => b.skuId === pin.skuId) : undefined;
  const flashItem = flash ? bag.find((b) => b.skuId === flash.skuId) : undefined;
  const lastOrder = room.orders[0];

  const open = (item: BagItem) => room.sendClick(item.skuId);
  const buy = (item: BagItem, isFlash = false) => {
    room.sendClick(item.skuId);
    setBuying({ item, flash: isFlash });
  };

  return (
    <>
      <LivePlayer
        url={live ? s.streamUrl : null}
        cover={s.coverUrl}
        title={s.title}
        overlay={
          <>
            <div className="live-overlay-top">
              {detail.host && <HostChip host={detail.host} />}
              <ViewerBadge online={room.online} live={live} />
            </div>
            {live && (
              <div className="live-overlay-side">
                <LikeButton total={room.likes} onLike={room.like} />
              </div>
            )}
            {lastOrder && live && (
              <div className="live-order-toast" key={`${lastOrder.at}-${lastOrder.name}`} data-testid="live-order-toast">
                {t('live.room.justBought', { name: lastOrder.name, title: lastOrder.title, count: lastOrder.quantity })}
              </div>
            )}
          </>
        }
      />

      {s.status === 'scheduled' && (
        <section className="card live-soon" data-testid="live-scheduled">
          <strong>{t('live.room.startsAt', { time: formatTime(s.scheduledAt) })}</strong>
          {new Date(s.scheduledAt).getTime() > now && <span className="muted small">{t('live.room.startsIn', { time: formatCountdown(new Date(s.scheduledAt).getTime() - now) })}</span>}
        </section>
      )}

      {flash && <FlashCard sale={flash} item={flashItem} canBuy={live} onBuy={() => flashItem && buy(flashItem, true)} />}
      {pinned && <PinnedCard item={pinned} canBuy={live} onOpen={() => open(pinned)} onBuy={() => buy(pinned)} />}
      <CouponStrip coupons={coupons} sessionId={s.id} onClaimed={room.patchCoupon} />

      <div className="live-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'chat'} className={`live-tab${tab === 'chat' ? ' is-active' : ''}`} onClick={() => setTab('chat')}>
          {t('live.chat.title')}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'bag'} className={`live-tab${tab === 'bag' ? ' is-active' : ''}`} data-testid="live-tab-bag" onClick={() => setTab('bag')}>
          {t('live.room.bag', { count: bag.length })}
        </button>
      </div>
      {tab === 'chat' ? (
        <ChatPanel messages={room.chat} onSend={room.sendChat} error={room.error} clearError={room.clearError} canChat={!!account} connected={room.connected} />
      ) : (
        <BagList bag={bag} pinnedSkuId={pin?.skuId ?? null} canBuy={live} onBuy={(item) => buy(item)} onOpen={open} />
      )}

      {buying && (
        <BuySheet
          sessionId={s.id}
          item={buying.item}
          flashSale={buying.flash ? flash : null}
          coupons={coupons}
          shareCode={shareCode}
          onClose={() => setBuying(null)}
        />
      )}
    </>
  );
}
