import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { useIdempotentPost } from '../../api/fulfilment';
import { formatFen } from '../../api/money';
import type { Page } from '../../api/types';
import type { ReplenishmentOrder } from '../../api/stores';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { OrderStatusBadge } from '../../components/OrderStatus';
import { formatTime } from '../../components/time';
import { useStoreCtx } from './storeContext';

/** On its way (paid and in the wave) or arrived: the goods can be counted in. */
const RECEIVABLE = new Set(['paid', 'fulfilling', 'ready']);

export function ReplenishOrders() {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  const [receiving, setReceiving] = useState<number | null>(null);
  const orders = useInfiniteQuery({
    queryKey: ['store', store.id, 'replenishment', 'orders'],
    queryFn: ({ pageParam, signal }) => get<Page<ReplenishmentOrder>>(`/stores/${store.id}/replenishment/orders`, { cursor: pageParam, limit: 10 }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card">
      <h2 className="sub-title">{t('stores.replen.orders')}</h2>
      {orders.isPending ? (
        <Loading />
      ) : orders.error ? (
        <ErrorNote error={orders.error} onRetry={() => void orders.refetch()} />
      ) : items.length === 0 ? (
        <p className="muted small">{t('stores.replen.noOrders')}</p>
      ) : (
        <ul className="plain-list">
          {items.map((o) => (
            <li key={o.id} className="replen-order" data-testid="replen-order" data-order-id={o.id} data-status={o.status}>
              <div className="ledger-row">
                <div>
                  <strong>{o.orderNo}</strong> <OrderStatusBadge status={o.status} />
                  <div className="muted small">
                    {formatTime(o.createdAt)} · {t('stores.replen.lines', { count: o.lines.length })} · {formatFen(o.totalFen)}
                    {o.deliveryDate && <> · {t('stores.replen.deliveryDate', { date: o.deliveryDate })}</>}
                  </div>
                </div>
                {RECEIVABLE.has(o.status) && receiving !== o.id && (
                  <button type="button" className="btn btn-accent btn-small" data-testid="replen-receive-open" onClick={() => setReceiving(o.id)}>
                    {t('stores.replen.receive')}
                  </button>
                )}
              </div>
              {receiving === o.id && <ReceiveForm order={o} onDone={() => setReceiving(null)} />}
            </li>
          ))}
        </ul>
      )}
      {orders.hasNextPage && (
        <button type="button" className="btn btn-ghost btn-small" disabled={orders.isFetchingNextPage} onClick={() => void orders.fetchNextPage()}>
          {t('stores.more')}
        </button>
      )}
    </section>
  );
}

function ReceiveForm({ order, onDone }: { order: ReplenishmentOrder; onDone: () => void }) {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  const qc = useQueryClient();
  const send = useIdempotentPost();
  const [got, setGot] = useState<Record<number, number>>(() => Object.fromEntries(order.lines.map((l) => [l.skuId, l.quantity])));
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const submit = async () => {
    setBusy(true);
    setErr(null);
    try {
      await send(`/stores/${store.id}/replenishment/orders/${order.id}/receive`, { lines: order.lines.map((l) => ({ skuId: l.skuId, received: got[l.skuId] ?? 0 })) });
      void qc.invalidateQueries({ queryKey: ['store', store.id] });
      onDone();
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="receive-form" data-testid="replen-receive-form">
      <table className="store-table">
        <thead>
          <tr>
            <th>{t('stores.stock.item')}</th>
            <th className="num">{t('stores.replen.ordered')}</th>
            <th className="num">{t('stores.replen.received')}</th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((l) => (
            <tr key={l.id}>
              <td>
                {l.title} <span className="muted small">{l.spec}</span>
              </td>
              <td className="num">{l.quantity}</td>
              <td className="num">
                <input
                  className="cases-input"
                  inputMode="numeric"
                  aria-label={t('stores.replen.received')}
                  data-testid="replen-received"
                  data-sku-id={l.skuId}
                  value={got[l.skuId] ?? 0}
                  onChange={(e) => setGot((g) => ({ ...g, [l.skuId]: Math.min(l.quantity, Number(e.target.value.replace(/\D/g, '')) || 0) }))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorNote error={err} />
      <div className="button-row">
        <button type="button" className="btn btn-ghost btn-small" onClick={onDone}>
          {t('admin.cancel')}
        </button>
        <button type="button" className="btn btn-primary btn-small" data-testid="replen-receive" disabled={busy} onClick={() => void submit()}>
          {busy ? t('stores.replen.receiving') : t('stores.replen.confirmReceive')}
        </button>
      </div>
    </div>
  );
}
