import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ORDER_STATUSES, type Order, type OrderStatus } from '../../api/commerce';
import { formatFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { OrderStatusBadge } from '../../components/OrderStatus';
import { formatCountdown, formatTime, useNow } from '../../components/time';
import { useMyOrders } from './orderQueries';

export function OrdersPage() {
  const { t } = useTranslation();
  // The tab lives in the URL, so "back" from an order returns to the same tab.
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status = (ORDER_STATUSES as readonly string[]).includes(raw ?? '') ? (raw as OrderStatus) : null;
  const orders = useMyOrders(status);
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];
  const tabs: Array<OrderStatus | null> = [null, ...ORDER_STATUSES];

  return (
    <section className="orders">
      <div className="card-head">
        <h1 className="section-title">{t('orders.mine')}</h1>
        <Link to="/shop/earnings" className="small">
          {t('earnings.title')}
        </Link>
      </div>
      <div className="chips" role="tablist">
        {tabs.map((s) => (
          <button
            key={s ?? 'all'}
            type="button"
            role="tab"
            aria-selected={status === s}
            className={`chip${status === s ? ' is-active' : ''}`}
            onClick={() => setParams(s ? { status: s } : {}, { replace: true })}
          >
            {s ? t(`orders.tab.${s}`) : t('orders.tab.all')}
          </button>
        ))}
      </div>
      {orders.isPending ? (
        <Loading />
      ) : orders.error ? (
        <ErrorNote error={orders.error} onRetry={() => void orders.refetch()} />
      ) : items.length === 0 ? (
        <div className="card empty-state">
          <p className="muted">{t('orders.none')}</p>
          <Link to="/shop" className="btn btn-primary">
            {t('cart.goShopping')}
          </Link>
        </div>
      ) : (
        <>
          <ul className="order-list" data-testid="order-list">
            {items.map((o) => (
              <OrderCard key={o.id} order={o} />
            ))}
          </ul>
          {orders.hasNextPage && (
            <button
              type="button"
              className="btn btn-secondary btn-block load-more"
              disabled={orders.isFetchingNextPage}
              onClick={() => void orders.fetchNextPage()}
            >
              {orders.isFetchingNextPage ? t('shop.loadingMore') : t('shop.loadMore')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function OrderCard({ order: o }: { order: Order }) {
  const { t } = useTranslation();
  const pending = o.status === 'pending_payment';
  const now = useNow(1000, pending);
  const left = o.expiresAt ? new Date(o.expiresAt).getTime() - now : 0;
  const units = o.lines.reduce((s, l) => s + l.quantity, 0);
  return (
    <li>
      <Link to={`/shop/orders/${o.id}`} className="order-card" data-testid="order-card" data-order-id={o.id}>
        <div className="order-card-head">
          <span className="muted small">
            {t(`orders.channel.${o.channel}`)} · {formatTime(o.createdAt)}
          </span>
          <OrderStatusBadge status={o.status} />
        </div>
        <div className="order-card-lines">
          {o.lines.slice(0, 3).map((l) => (
            <div key={l.id} className="order-card-line">
              <span className="ellipsis">
                {l.title} <span className="muted">{l.spec}</span>
              </span>
              <span className="muted">×{l.quantity}</span>
            </div>
          ))}
          {o.lines.length > 3 && <div className="muted small">{t('orders.moreLines', { count: o.lines.length - 3 })}</div>}
        </div>
        <div className="order-card-foot">
          <span className="muted small">{t('orders.units', { count: units })}</span>
          {o.refundedFen > 0 && <span className="refund-tag">{t('orders.refundedAmount', { amount: formatFen(o.refundedFen) })}</span>}
          <span className="order-card-total">
            {t('orders.total')} <strong className="price price-small">{formatFen(o.totalFen)}</strong>
          </span>
        </div>
        {pending && left > 0 && <div className="pay-hint">{t('orders.payWithin', { time: formatCountdown(left) })}</div>}
      </Link>
    </li>
  );
}
