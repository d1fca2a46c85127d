import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { REFUNDABLE, type AfterSales, type Order, type OrderEvent, type Refund } from '../../api/commerce';
import { formatFen } from '../../api/money';
import type { Account } from '../../api/types';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { OrderStatusBadge } from '../../components/OrderStatus';
import { formatTime } from '../../components/time';
import { usePickupPoint, useStore } from '../shop/orderQueries';
import { AfterSalesList, RefundsCard } from '../shop/OrderParts';
import { Drawer } from './Drawer';
import { RefundForm } from './RefundForm';

const STAFF_EVENTS: OrderEvent[] = ['fulfil', 'mark_ready', 'complete'];

export function OrderDrawer({ orderId, onClose }: { orderId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const order = useQuery({ queryKey: ['orders', orderId], queryFn: ({ signal }) => get<Order>(`/orders/${orderId}`, undefined, signal) });
  const o = order.data;
  return (
    <Drawer title={o ? t('adminOrders.drawerTitle', { no: o.orderNo }) : t('app.loading')} onClose={onClose}>
      {order.isPending ? <Loading /> : order.error || !o ? <ErrorNote error={order.error} /> : <OrderBody order={o} />}
    </Drawer>
  );
}

function OrderBody({ order: o }: { order: Order }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const buyer = useQuery({
    queryKey: ['accounts', o.buyerAccountId],
    queryFn: ({ signal }) => get<Account>(`/accounts/${o.buyerAccountId}`, undefined, signal),
    staleTime: 5 * 60_000,
  });
  const point = usePickupPoint(o.pickupPointId);
  const store = useStore(o.storeId);
  const refunds = useQuery({
    queryKey: ['orders', o.id, 'refunds'],
    queryFn: ({ signal }) => get<{ items: Refund[] }>(`/orders/${o.id}/refunds`, undefined, signal).then((r) => r.items),
  });
  const afterSales = useQuery({
    queryKey: ['orders', o.id, 'after-sales'],
    queryFn: ({ signal }) => get<{ items: AfterSales[] }>(`/orders/${o.id}/after-sales`, undefined, signal).then((r) => r.items),
  });
  const advance = useMutation({
    mutationFn: (event: OrderEvent) => post<Order>(`/orders/${o.id}/events`, { event }),
    onSuccess: (next) => {
      qc.setQueryData(['orders', o.id], next);
      void qc.invalidateQueries({ queryKey: ['admin'] });
    },
  });
  const cancel = useMutation({
    mutationFn: () => post<Order>(`/orders/${o.id}/cancel`),
    onSuccess: (next) => {
      qc.setQueryData(['orders', o.id], next);
      void qc.invalidateQueries({ queryKey: ['admin'] });
    },
  });
  const events = o.nextEvents.filter((e) => STAFF_EVENTS.includes(e));
  const cancellable = o.nextEvents.includes('cancel');

  return (
    <div className="order-body">
      <dl className="kv">
        <dt>{t('adminOrders.status')}</dt>
        <dd>
          <OrderStatusBadge status={o.status} />
        </dd>
        <dt>{t('adminOrders.buyer')}</dt>
        <dd>{buyer.data ? `${buyer.data.displayName} · ${buyer.data.phone}` : `#${o.buyerAccountId}`}</dd>
        <dt>{t('adminOrders.channel')}</dt>
        <dd>{t(`orders.channel.${o.channel}`)}</dd>
        <dt>{o.pickupPointId !== null ? t('orders.collectAt') : t('adminOrders.store')}</dt>
        <dd>{(o.pickupPointId !== null ? point.data?.name : store.data?.name) ?? '—'}</dd>
        <dt>{t('adminOrders.createdAt')}</dt>
        <dd>{formatTime(o.createdAt)}</dd>
        {o.paidAt && (
          <>
            <dt>{t('orders.step.paid')}</dt>
            <dd>{formatTime(o.paidAt)}</dd>
          </>
        )}
        <dt>{t('adminOrders.total')}</dt>
        <dd>
          <strong>{formatFen(o.totalFen)}</strong>
          {o.refundedFen > 0 && <span className="muted"> · {t('orders.refundedAmount', { amount: formatFen(o.refundedFen) })}</span>}
        </dd>
        {o.note && (
          <>
            <dt>{t('checkout.note')}</dt>
            <dd>{o.note}</dd>
          </>
        )}
      </dl>

      <div className="table-card">
        <table className="data-table compact">
          <thead>
            <tr>
              <th>{t('adminOrders.item')}</th>
              <th className="num">{t('adminOrders.unitPrice')}</th>
              <th className="num">{t('adminOrders.qty')}</th>
              <th className="num">{t('adminOrders.refundedQty')}</th>
              <th className="num">{t('adminOrders.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {o.lines.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.title} <span className="muted">{l.spec}</span>
                </td>
                <td className="num">{formatFen(l.unitPriceFen)}</td>
                <td className="num">{l.quantity}</td>
                <td className="num">{l.refundedQuantity || '—'}</td>
                <td className="num">{formatFen(l.lineTotalFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {(events.length > 0 || cancellable) && (
        <div className="drawer-section">
          <h3>{t('adminOrders.advance')}</h3>
          <div className="button-row">
            {events.map((e) => (
              <button key={e} type="button" className="btn btn-secondary btn-small" disabled={advance.isPending} onClick={() => advance.mutate(e)}>
                {t(`adminOrders.event.${e}`)}
              </button>
            ))}
            {cancellable && (
              <button type="button" className="btn btn-ghost btn-small" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
                {t('adminOrders.cancelUnpaid')}
              </button>
            )}
          </div>
          <ErrorNote error={advance.error ?? cancel.error} />
        </div>
      )}

      {REFUNDABLE.includes(o.status) && (
        <div className="drawer-section">
          <h3>{t('adminOrders.refund')}</h3>
          <RefundForm order={o} />
        </div>
      )}

      {refunds.data && <RefundsCard order={o} refunds={refunds.data} />}
      {afterSales.data && afterSales.data.length > 0 && (
        <div className="drawer-section">
          <h3>{t('afterSales.title')}</h3>
          <AfterSalesList order={o} requests={afterSales.data} />
        </div>
      )}
    </div>
  );
}
