import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import type { Order } from '../../api/commerce';
import { formatFen, parseYuanToFen } from '../../api/money';
import type { PosSaleResult } from '../../api/stores';
import { ErrorNote } from '../../components/ErrorNote';
import { QrCode } from '../../components/QrCode';

/** Round-number notes a customer is likely to hand over for this total. */
function quickNotes(totalFen: number): number[] {
  const out = new Set<number>([totalFen]);
  for (const note of [1000, 2000, 5000, 10000]) if (note > totalFen) out.add(note);
  const up = Math.ceil(totalFen / 1000) * 1000;
  if (up > totalFen) out.add(up);
  return [...out].sort((a, b) => a - b).slice(0, 4);
}

export function CashPanel({ totalFen, busy, onConfirm, onBack }: { totalFen: number; busy: boolean; onConfirm: (receivedFen: number) => void; onBack: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const fen = text.trim() ? parseYuanToFen(text) : totalFen;
  const short = fen !== null && fen < totalFen;
  const change = fen !== null && !short ? fen - totalFen : null;
  const confirm = () => fen !== null && !short && !busy && onConfirm(fen);
  return (
    <div className="pos-pay-panel">
      <label className="field">
        <span className="field-label">{t('stores.pos.cashReceived')}</span>
        <input
          ref={ref}
          className="pos-cash-input"
          data-testid="pos-cash-received"
          inputMode="decimal"
          placeholder={(totalFen / 100).toFixed(2)}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') confirm();
            if (e.key === 'Escape') onBack();
          }}
        />
      </label>
      <div className="chips">
        {quickNotes(totalFen).map((n) => (
          <button key={n} type="button" className="chip" onClick={() => setText((n / 100).toFixed(2))}>
            {formatFen(n)}
          </button>
        ))}
      </div>
      <div className="pos-change">
        {fen === null ? (
          <span className="line-problem">{t('errors.invalidYuan')}</span>
        ) : short ? (
          <span className="line-problem">{t('stores.pos.short', { amount: formatFen(totalFen - fen) })}</span>
        ) : (
          <>
            <span>{t('stores.pos.change')}</span>
            <strong data-testid="pos-change">{formatFen(change ?? 0)}</strong>
          </>
        )}
      </div>
      <div className="pos-pay-buttons">
        <button type="button" className="btn btn-primary pos-big-btn" data-testid="pos-confirm" disabled={fen === null || short || busy} onClick={confirm}>
          {busy ? t('stores.pos.paying') : t('stores.pos.confirmCash')}
        </button>
        <button type="button" className="btn btn-ghost" disabled={busy} onClick={onBack}>
          {t('stores.pos.back')}
        </button>
      </div>
    </div>
  );
}

const absolute = (url: string) => (/^https?:\/\//.test(url) ? url : `${window.location.origin}${url.startsWith('/') ? '' : '/'}${url}`);

/** The pay QR for the customer's phone; polls the order until the provider says it is paid. */
export function ProviderPanel({ sale, onPaid, onAbandon }: { sale: PosSaleResult; onPaid: (sale: PosSaleResult) => void; onAbandon: () => void }) {
  const { t } = useTranslation();
  const [cancelErr, setCancelErr] = useState<unknown>(null);
  const order = useQuery({
    queryKey: ['orders', sale.order.id, 'pos'],
    queryFn: ({ signal }) => get<Order>(`/orders/${sale.order.id}`, undefined, signal),
    refetchInterval: 1500,
    refetchIntervalInBackground: true,
  });
  const status = order.data?.status ?? sale.order.status;
  useEffect(() => {
    if (order.data && order.data.status !== 'pending_payment' && !['cancelled', 'expired'].includes(order.data.status)) onPaid({ ...sale, order: order.data });
  }, [order.data, onPaid, sale]);
  const url = absolute(sale.payment!.payUrl);
  const gone = status === 'cancelled' || status === 'expired';
  return (
    <div className="pos-pay-panel pos-provider" data-testid="pos-provider">
      <div className="muted small">{t('stores.pos.scanToPay')}</div>
      <QrCode text={url} size={180} label={t('stores.pos.scanToPay')} testId="pos-pay-qr" />
      <div className="pos-amount">{formatFen(sale.payment!.amountFen)}</div>
      {gone ? (
        <div className="line-problem">{t('stores.pos.payGone')}</div>
      ) : (
        <div className="muted small waiting">
          <span className="spinner" aria-hidden="true" /> {t('stores.pos.waitingPay')}
        </div>
      )}
      <a href={url} target="_blank" rel="noreferrer" className="small">
        {t('stores.pos.openPay')}
      </a>
      <ErrorNote error={cancelErr} />
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => {
          if (gone) return onAbandon();
          post(`/orders/${sale.order.id}/cancel`)
            .then(onAbandon)
            .catch((e: unknown) => setCancelErr(e));
        }}
      >
        {t('stores.pos.cancelPay')}
      </button>
    </div>
  );
}
