import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get } from '../../api/client';
import { useIdempotentPost } from '../../api/fulfilment';
import { formatFen } from '../../api/money';
import type { PosReceipt, PosRefundBody, PosRefundResult } from '../../api/stores';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { Stepper } from '../../components/Stepper';
import { errorText } from './PosPage';
import { PrintControls, usePaper } from './Receipt';
import { useStoreCtx } from './storeContext';

/** A past sale's receipt, from the server: what it was, and what has been refunded of it since. */
function useReceipt(storeId: number, orderId: number) {
  return useQuery({
    queryKey: ['store', storeId, 'receipt', orderId],
    queryFn: ({ signal }) => get<PosReceipt>(`/stores/${storeId}/pos/sales/${orderId}/receipt`, undefined, signal),
  });
}

/** 补打小票: reprint a past counter sale. */
export function ReprintView({ orderId, onBack }: { orderId: number; onBack: () => void }) {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  const [paper, setPaper] = usePaper();
  const receipt = useReceipt(store.id, orderId);
  if (receipt.isPending) return <Loading />;
  if (receipt.error) return <ErrorNote error={receipt.error} onRetry={() => void receipt.refetch()} />;
  const r = receipt.data;
  const cash = r.payment.way === 'cash';
  return (
    <div className="receipt-page">
      <div className={`receipt paper-${paper}`} data-testid="pos-reprint" data-order-id={r.orderId}>
        <div className="receipt-head">
          <strong>{r.store.name}</strong>
          <div>{r.store.address}</div>
        </div>
        <div className="receipt-meta">
          <div>
            {t('stores.receipt.no')} {r.orderNo}
          </div>
          <div>{r.time.slice(0, 16)}</div>
        </div>
        <table className="receipt-lines">
          <tbody>
            {r.lines.map((l) => (
              <tr key={l.orderLineId}>
                <td>
                  {l.title} <span className="receipt-sub">{l.spec}</span>
                  <div className="receipt-sub">
                    {l.quantity} × {formatFen(l.unitPriceFen)}
                    {l.discountFen > 0 && <> −{formatFen(l.discountFen)}</>}
                    {l.refundedQuantity > 0 && <> · {t('stores.refund.refundedQty', { count: l.refundedQuantity })}</>}
                  </div>
                </td>
                <td className="num">{formatFen(l.lineTotalFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="receipt-totals">
          {r.discountFen > 0 && (
            <div>
              <span>{t('stores.pos.saved')}</span>
              <span>−{formatFen(r.discountFen)}</span>
            </div>
          )}
          <div className="receipt-total">
            <span>{t('stores.receipt.total')}</span>
            <span>{formatFen(r.totalFen)}</span>
          </div>
          <div>
            <span>{cash ? t('stores.receipt.cash') : t('stores.receipt.provider')}</span>
            <span>{cash ? (r.cashReceivedFen !== null ? formatFen(r.cashReceivedFen) : '') : r.payment.status === 'succeeded' ? formatFen(r.totalFen) : t('stores.refund.unpaid')}</span>
          </div>
          {cash && r.changeFen !== null && (
            <div>
              <span>{t('stores.pos.change')}</span>
              <span>{formatFen(r.changeFen)}</span>
            </div>
          )}
          {r.refunds.map((f) => (
            <div key={f.id}>
              <span>
                {t('stores.refund.refund')} {f.time.slice(5, 16)}
              </span>
              <span>−{formatFen(f.amountFen)}</span>
            </div>
          ))}
          {r.refundedFen > 0 && (
            <div className="receipt-total">
              <span>{t('stores.refund.net')}</span>
              <span data-testid="reprint-net">{formatFen(r.netFen)}</span>
            </div>
          )}
        </div>
        <div className="receipt-foot">{t('stores.receipt.thanks')}</div>
      </div>
      <div className="receipt-actions no-print">
        <PrintControls paper={paper} onPaper={setPaper} />
        <button type="button" className="btn btn-primary" data-testid="pos-after-back" onClick={onBack}>
          {t('stores.refund.back')}
        </button>
      </div>
    </div>
  );
}

/** What `quantity` more units of a line give back: the same rule as the server (cumulative share of the line as paid, the last unit takes the rest). */
function refundOf(l: PosReceipt['lines'][number], quantity: number): number {
  if (quantity <= 0) return 0;
  const after = l.refundedQuantity + quantity;
  const cumulative = after === l.quantity ? l.lineTotalFen : Math.floor((l.lineTotalFen * after) / l.quantity);
  return cumulative - l.refundedFen;
}

/** 退货: take back units of a past counter sale; cash goes back from the till, a QR payment through the provider. */
export function RefundView({ orderId, onBack, onReprint }: { orderId: number; onBack: () => void; onReprint: () => void }) {
  const { t } = useTranslation();
  const { store } = useStoreCtx();
  const qc = useQueryClient();
  const send = useIdempotentPost();
  const receipt = useReceipt(store.id, orderId);
  const [qty, setQty] = useState<Record<number, number>>({});
  const [restock, setRestock] = useState(true);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<PosRefundResult | null>(null);
  if (receipt.isPending) return <Loading />;
  if (receipt.error) return <ErrorNote error={receipt.error} onRetry={() => void receipt.refetch()} />;
  const r = receipt.data;

  if (done) {
    return (
      <div className="pos-refund card" data-testid="pos-refund-done">
        <h2 className="sub-title">{t('stores.refund.done', { no: r.orderNo })}</h2>
        <p className="pos-refund-money">
          {done.cashBackFen > 0 ? t('stores.refund.cashBack', { amount: formatFen(done.cashBackFen) }) : t('stores.refund.providerBack', { amount: formatFen(done.refund.amountFen) })}
        </p>
        <div className="receipt-actions">
          <button type="button" className="btn btn-ghost" onClick={onReprint}>
            {t('stores.refund.reprint')}
          </button>
          <button type="button" className="btn btn-primary" data-testid="pos-after-back" onClick={onBack}>
            {t('stores.refund.back')}
          </button>
        </div>
      </div>
    );
  }

  const left = (l: PosReceipt['lines'][number]) => l.quantity - l.refundedQuantity;
  const chosen = r.lines.filter((l) => (qty[l.orderLineId] ?? 0) > 0);
  const amount = chosen.reduce((s, l) => s + refundOf(l, qty[l.orderLineId]!), 0);
  const paid = r.payment.status === 'succeeded';
  const submit = async () => {
    const body: PosRefundBody = { lines: chosen.map((l) => ({ orderLineId: l.orderLineId, quantity: qty[l.orderLineId]! })), restock, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    setBusy(true);
    setProblem(null);
    try {
      const res = await send<PosRefundResult>(`/stores/${store.id}/pos/sales/${orderId}/refunds`, body);
      setDone(res);
      void qc.invalidateQueries({ queryKey: ['store', store.id, 'today'] });
      void qc.invalidateQueries({ queryKey: ['store', store.id, 'receipt', orderId] });
      void qc.invalidateQueries({ queryKey: ['store', store.id, 'catalogue'] });
    } catch (e) {
      setProblem(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pos-refund card" data-testid="pos-refund" data-order-id={r.orderId}>
      <h2 className="sub-title">{t('stores.refund.title', { no: r.orderNo })}</h2>
      <p className="muted small">
        {r.time.slice(0, 16)} · {t('stores.receipt.total')} {formatFen(r.totalFen)} · {r.payment.way === 'cash' ? t('stores.receipt.cash') : t('stores.receipt.provider')}
        {r.refundedFen > 0 && <> · {t('stores.refund.alreadyRefunded', { amount: formatFen(r.refundedFen) })}</>}
      </p>
      {!paid && <p className="line-problem">{t('stores.refund.unpaid')}</p>}
      <div className="pos-lines">
        {r.lines.map((l) => (
          <div key={l.orderLineId} className="pos-line" data-testid="pos-refund-line" data-line-id={l.orderLineId}>
            <div className="pos-line-info">
              <div className="pos-line-title">{l.title}</div>
              <div className="muted small">
                {l.spec} · {t('stores.refund.sold', { count: l.quantity })} · {formatFen(l.lineTotalFen)}
                {l.refundedQuantity > 0 && <> · {t('stores.refund.refundedQty', { count: l.refundedQuantity })}</>}
              </div>
            </div>
            {left(l) > 0 ? (
              <Stepper small min={0} max={left(l)} value={qty[l.orderLineId] ?? 0} label={l.title} onChange={(n) => setQty((q) => ({ ...q, [l.orderLineId]: n }))} />
            ) : (
              <span className="muted small">{t('stores.refund.allBack')}</span>
            )}
            <div className="pos-line-total">{(qty[l.orderLineId] ?? 0) > 0 ? `−${formatFen(refundOf(l, qty[l.orderLineId]!))}` : ''}</div>
          </div>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" data-testid="pos-refund-restock" checked={restock} onChange={(e) => setRestock(e.target.checked)} /> {t('stores.refund.restock')}
      </label>
      {!restock && <p className="muted small">{t('stores.refund.noRestockHint')}</p>}
      <label className="field">
        <span className="field-label">{t('stores.refund.reason')}</span>
        <input maxLength={200} value={reason} placeholder={t('stores.refund.reasonPlaceholder')} onChange={(e) => setReason(e.target.value)} />
      </label>
      {problem && (
        <div className="pos-error" role="alert">
          {problem}
        </div>
      )}
      <div className="receipt-actions">
        <button type="button" className="btn btn-ghost" onClick={onBack}>
          {t('stores.pos.back')}
        </button>
        <button type="button" className="btn btn-primary" data-testid="pos-refund-confirm" disabled={!paid || chosen.length === 0 || busy} onClick={() => void submit()}>
          {busy ? t('stores.pos.paying') : t('stores.refund.confirm', { amount: formatFen(amount) })}
        </button>
      </div>
    </div>
  );
}
