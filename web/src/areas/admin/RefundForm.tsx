import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { newIdempotencyKey, type Order, type Refund } from '../../api/commerce';
import { formatFen } from '../../api/money';
import { ErrorNote } from '../../components/ErrorNote';

/** What refunding `k` more units of a line gives back: the server's rule (floor, last unit takes the rest). */
export function lineRefundFen(l: Order['lines'][number], k: number): number {
  const after = l.refundedQuantity + k;
  const cumulative = after >= l.quantity ? l.lineTotalFen : Math.floor((l.lineTotalFen * after) / l.quantity);
  return cumulative - l.refundedFen;
}

/** Operator refund: everything not yet refunded, or chosen units of chosen lines. */
export function RefundForm({ order }: { order: Order }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'full' | 'lines'>('lines');
  const [qty, setQty] = useState<Record<number, number>>({});
  const [restock, setRestock] = useState(false);
  const [reason, setReason] = useState('');
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const open = order.lines.filter((l) => l.quantity > l.refundedQuantity);

  const refund = useMutation({
    mutationFn: (body: object) => {
      const json = JSON.stringify(body);
      if (attempt.current?.body !== json) attempt.current = { body: json, key: newIdempotencyKey() };
      return api<Refund>(`/orders/${order.id}/refunds`, { method: 'POST', body, headers: { 'Idempotency-Key': attempt.current.key } });
    },
    onSuccess: () => {
      attempt.current = null;
      setQty({});
      setReason('');
      void qc.invalidateQueries({ queryKey: ['orders', order.id] });
      void qc.invalidateQueries({ queryKey: ['admin'] });
    },
    onError: (e) => {
      // Keep the key only when the answer was lost: the retry must not refund twice.
      if (!(e instanceof ApiError) || (e.status > 0 && e.status < 500)) attempt.current = null;
    },
  });

  if (open.length === 0) return <p className="muted small">{t('adminOrders.nothingToRefund')}</p>;

  const chosen = open.filter((l) => (qty[l.id] ?? 0) > 0).map((l) => ({ orderLineId: l.id, quantity: qty[l.id]! }));
  const amount =
    mode === 'full'
      ? order.paidFen - order.refundedFen
      : chosen.reduce((s, c) => s + lineRefundFen(order.lines.find((l) => l.id === c.orderLineId)!, c.quantity), 0);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (amount <= 0) return;
    const base = { reason: reason.trim(), restock };
    refund.mutate(mode === 'full' ? { kind: 'full', ...base } : { kind: 'partial', lines: chosen, ...base });
  };

  return (
    <form className="refund-form" onSubmit={submit} data-testid="refund-form">
      <div className="seg">
        <label className={mode === 'lines' ? 'is-on' : ''}>
          <input type="radio" name="mode" checked={mode === 'lines'} onChange={() => setMode('lines')} />
          {t('adminOrders.refundLines')}
        </label>
        <label className={mode === 'full' ? 'is-on' : ''}>
          <input type="radio" name="mode" checked={mode === 'full'} onChange={() => setMode('full')} />
          {t('adminOrders.refundFull')}
        </label>
      </div>
      {mode === 'lines' && (
        <table className="data-table compact">
          <thead>
            <tr>
              <th>{t('adminOrders.item')}</th>
              <th className="num">{t('adminOrders.left')}</th>
              <th className="num">{t('adminOrders.refundQty')}</th>
              <th className="num">{t('adminOrders.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {open.map((l) => {
              const left = l.quantity - l.refundedQuantity;
              const q = qty[l.id] ?? 0;
              return (
                <tr key={l.id}>
                  <td>
                    {l.title} <span className="muted">{l.spec}</span>
                  </td>
                  <td className="num">{left}</td>
                  <td className="num">
                    <input
                      type="number"
                      className="qty-input"
                      min={0}
                      max={left}
                      value={q}
                      data-testid={`refund-qty-${l.id}`}
                      aria-label={t('adminOrders.refundQtyOf', { name: l.title })}
                      onChange={(e) => setQty((s) => ({ ...s, [l.id]: Math.max(0, Math.min(left, Math.trunc(Number(e.target.value) || 0))) }))}
                    />
                  </td>
                  <td className="num">{q > 0 ? formatFen(lineRefundFen(l, q)) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <label className="check-label">
        <input type="checkbox" checked={restock} onChange={(e) => setRestock(e.target.checked)} data-testid="refund-restock" />
        {t('adminOrders.restock')}
      </label>
      <input value={reason} maxLength={200} placeholder={t('adminOrders.reason')} aria-label={t('adminOrders.reason')} onChange={(e) => setReason(e.target.value)} />
      <ErrorNote error={refund.error} />
      {refund.isSuccess && <div className="ok-note">{t('adminOrders.refundDone', { amount: formatFen(refund.data.amountFen) })}</div>}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={amount <= 0 || refund.isPending} data-testid="refund-submit">
          {refund.isPending ? t('adminOrders.refunding') : t('adminOrders.refundAmount', { amount: formatFen(Math.max(0, amount)) })}
        </button>
      </div>
    </form>
  );
}
