// Pieces of the order detail page: where to collect, the lines, the sums, the timeline and the
// refunds. Plain views of the order; the page owns the queries and the actions.
import { useTranslation } from 'react-i18next';
import type { AfterSales, Order, Refund } from '../../api/commerce';
import { formatFen } from '../../api/money';
import { formatTime } from '../../components/time';
import { usePickupPoint, useStore } from './orderQueries';

export function WhereCard({ order: o }: { order: Order }) {
  const { t } = useTranslation();
  const point = usePickupPoint(o.pickupPointId);
  const store = useStore(o.storeId);
  const place = o.pickupPointId !== null ? point.data : store.data;
  if (!place) return null;
  return (
    <section className="card where-card">
      <div className="eyebrow-dark">{o.pickupPointId !== null ? t('orders.collectAt') : t(`orders.fulfilment.${o.fulfilment}`)}</div>
      <div className="where-name">{place.name}</div>
      <div className="muted small">{place.address}</div>
      <div className="muted small">{t('shop.hours', { from: place.opensAt, to: place.closesAt })}</div>
    </section>
  );
}

export function LinesCard({ order: o }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2 className="section-title">{t('orders.lines')}</h2>
      <ul className="detail-lines">
        {o.lines.map((l) => (
          <li key={l.id} className="detail-line" data-testid="order-line">
            <div className="cart-thumb" aria-hidden="true">
              {Array.from(l.title)[0]}
            </div>
            <div className="cart-info">
              <div className="cart-name">{l.title}</div>
              <div className="muted small">
                {l.spec} · {formatFen(l.unitPriceFen)}/{l.unit} × {l.quantity}
              </div>
              {l.refundedQuantity > 0 && (
                <span className="refund-tag" data-testid="line-refunded">
                  {t('orders.lineRefunded', { count: l.refundedQuantity, amount: formatFen(l.refundedFen) })}
                </span>
              )}
            </div>
            <div className="detail-line-total">{formatFen(l.lineTotalFen)}</div>
          </li>
        ))}
      </ul>
      <div className="totals">
        <Row label={t('checkout.itemsTotal')} value={formatFen(o.itemsFen)} />
        {o.discountFen > 0 && <Row label={t('orders.discount')} value={`-${formatFen(o.discountFen)}`} />}
        {o.deliveryFen > 0 && <Row label={t('checkout.delivery')} value={formatFen(o.deliveryFen)} />}
        <Row label={t('orders.total')} value={formatFen(o.totalFen)} strong />
        {o.paidFen > 0 && <Row label={t('orders.paid')} value={formatFen(o.paidFen)} />}
        {o.refundedFen > 0 && <Row label={t('orders.refunded')} value={`-${formatFen(o.refundedFen)}`} accent />}
      </div>
      {o.note && <p className="muted small">{t('orders.noteLabel', { note: o.note })}</p>}
    </section>
  );
}

function Row({ label, value, strong, accent }: { label: string; value: string; strong?: boolean; accent?: boolean }) {
  return (
    <div className={`total-row${strong ? ' is-strong' : ''}${accent ? ' is-accent' : ''}`}>
      <span>{label}</span>
      <span>{value}</span>
    </div>
  );
}

interface Step {
  key: string;
  at: string | null;
  done: boolean;
}

/** The steps an order goes through, done ones with their time where the order records it. */
function stepsOf(o: Order): Step[] {
  const reached = (s: Order['status'][]) => s.includes(o.status);
  const placed: Step = { key: 'placed', at: o.createdAt, done: true };
  if (o.status === 'cancelled' || o.status === 'expired') return [placed, { key: o.status, at: o.closedAt, done: true }];
  const steps: Step[] = [
    placed,
    { key: 'paid', at: o.paidAt, done: o.paidAt !== null },
    { key: 'fulfilling', at: null, done: reached(['fulfilling', 'ready', 'completed']) },
    { key: o.fulfilment === 'delivery' ? 'delivering' : 'ready', at: null, done: reached(['ready', 'completed']) },
    { key: 'completed', at: o.completedAt, done: o.status === 'completed' || o.completedAt !== null },
  ];
  if (o.status === 'refunded') return [...steps.filter((s) => s.done), { key: 'refunded', at: o.closedAt, done: true }];
  return steps;
}

export function Timeline({ order }: { order: Order }) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2 className="section-title">{t('orders.timeline')}</h2>
      <ol className="timeline">
        {stepsOf(order).map((s) => (
          <li key={s.key} className={`tl-step${s.done ? ' is-done' : ''}`}>
            <span className="tl-dot" aria-hidden="true" />
            <span className="tl-label">{t(`orders.step.${s.key}`)}</span>
            {s.at && <span className="muted small">{formatTime(s.at)}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function RefundsCard({ order, refunds }: { order: Order; refunds: Refund[] }) {
  const { t } = useTranslation();
  if (refunds.length === 0) return null;
  const lineOf = new Map(order.lines.map((l) => [l.id, l]));
  return (
    <section className="card" data-testid="refunds">
      <h2 className="section-title">{t('orders.refunds')}</h2>
      <ul className="plain-list">
        {refunds.map((r) => (
          <li key={r.id} className="refund-item" data-testid="refund-item">
            <div className="refund-head">
              <strong className="price price-small">{formatFen(r.amountFen)}</strong>
              <span className={`refund-status rs-${r.status}`}>{t(`refunds.status.${r.status}`)}</span>
            </div>
            <div className="muted small">
              {t(`refunds.kind.${r.kind}`)} · {formatTime(r.createdAt)}
            </div>
            {r.reason && <div className="small">{r.reason}</div>}
            {r.lines && r.lines.length > 0 && (
              <div className="muted small">
                {r.lines
                  .filter((l) => l.quantity > 0)
                  .map((l) => `${lineOf.get(l.orderLineId)?.title ?? `#${l.orderLineId}`} ×${l.quantity}`)
                  .join('，')}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AfterSalesList({ order, requests }: { order: Order; requests: AfterSales[] }) {
  const { t } = useTranslation();
  if (requests.length === 0) return null;
  const lineOf = new Map(order.lines.map((l) => [l.id, l]));
  return (
    <ul className="plain-list">
      {requests.map((a) => (
        <li key={a.id} className="refund-item" data-testid="after-sales-item">
          <div className="refund-head">
            <span>{t(`afterSales.reason.${a.reason}`)}</span>
            <span className={`refund-status as-${a.status}`}>{t(`afterSales.status.${a.status}`)}</span>
          </div>
          <div className="muted small">
            {a.lines.map((l) => `${lineOf.get(l.orderLineId)?.title ?? `#${l.orderLineId}`} ×${l.quantity}`).join('，')} ·{' '}
            {t('afterSales.requested', { amount: formatFen(a.requestedFen) })} · {formatTime(a.createdAt)}
          </div>
          {a.description && <div className="small">{a.description}</div>}
          {a.photoUrls.length > 0 && (
            <div className="photo-links small">
              {a.photoUrls.map((u, i) => (
                <a key={u} href={u} target="_blank" rel="noreferrer noopener">
                  {t('afterSales.photoN', { n: i + 1 })}
                </a>
              ))}
            </div>
          )}
          {a.decisionNote && <div className="small decision-note">{t('afterSales.note', { note: a.decisionNote })}</div>}
        </li>
      ))}
    </ul>
  );
}
