import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import { get } from '../../../api/client';
import type { ShareLink } from '../../../api/groupbuy';
import { ErrorNote, Loading } from '../../../components/ErrorNote';
import { rememberShareCode } from './queries';

/**
 * /s/:code — where a shared QR or link lands. Resolves the link (public), keeps the code for
 * the tab so a group-buy checkout credits the sharer, and opens the relay or today's list.
 */
export function ShareLanding() {
  const { t } = useTranslation();
  const code = useParams().code ?? '';
  const link = useQuery({
    queryKey: ['share-links', code],
    queryFn: ({ signal }) => get<ShareLink>(`/share-links/${encodeURIComponent(code)}`, undefined, signal),
    retry: false,
    staleTime: Infinity,
  });
  if (link.isPending) return <Loading />;
  if (link.error)
    return (
      <div className="shop-main">
        <ErrorNote error={link.error} title={t('groupbuy.share.badLink')} />
        <p>
          <Link to="/shop">{t('groupbuy.toShop')}</Link>
        </p>
      </div>
    );
  rememberShareCode(link.data.code);
  const l = link.data;
  // A live room keeps its own code (per room) for the orders placed there.
  if (l.targetType === 'live_session' && l.targetId) return <Navigate to={`/live/${l.targetId}?s=${encodeURIComponent(l.code)}`} replace />;
  const to = l.targetType === 'pickup_point' && l.targetId ? `/shop/relay/${l.targetId}` : '/shop/groupbuy';
  return <Navigate to={to} replace />;
}
