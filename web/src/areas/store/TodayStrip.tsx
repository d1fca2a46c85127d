import { useTranslation } from 'react-i18next';
import { formatFen } from '../../api/money';
import { formatTime } from '../../components/time';
import { useSalesToday } from './PosPage';
import { useStoreCtx } from './storeContext';

/** Today at this store: counts and takings, and only the last few sales (the server caps the list). */
export function TodayStrip() {
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
      {d.last.length > 0 && (
        <ul className="plain-list pos-last">
          {d.last.slice(0, 5).map((o) => (
            <li key={o.id} className="ledger-row small">
              <span>
                {o.orderNo ?? `#${o.id}`} <span className="muted">{formatTime(o.createdAt)}</span>
              </span>
              <span>{o.totalFen !== undefined ? formatFen(o.totalFen) : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
