import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { CHANNELS, ORDER_STATUSES, type Order, type OrderStatus } from '../../api/commerce';
import { formatFen } from '../../api/money';
import { OrderStatusBadge } from '../../components/OrderStatus';
import { formatTime } from '../../components/time';
import { OrderDrawer } from './OrderDrawer';
import { PagedTableCard, TableState, useCursorPage } from './paging';

export function AdminOrdersPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [channel, setChannel] = useState('');
  const [open, setOpen] = useState<number | null>(null);
  const { list, pager } = useCursorPage<Order>('/admin/orders', { status, channel });
  const summary = useQuery({
    queryKey: ['admin', 'orders', 'summary'],
    queryFn: ({ signal }) => get<{ byStatus: Array<{ status: OrderStatus; count: number }> }>('/admin/orders/summary', undefined, signal),
    staleTime: 10_000,
  });
  const counts = new Map(summary.data?.byStatus.map((s) => [s.status, s.count]));

  return (
    <div className="admin-page">
      <div className="page-head">
        <h1>{t('adminOrders.title')}</h1>
      </div>
      <div className="status-summary">
        {ORDER_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`summary-chip${status === s ? ' is-active' : ''}`}
            onClick={() => setStatus(status === s ? '' : s)}
          >
            <OrderStatusBadge status={s} />
            <strong>{counts.get(s) ?? 0}</strong>
          </button>
        ))}
      </div>
      <div className="filters">
        <label className="filter">
          <span>{t('adminOrders.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="filter-status">
            <option value="">{t('admin.all')}</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`orders.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>{t('adminOrders.channel')}</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">{t('admin.all')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`orders.channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PagedTableCard paged={{ list, pager }}>
        {(page, stale) => (
          <table className={`data-table clickable${stale ? ' is-stale' : ''}`} data-testid="admin-orders">
            <thead>
              <tr>
                <th>{t('adminOrders.orderNo')}</th>
                <th>{t('adminOrders.createdAt')}</th>
                <th className="num">{t('adminOrders.buyer')}</th>
                <th>{t('adminOrders.channel')}</th>
                <th>{t('adminOrders.status')}</th>
                <th>{t('adminOrders.items')}</th>
                <th className="num">{t('adminOrders.total')}</th>
                <th className="num">{t('adminOrders.refunded')}</th>
              </tr>
            </thead>
            <tbody>
              <TableState colSpan={8} empty={page.items.length === 0} />
              {page.items.map((o) => (
                <tr key={o.id} onClick={() => setOpen(o.id)} data-testid="admin-order-row" data-order-id={o.id}>
                  <td>
                    <button type="button" className="link-btn mono" onClick={() => setOpen(o.id)}>
                      {o.orderNo}
                    </button>
                  </td>
                  <td>{formatTime(o.createdAt)}</td>
                  <td className="num">#{o.buyerAccountId}</td>
                  <td>{t(`orders.channel.${o.channel}`)}</td>
                  <td>
                    <OrderStatusBadge status={o.status} />
                  </td>
                  <td className="clip-cell">
                    {o.lines.map((l) => `${l.title}×${l.quantity}`).join('，')}
                  </td>
                  <td className="num">{formatFen(o.totalFen)}</td>
                  <td className="num">{o.refundedFen > 0 ? formatFen(o.refundedFen) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedTableCard>
      {open !== null && <OrderDrawer orderId={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
