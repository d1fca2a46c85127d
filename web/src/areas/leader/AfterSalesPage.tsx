import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { formatTime } from '../../components/time';
import { useLeaderAfterSales } from './queries';

const CHIPS = ['open', 'approved', 'rejected', 'all'] as const;
type Chip = (typeof CHIPS)[number];

/** 售后: requests on the point's orders. Operators decide them; the leader sees and follows up. */
export function AfterSalesPage() {
  const { t } = useTranslation();
  const [chip, setChip] = useState<Chip>('open');
  const q = useLeaderAfterSales(chip === 'all' ? null : chip);
  const items = q.data?.items ?? [];
  return (
    <>
      <div className="chips" role="tablist" aria-label={t('leader.afterSales.filter')}>
        {CHIPS.map((c) => (
          <button key={c} type="button" role="tab" aria-selected={chip === c} className={`chip${chip === c ? ' is-active' : ''}`} onClick={() => setChip(c)}>
            {t(`leader.afterSales.chip.${c}`)}
          </button>
        ))}
      </div>
      <p className="muted small leader-note">{t('leader.afterSales.note')}</p>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorNote error={q.error} onRetry={() => void q.refetch()} />
      ) : items.length === 0 ? (
        <section className="card">
          <p className="muted empty">{t('leader.afterSales.none')}</p>
        </section>
      ) : (
        <ul className="plain-list">
          {items.map((a) => (
            <li key={a.id} className="card refund-item" data-testid="leader-after-sales">
              <div className="refund-head">
                <span>
                  {a.relayNo != null && <span className="relay-badge">{t('groupbuy.relayNo', { no: a.relayNo })}</span>}{' '}
                  {a.buyerName && <strong>{a.buyerName} · </strong>}
                  {t(`afterSales.reason.${a.reason}`, { defaultValue: a.reason })}
                </span>
                <span className={`refund-status as-${a.status}`}>{t(`afterSales.status.${a.status}`, { defaultValue: a.status })}</span>
              </div>
              <div className="muted small">
                {t('earnings.order', { id: a.orderId })} · {t('afterSales.requested', { amount: formatFen(a.requestedFen) })} · {formatTime(a.createdAt)}
              </div>
              {a.description && <div className="small">{a.description}</div>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
