import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeaderOrder } from '../../api/groupbuy';
import { formatFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { useRelay } from '../shop/groupbuy/queries';
import { useLeaderOrders } from './queries';

const CHIPS = ['all', 'paid', 'ready', 'completed', 'refunded'] as const;
type Chip = (typeof CHIPS)[number];

/** 订单: the point's orders by resident with relay numbers and what is still to hand over. */
export function LeaderOrdersPage({ pointId }: { pointId: number }) {
  const { t } = useTranslation();
  const [chip, setChip] = useState<Chip>('all');
  // By pickup day; until the leader picks one, the day of the point's current campaign.
  const relay = useRelay(pointId);
  const [picked, setPicked] = useState<string | null>(null);
  const date = picked ?? relay.data?.campaign?.pickupDate ?? '';
  const q = useLeaderOrders({ date: date || null });
  const all = q.data?.pages.flatMap((p) => p.items) ?? [];
  // Filtered here: the API filters by campaign and date; a point's day is a few hundred orders.
  const shown = chip === 'all' ? all : all.filter((o) => (chip === 'paid' ? ['paid', 'fulfilling'].includes(o.status) : o.status === chip));
  return (
    <>
      <div className="leader-filter">
        <label className="field">
          <span className="field-label">{t('leader.arrival.date')}</span>
          <input type="date" data-testid="orders-date" value={date} onChange={(e) => setPicked(e.target.value)} />
        </label>
        {date && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setPicked('')}>
            {t('leader.orders.allDays')}
          </button>
        )}
      </div>
      <div className="chips" role="tablist" aria-label={t('leader.orders.filter')}>
        {CHIPS.map((c) => (
          <button key={c} type="button" role="tab" aria-selected={chip === c} className={`chip${chip === c ? ' is-active' : ''}`} onClick={() => setChip(c)}>
            {t(`leader.orders.chip.${c}`)}
            {c === 'all' && all.length > 0 && ` ${all.length}`}
          </button>
        ))}
      </div>
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorNote error={q.error} onRetry={() => void q.refetch()} />
      ) : shown.length === 0 ? (
        <section className="card">
          <p className="muted empty">{t('leader.orders.none')}</p>
        </section>
      ) : (
        <ul className="plain-list leader-orders">
          {shown.map((o) => (
            <OrderRow key={o.orderId} order={o} />
          ))}
        </ul>
      )}
      {q.hasNextPage && (
        <button type="button" className="btn btn-ghost btn-block" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
          {q.isFetchingNextPage ? t('shop.loadingMore') : t('shop.loadMore')}
        </button>
      )}
    </>
  );
}

function OrderRow({ order: o }: { order: LeaderOrder }) {
  const { t } = useTranslation();
  return (
    <li className="card leader-order" data-testid="leader-order" data-order-id={o.orderId} data-status={o.status}>
      <div className="leader-order-head">
        <span className="relay-badge">{t('groupbuy.relayNo', { no: o.relayNo })}</span>
        <strong>{o.buyerName}</strong>
        <span className={`order-status os-${o.status}`}>{t(`orders.status.${o.status}`, { defaultValue: o.status })}</span>
      </div>
      <ul className="plain-list">
        {o.lines.map((l) => {
          const due = l.quantity - l.refundedQuantity;
          const left = Math.max(0, due - l.pickedQuantity);
          return (
            <li key={l.orderLineId} className="leader-line">
              <span>
                {l.title}
                {l.spec && <span className="muted small"> · {l.spec}</span>} ×{l.quantity}
              </span>
              <span className="small">
                {l.refundedQuantity > 0 && <span className="refund-tag">{t('leader.orders.refunded', { count: l.refundedQuantity })}</span>}{' '}
                <span className={left === 0 ? 'gain' : ''}>{t('leader.orders.picked', { picked: l.pickedQuantity, left })}</span>
              </span>
            </li>
          );
        })}
      </ul>
      <div className="leader-order-foot small muted">
        {formatFen(o.totalFen)}
        {o.refundedFen > 0 && <> · {t('leader.orders.refundedFen', { amount: formatFen(o.refundedFen) })}</>}
      </div>
    </li>
  );
}
