import { useTranslation } from 'react-i18next';
import { formatFen } from '../../api/money';
import { formatTime } from '../../components/time';
import { useSalesToday } from './PosPage';
import { useStoreCtx } from './storeContext';

/**
 * Today at this store: counts and takings (net of refunds), and only the last few sales (the
 * server caps the list); a counter sale among them can be reprinted or taken back (退货).
 */
export function TodayStrip({ onReprint, onRefund }: { onReprint?: (orderId: number) => void; onRefund?: (orderId: number) => void } = {}) {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  const today = useSalesToday(store.id);
  if (!today.data) return null;
  const d = today.data;
  return (
    <section className="pos-today" data-testid="pos-today">
      <h2 className="sub-title">{t('stores.pos.today')}</h2>
      <div className="pos-today-figures">
        <div>
          <span className="muted small">{t('stores.pos.todayOrders')}</span>
          <strong>{d.orders}</strong>
        </div>
        <div>
          <span className="muted small">{t('stores.channel.counter')}</span>
          <strong>{formatFen(d.byChannel.counter)}</strong>
        </div>
        <div>
          <span className="muted small">{t('stores.channel.online')}</span>
          <strong>{formatFen(d.byChannel.online)}</strong>
        </div>
      </div>
      {(d.refundsFen ?? 0) > 0 && (
        <div className="muted small" data-testid="pos-today-refunds">
          {t('stores.refund.todayRefunds', { amount: formatFen(d.refundsFen ?? 0) })}
        </div>
      )}
      {d.last.length > 0 && (
        <ul className="plain-list pos-last">
          {d.last.slice(0, 5).map((o) => (
            <li key={o.id} className="ledger-row small">
              <span>
                {o.orderNo ?? `#${o.id}`} <span className="muted">{formatTime(o.createdAt)}</span>
              </span>
              <span className="pos-last-actions">
                {o.totalFen !== undefined ? formatFen(o.totalFen) : ''}
                {o.channel === 'store_counter' && onReprint && (
                  <button type="button" className="btn btn-ghost btn-small" data-testid="pos-reprint-open" onClick={() => onReprint(o.id)}>
                    {t('stores.refund.reprint')}
                  </button>
                )}
                {o.channel === 'store_counter' && onRefund && o.status !== 'refunded' && o.status !== 'pending_payment' && o.status !== 'cancelled' && o.status !== 'expired' && (
                  <button type="button" className="btn btn-ghost btn-small" data-testid="pos-refund-open" onClick={() => onRefund(o.id)}>
                    {t('stores.refund.open')}
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
