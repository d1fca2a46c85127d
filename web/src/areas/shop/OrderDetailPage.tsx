import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { post } from '../../api/client';
import { REFUNDABLE, type Order } from '../../api/commerce';
import { formatFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { OrderStatusBadge } from '../../components/OrderStatus';
import { formatCountdown, formatTime, useNow } from '../../components/time';
import { AfterSalesForm } from './AfterSalesForm';
import { GroupSteps, PickupCodeCard } from './groupbuy/GroupOrderParts';
import type { GroupOrder } from '../../api/groupbuy';
import { useOrder, useOrderAfterSales, useOrderPayments, useOrderRefunds } from './orderQueries';
import { AfterSalesList, LinesCard, RefundsCard, Timeline, WhereCard } from './OrderParts';

export function OrderDetailPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const [polling, setPolling] = useState(false);
  const order = useOrder(id, { poll: polling });
  const refunds = useOrderRefunds(id);
  const afterSales = useOrderAfterSales(id);
  const o = order.data;
  useEffect(() => setPolling(o?.status === 'pending_payment'), [o?.status]);

  if (order.isPending) return <Loading />;
  if (order.error || !o) return <ErrorNote error={order.error ?? new Error('not found')} onRetry={() => void order.refetch()} />;
  // Campaign orders (社区团购) show the pickup code and their own steps.
  const campaignId = (o as GroupOrder).campaignId ?? null;
  const groupSteps = campaignId !== null && ['paid', 'fulfilling', 'ready', 'completed'].includes(o.status);

  return (
    <>
      <div className="back-row">
        <Link to="/shop/orders" className="small">
          ← {t('orders.mine')}
        </Link>
      </div>
      <StatusHero order={o} />
      {groupSteps ? <PickupCodeCard order={o} /> : <WhereCard order={o} />}
      <LinesCard order={o} />
      {refunds.data && <RefundsCard order={o} refunds={refunds.data} />}
      <AfterSalesCard order={o} />
      {groupSteps ? <GroupSteps order={o} /> : <Timeline order={o} />}
      <section className="card meta-card small">
        <div className="total-row">
          <span className="muted">{t('orders.orderNo')}</span>
          <span className="mono" data-testid="order-no">
            {o.orderNo}
          </span>
        </div>
        <div className="total-row">
          <span className="muted">{t('orders.createdAt')}</span>
          <span>{formatTime(o.createdAt)}</span>
        </div>
        <div className="total-row">
          <span className="muted">{t('orders.channelLabel')}</span>
          <span>{t(`orders.channel.${o.channel}`)}</span>
        </div>
      </section>
      {afterSales.error && <ErrorNote error={afterSales.error} />}
    </>
  );
}

function StatusHero({ order: o }: { order: Order }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const pending = o.status === 'pending_payment';
  const now = useNow(1000, pending);
  const left = o.expiresAt ? new Date(o.expiresAt).getTime() - now : 0;
  const payments = useOrderPayments(o.id, pending);
  // The newest payment still open at the sandbox cashier.
  const open = [...(payments.data ?? [])].reverse().find((p) => p.status === 'created' && p.provider === 'sandbox');
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation({
    mutationFn: () => post<Order>(`/orders/${o.id}/cancel`),
    onSuccess: (next) => {
      qc.setQueryData(['orders', o.id], next);
      void qc.invalidateQueries({ queryKey: ['orders', 'mine'] });
      setConfirming(false);
    },
    onError: () => void qc.invalidateQueries({ queryKey: ['orders', o.id] }),
  });
  // Past the deadline the server expires it on its next sweep; ask again shortly after.
  const expiredLocally = pending && o.expiresAt !== null && left <= 0;
  useEffect(() => {
    if (!expiredLocally) return;
    const id = setTimeout(() => void qc.invalidateQueries({ queryKey: ['orders', o.id] }), 3000);
    return () => clearTimeout(id);
  }, [expiredLocally, o.id, qc]);

  return (
    <section className={`status-hero sh-${o.status}`}>
      <div className="status-hero-top">
        <OrderStatusBadge status={o.status} />
        <span className="status-hero-amount">{formatFen(o.totalFen)}</span>
      </div>
      <p className="status-hero-note">{t(`orders.statusNote.${o.status}`)}</p>
      {pending && !expiredLocally && (
        <>
          <div className="countdown" data-testid="countdown">
            {t('orders.payWithin', { time: formatCountdown(left) })}
          </div>
          <div className="hero-actions">
            {open ? (
              <Link to={`/pay/${open.id}`} className="btn btn-accent" data-testid="pay-now">
                {t('orders.payNow')}
              </Link>
            ) : (
              payments.isSuccess && <span className="small">{t('orders.noOpenPayment')}</span>
            )}
            {confirming ? (
              <>
                <button type="button" className="btn btn-on-dark" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
                  {cancel.isPending ? t('orders.cancelling') : t('orders.confirmCancel')}
                </button>
                <button type="button" className="btn btn-on-dark" onClick={() => setConfirming(false)}>
                  {t('orders.keep')}
                </button>
              </>
            ) : (
              <button type="button" className="btn btn-on-dark" onClick={() => setConfirming(true)}>
                {t('orders.cancel')}
              </button>
            )}
          </div>
        </>
      )}
      {expiredLocally && <div className="countdown">{t('orders.expiring')}</div>}
      {cancel.error && <ErrorNote error={cancel.error} />}
    </section>
  );
}

function AfterSalesCard({ order: o }: { order: Order }) {
  const { t } = useTranslation();
  const afterSales = useOrderAfterSales(o.id);
  const [open, setOpen] = useState(false);
  const requests = afterSales.data ?? [];
  const canAsk =
    REFUNDABLE.includes(o.status) && o.lines.some((l) => l.quantity > l.refundedQuantity) && !requests.some((r) => r.status === 'open');
  if (requests.length === 0 && !canAsk) return null;
  return (
    <section className="card" data-testid="after-sales">
      <div className="card-head">
        <h2 className="section-title">{t('afterSales.title')}</h2>
        {canAsk && !open && (
          <button type="button" className="btn btn-secondary btn-small" data-testid="open-after-sales" onClick={() => setOpen(true)}>
            {t('afterSales.ask')}
          </button>
        )}
      </div>
      {open && <AfterSalesForm order={o} onDone={() => setOpen(false)} />}
      <AfterSalesList order={o} requests={requests} />
      {!open && requests.length === 0 && <p className="muted small">{t('afterSales.hint')}</p>}
    </section>
  );
}
