// Sharing a relay list or a campaign to a chat group: make a share link (POST /api/share-links),
// then show a poster card with its QR, copy the link, or save the poster as a PNG drawn on a
// canvas (no screenshot library needed).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../api/client';
import { ErrorNote } from './ErrorNote';
import { drawQr, QrCode } from './QrCode';

export interface ShareTarget {
  targetType: 'pickup_point' | 'campaign';
  targetId: number;
  actorType?: 'leader';
  actorId?: number;
}

export interface PosterContent {
  title: string;
  subtitle?: string;
  items: string[];
  pointName: string;
  pointAddress: string;
}

interface Created {
  code: string;
  url: string;
}

export function ShareButton({ target, poster, className }: { target: ShareTarget; poster: PosterContent; className?: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const make = useMutation({
    mutationFn: () => post<Created>('/share-links', target),
    onSuccess: () => setOpen(true),
  });
  return (
    <>
      <button
        type="button"
        className={className ?? 'btn btn-primary btn-small'}
        data-testid="share-button"
        disabled={make.isPending}
        onClick={() => (make.data ? setOpen(true) : make.mutate())}
      >
        {make.isPending ? t('groupbuy.share.making') : t('groupbuy.share.button')}
      </button>
      <ErrorNote error={make.error} />
      {open && make.data && <ShareSheet link={make.data} poster={poster} onClose={() => setOpen(false)} />}
    </>
  );
}

function ShareSheet({ link, poster, onClose }: { link: Created; poster: PosterContent; onClose: () => void }) {
  const { t } = useTranslation();
  const [svgFailed, setSvgFailed] = useState(false);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard
      ?.writeText(link.url)
      .then(() => setCopied(true))
      .catch(() => setCopied(false));
  };
  return (
    <div className="sheet-backdrop" role="dialog" aria-modal="true" aria-label={t('groupbuy.share.title')} onClick={onClose}>
      <div className="sheet" onClick={(e) => e.stopPropagation()}>
        <div className="poster" data-testid="share-poster" data-share-code={link.code}>
          <div className="poster-head">
            <div className="poster-brand">{t('app.name')} · {t('groupbuy.share.groupBuy')}</div>
            <div className="poster-title">{poster.title}</div>
            {poster.subtitle && <div className="poster-sub">{poster.subtitle}</div>}
          </div>
          {poster.items.length > 0 && (
            <ul className="poster-items">
              {poster.items.slice(0, 5).map((it) => (
                <li key={it}>{it}</li>
              ))}
            </ul>
          )}
          <div className="poster-qr">
            {svgFailed ? (
              <QrCode text={link.url} size={168} label={t('groupbuy.share.qr')} />
            ) : (
              <img src={`/api/share/${encodeURIComponent(link.code)}/qr.svg`} width={168} height={168} alt={t('groupbuy.share.qr')} onError={() => setSvgFailed(true)} />
            )}
            <div className="muted small">{t('groupbuy.share.scan')}</div>
          </div>
          <div className="poster-point">
            <strong>{poster.pointName}</strong>
            <span className="muted small">{poster.pointAddress}</span>
          </div>
        </div>
        <div className="share-url mono small" data-testid="share-url">
          {link.url}
        </div>
        <div className="sheet-actions">
          <button type="button" className="btn btn-secondary btn-small" onClick={copy}>
            {copied ? t('groupbuy.share.copied') : t('groupbuy.share.copy')}
          </button>
          <button type="button" className="btn btn-primary btn-small" data-testid="poster-download" onClick={() => downloadPoster(link, poster, t('app.name'), t('groupbuy.share.groupBuy'), t('groupbuy.share.scan'))}>
            {t('groupbuy.share.download')}
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
            {t('groupbuy.share.close')}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Text cut to fit `max` pixels with an ellipsis (canvas has no text overflow of its own). */
function fit(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let s = Array.from(text);
  while (s.length > 1 && ctx.measureText(`${s.join('')}…`).width > max) s = s.slice(0, -1);
  return `${s.join('')}…`;
}

function downloadPoster(link: Created, p: PosterContent, brand: string, groupBuy: string, scan: string): void {
  const W = 750;
  const H = 1120;
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const font = getComputedStyle(document.body).fontFamily;
  ctx.fillStyle = '#f6f4ef';
  ctx.fillRect(0, 0, W, H);
  const grad = ctx.createLinearGradient(0, 0, W, 260);
  grad.addColorStop(0, '#2e8b4e');
  grad.addColorStop(1, '#1d5c34');
  ctx.fillStyle = grad;
  ctx.fillRect(0, 0, W, 260);
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.font = `600 28px ${font}`;
  ctx.fillText(`${brand} · ${groupBuy}`, 48, 70);
  ctx.fillStyle = '#fff';
  ctx.font = `800 52px ${font}`;
  ctx.fillText(fit(ctx, p.title, W - 96), 48, 150);
  if (p.subtitle) {
    ctx.font = `500 30px ${font}`;
    ctx.fillText(fit(ctx, p.subtitle, W - 96), 48, 210);
  }
  ctx.fillStyle = '#1f2a24';
  ctx.font = `600 32px ${font}`;
  p.items.slice(0, 5).forEach((it, i) => ctx.fillText(fit(ctx, `· ${it}`, W - 96), 48, 320 + i * 50));
  const qrSize = 360;
  const qrY = 580;
  drawQr(ctx, link.url, (W - qrSize) / 2, qrY, qrSize);
  ctx.textAlign = 'center';
  ctx.fillStyle = '#7b877f';
  ctx.font = `500 26px ${font}`;
  ctx.fillText(scan, W / 2, qrY + qrSize + 44);
  ctx.fillStyle = '#1f2a24';
  ctx.font = `700 32px ${font}`;
  ctx.fillText(fit(ctx, p.pointName, W - 96), W / 2, qrY + qrSize + 110);
  ctx.fillStyle = '#4d5a52';
  ctx.font = `500 26px ${font}`;
  ctx.fillText(fit(ctx, p.pointAddress, W - 96), W / 2, qrY + qrSize + 150);
  const a = document.createElement('a');
  a.href = canvas.toDataURL('image/png');
  a.download = `linli-${link.code}.png`;
  a.click();
}
