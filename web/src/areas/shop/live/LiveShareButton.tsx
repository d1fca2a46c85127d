// Sharing a live room: a share link (POST /api/share-links, target live_session) so orders of
// whoever opens it credit the sharer; the phone's share sheet where there is one, otherwise
// the link with its QR code to copy or scan.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { post } from '../../../api/client';
import { useAuth } from '../../../auth/AuthContext';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { QrCode } from '../../../components/QrCode';
import { Sheet } from './BuySheet';

interface Created {
  code: string;
  url: string;
}

export function LiveShareButton({ sessionId, title, hostAccountId }: { sessionId: number; title: string; hostAccountId: number }) {
  const { t } = useTranslation();
  const { account } = useAuth();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState(false);
  // The host sharing their own room is credited as the host; anyone else as themselves.
  const asHost = account?.id === hostAccountId;
  const make = useMutation({
    mutationFn: () => post<Created>('/share-links', { targetType: 'live_session', targetId: sessionId, ...(asHost ? { actorType: 'host', actorId: hostAccountId } : {}) }),
  });
  const link = make.data;
  return (
    <>
      <button
        type="button"
        className="btn btn-on-dark btn-small live-share"
        data-testid="live-share"
        onClick={() => {
          setOpen(true);
          if (account && !link && !make.isPending) make.mutate();
        }}
      >
        {t('live.share.button')}
      </button>
      {open && (
        <Sheet title={t('live.share.title')} onClose={() => setOpen(false)}>
          {!account ? (
            <>
              <p>{t('live.share.signIn')}</p>
              <Link to="/login" state={{ from: location.pathname }} className="btn btn-primary">
                {t('auth.login')}
              </Link>
            </>
          ) : link ? (
            <div className="live-share-body" data-testid="live-share-sheet" data-share-code={link.code}>
              <strong>{title}</strong>
              <QrCode text={link.url} size={168} label={t('live.share.qr')} />
              <div className="share-url mono small" data-testid="live-share-url">
                {link.url}
              </div>
              <div className="sheet-actions">
                {typeof navigator.share === 'function' && (
                  <button type="button" className="btn btn-primary btn-small" onClick={() => void navigator.share({ title, url: link.url }).catch(() => undefined)}>
                    {t('live.share.system')}
                  </button>
                )}
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  onClick={() =>
                    void navigator.clipboard
                      ?.writeText(link.url)
                      .then(() => setCopied(true))
                      .catch(() => setCopied(false))
                  }
                >
                  {copied ? t('live.share.copied') : t('live.share.copy')}
                </button>
              </div>
            </div>
          ) : make.error ? (
            <ErrorNote error={make.error} onRetry={() => make.mutate()} />
          ) : (
            <Loading />
          )}
        </Sheet>
      )}
    </>
  );
}
