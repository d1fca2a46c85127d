// The pieces of a live room that the viewer's page, the replay and the host's control room
// share: the player, product thumbnails, the pinned card, the flash sale card, the bag list and
// the likes button.
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCount, type BagItem, type FlashSale } from '../../../api/live';
import { formatFen } from '../../../api/money';
import { formatCountdown, useNow } from '../../../components/time';

type StreamKind = 'mp4' | 'hls' | 'flv' | 'other';
function streamKind(url: string): StreamKind {
  const path = url.split(/[?#]/)[0]!.toLowerCase();
  if (path.endsWith('.m3u8')) return 'hls';
  if (path.endsWith('.flv')) return 'flv';
  if (path.endsWith('.mp4') || path.endsWith('.webm') || path.endsWith('.mov')) return 'mp4';
  return 'other';
}

/**
 * The stream or the recording. MP4 plays in every browser; HLS only where the browser plays it
 * natively (Safari, iOS, WeChat on iOS, Android Chrome): hls.js would be the heaviest thing in
 * the resident bundle for the desktop browsers that lack it, so those get the cover and a note.
 * FLV needs a JavaScript demuxer no browser ships, so it is treated the same way.
 */
export function LivePlayer({
  url,
  cover,
  title,
  videoRef,
  autoPlay = true,
  overlay,
  onTime,
}: {
  onTime?: (seconds: number) => void;
  url: string | null;
  cover: string | null;
  title: string;
  videoRef?: RefObject<HTMLVideoElement | null>;
  autoPlay?: boolean;
  overlay?: ReactNode;
}) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  useEffect(() => setFailed(false), [url]);
  const kind = url ? streamKind(url) : 'other';
  const playable =
    !!url &&
    !failed &&
    (kind === 'mp4' || kind === 'other' || (kind === 'hls' && typeof document !== 'undefined' && document.createElement('video').canPlayType('application/vnd.apple.mpegurl') !== ''));
  return (
    <div className="live-player" data-testid="live-player">
      {playable ? (
        <video
          ref={videoRef}
          key={url}
          src={url}
          poster={cover ?? undefined}
          controls
          playsInline
          // Browsers start a video on their own only when it is muted; the viewer unmutes.
          muted={autoPlay}
          autoPlay={autoPlay}
          onError={() => setFailed(true)}
          onTimeUpdate={onTime ? (e) => onTime(e.currentTarget.currentTime) : undefined}
          data-testid="live-video"
        />
      ) : (
        <div className="live-cover" data-testid="live-cover">
          {cover ? <img src={cover} alt="" /> : <span className="live-cover-title">{title}</span>}
          {url && (
            <p className="live-cover-note" data-testid="live-unplayable">
              {failed ? t('live.player.failed') : kind === 'flv' ? t('live.player.noFlv') : t('live.player.noHls')}
            </p>
          )}
        </div>
      )}
      {overlay}
    </div>
  );
}

const TINTS = ['#fff3e0', '#e8f5e9', '#e3f2fd', '#fce4ec', '#f3e5f5', '#fffde7', '#e0f2f1'];
export function Thumb({ item, size = 64 }: { item: Pick<BagItem, 'imageUrl' | 'title' | 'skuId'>; size?: number }) {
  return (
    <div className="live-thumb" style={{ width: size, height: size, background: TINTS[item.skuId % TINTS.length] }}>
      {item.imageUrl ? <img src={item.imageUrl} alt="" loading="lazy" /> : <span aria-hidden="true">{Array.from(item.title)[0]}</span>}
    </div>
  );
}

/** Price line: what is paid now, and the normal price struck through when it is lower. */
export function PriceLine({ item, priceFen }: { item: BagItem; priceFen?: number }) {
  const { t } = useTranslation();
  const pay = priceFen ?? item.priceFen;
  const was = item.normalPriceFen;
  if (pay === null) return <span className="muted small">{t('live.room.notOnSale')}</span>;
  return (
    <span className="live-price-line">
      <span className="price">{formatFen(pay)}</span>
      {was !== null && was > pay && (
        <s className="price-was small" title={t('live.room.normalPrice')}>
          {formatFen(was)}
        </s>
      )}
    </span>
  );
}

/** The product being presented (讲解中): appears, changes and goes as the host pins. */
/** Can this bag item be bought now (on sale, priced, in stock)? */
export function buyable(item: BagItem): boolean {
  return item.onSale && item.priceFen !== null && item.available > 0;
}

export function PinnedCard({ item, onOpen, onBuy, canBuy }: { item: BagItem; onOpen?: () => void; onBuy: () => void; canBuy: boolean }) {
  const { t } = useTranslation();
  const soldOut = item.available <= 0;
  return (
    <section className="live-pinned" data-testid="live-pinned-card" data-sku-id={item.skuId}>
      <button type="button" className="live-pinned-main" onClick={onOpen}>
        <Thumb item={item} size={68} />
        <span className="live-pinned-text">
          <span className="live-badge live-badge-pin">{t('live.room.presenting')}</span>
          <span className="live-item-title">{item.title}</span>
          {item.spec && <span className="muted small">{item.spec}</span>}
          <PriceLine item={item} />
        </span>
      </button>
      <button type="button" className="btn btn-accent live-buy" data-testid="live-buy" disabled={!canBuy || !buyable(item)} onClick={onBuy}>
        {soldOut ? t('live.room.soldOut') : t('live.room.buy')}
      </button>
    </section>
  );
}

/** 秒杀: price, countdown to its end, units left as a bar, and the buy button. */
export function FlashCard({ sale, item, onBuy, canBuy }: { sale: FlashSale; item: BagItem | undefined; onBuy: () => void; canBuy: boolean }) {
  const { t } = useTranslation();
  const open = sale.status === 'open';
  const now = useNow(250, open);
  const leftMs = new Date(sale.endsAt).getTime() - now;
  const available = sale.available ?? sale.quantity;
  const soldPct = sale.quantity > 0 ? Math.round(((sale.quantity - available) / sale.quantity) * 100) : 100;
  const ended = sale.status === 'ended' || (open && leftMs <= 0);
  const soldOut = sale.status === 'sold_out' || (open && available <= 0);
  const title = item?.title ?? sale.title ?? `#${sale.skuId}`;
  return (
    <section className={`live-flash${ended || soldOut ? ' is-over' : ''}`} data-testid="live-flash-card" data-status={soldOut ? 'sold_out' : ended ? 'ended' : 'open'}>
      <div className="live-flash-head">
        <span className="live-flash-tag">{t('live.flash.tag')}</span>
        <span className="live-flash-clock" data-testid="live-flash-countdown" aria-live="off">
          {soldOut ? t('live.flash.soldOut') : ended ? t('live.flash.ended') : t('live.flash.endsIn', { time: formatCountdown(leftMs) })}
        </span>
      </div>
      <div className="live-flash-body">
        {item && <Thumb item={item} size={56} />}
        <div className="live-flash-text">
          <span className="live-item-title">{title}</span>
          <span className="live-price-line">
            <span className="price live-flash-price">{formatFen(sale.priceFen)}</span>
            {item && item.livePriceFen > sale.priceFen && <s className="price-was small">{formatFen(item.livePriceFen)}</s>}
          </span>
          <span className="muted small">{t('live.flash.limit', { count: sale.limitPerPerson })}</span>
        </div>
        <button type="button" className="btn btn-accent" data-testid="live-flash-buy" disabled={!canBuy || ended || soldOut} onClick={onBuy}>
          {t('live.flash.grab')}
        </button>
      </div>
      <div className="live-stock" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={soldPct} aria-label={t('live.flash.sold', { pct: soldPct })}>
        <div className="live-stock-fill" style={{ width: `${soldPct}%` }} />
        <span className="live-stock-text" data-testid="live-flash-left">
          {t('live.flash.left', { left: Math.max(0, available), total: sale.quantity })}
        </span>
      </div>
    </section>
  );
}

/** The product bag (购物袋): every item with its price now and a buy button. */
export function BagList({
  bag,
  pinnedSkuId,
  onBuy,
  canBuy,
  onOpen,
  buyLabel,
}: {
  /** The button's word: 去抢购 in the room, 购买 in the replay. */
  buyLabel?: string;
  bag: BagItem[];
  pinnedSkuId: number | null;
  onBuy: (item: BagItem) => void;
  canBuy: boolean;
  onOpen?: (item: BagItem) => void;
}) {
  const { t } = useTranslation();
  if (bag.length === 0) return <p className="muted small">{t('live.room.emptyBag')}</p>;
  return (
    <ol className="live-bag" data-testid="live-bag">
      {bag.map((item, i) => (
        <li key={item.skuId} className={`live-bag-row${item.skuId === pinnedSkuId ? ' is-pinned' : ''}`} data-testid="live-bag-item" data-sku-id={item.skuId}>
          <span className="live-bag-no">{i + 1}</span>
          <button type="button" className="live-bag-main" onClick={() => onOpen?.(item)}>
            <Thumb item={item} size={52} />
            <span className="live-bag-text">
              <span className="live-item-title">{item.title}</span>
              <span className="muted small">
                {item.spec}
                {item.limitPerPerson !== null && <> · {t('live.room.limit', { count: item.limitPerPerson })}</>}
              </span>
              <PriceLine item={item} />
            </span>
          </button>
          <button type="button" className="btn btn-primary btn-small" data-testid="live-bag-buy" disabled={!canBuy || !buyable(item)} onClick={() => onBuy(item)}>
            {item.available <= 0 ? t('live.room.soldOut') : (buyLabel ?? t('live.room.buy'))}
          </button>
        </li>
      ))}
    </ol>
  );
}

/** ♥ with the room's total; each tap floats a small heart up and is counted at once. */
export function LikeButton({ total, onLike }: { total: number; onLike: () => void }) {
  const { t, i18n } = useTranslation();
  const [hearts, setHearts] = useState<number[]>([]);
  const next = useRef(0);
  return (
    <div className="live-like">
      {hearts.map((h) => (
        <span key={h} className="live-heart" style={{ left: `${(h * 37) % 24}px` }} onAnimationEnd={() => setHearts((hs) => hs.filter((x) => x !== h))} aria-hidden="true">
          ♥
        </span>
      ))}
      <button
        type="button"
        className="live-like-btn"
        data-testid="live-like"
        aria-label={t('live.room.like')}
        onClick={() => {
          onLike();
          const id = (next.current += 1);
          setHearts((hs) => [...hs.slice(-11), id]);
        }}
      >
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
          <path fill="currentColor" d="M12 21s-7.5-4.6-9.6-9.3C.9 8.3 3 4.5 6.6 4.5c2.1 0 3.6 1.2 4.4 2.6.8-1.4 2.3-2.6 4.4-2.6 3.6 0 5.7 3.8 4.2 7.2C19.5 16.4 12 21 12 21z" />
        </svg>
      </button>
      <span className="live-like-count" data-testid="live-like-count">
        {formatCount(total, i18n.language)}
      </span>
    </div>
  );
}

export function ViewerBadge({ online, live }: { online: number; live: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <span className={`live-viewers${live ? ' is-live' : ''}`} data-testid="live-viewers">
      {live && <span className="live-dot-red" aria-hidden="true" />}
      {live ? t('live.room.watching', { count: online, n: formatCount(online, i18n.language) }) : t('live.status.notLive')}
    </span>
  );
}
