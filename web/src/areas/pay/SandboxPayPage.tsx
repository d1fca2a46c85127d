import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, get } from '../../api/client';
import { formatFen } from '../../api/money';
import { ErrorNote, Loading } from '../../components/ErrorNote';
import { LangSwitch } from '../../components/HeaderTools';
import { Logo } from '../../components/Logo';
import '../../styles/pay.css';

type PaymentStatus = 'created' | 'succeeded' | 'failed' | 'closed';
interface Payment {
  id: number;
  orderId: number;
  amountFen: number;
  status: PaymentStatus;
  refundedFen: number;
}
type Action = 'pay' | 'fail';

/**
 * An Idempotency-Key. crypto.randomUUID exists only in secure contexts, and the demo is often
 * opened over plain http on a LAN address from a phone; getRandomValues works everywhere.
 */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function usePayment(id: number) {
  return useQuery({
    queryKey: ['payments', id],
    queryFn: ({ signal }) => get<Payment>(`/payments/${id}`, undefined, signal),
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

/**
 * The sandbox provider's cashier: stands where WeChat Pay's or Alipay's page would. Pressing
 * pay makes the sandbox send linli the same kind of signed callback a real provider sends.
 */
export function SandboxPayPage() {
  const { t } = useTranslation();
  const id = Number(useParams().paymentId);
  const qc = useQueryClient();
  const payment = usePayment(id);
  // One key per button for the life of the page: a retry after a lost answer reuses it, so the
  // server replays its first answer instead of acting twice.
  const keys = useRef<Partial<Record<Action, string>>>({});
  const act = useMutation({
    mutationFn: (action: Action) => {
      const key = (keys.current[action] ??= newKey());
      return api<Payment>(`/payments/sandbox/${id}/${action}`, { method: 'POST', body: {}, headers: { 'Idempotency-Key': key } });
    },
    onSuccess: (p) => {
      qc.setQueryData(['payments', id], p);
      // The order changed with the payment: its pages must not show the cached unpaid state.
      void qc.invalidateQueries({ queryKey: ['orders'] });
    },
    // A 409 means someone (another tab, the order's expiry) got there first: show what is true now.
    onError: () => void qc.invalidateQueries({ queryKey: ['payments', id] }),
  });

  const p = payment.data;
  return (
    <div className="pay-page">
      <header className="pay-top">
        <div className="brand">
          <Logo size={28} />
          <span className="brand-name">{t('pay.title')}</span>
          <span className="pay-badge">{t('pay.sandbox')}</span>
        </div>
        <LangSwitch />
      </header>
      <main className="pay-card">
        {payment.isPending && payment.fetchStatus !== 'idle' ? (
          <Loading />
        ) : payment.error || !p ? (
          <ErrorNote error={payment.error ?? new Error('not found')} onRetry={() => void payment.refetch()} />
        ) : p.status === 'created' ? (
          <>
            <div className="pay-merchant">
              {t('pay.merchant')} · {t('pay.merchantName')}
            </div>
            <div className="pay-amount-label">{t('pay.amount')}</div>
            <div className="pay-amount">{formatFen(p.amountFen)}</div>
            <dl className="pay-meta">
              <dt>{t('pay.order')}</dt>
              <dd>#{p.orderId}</dd>
            </dl>
            {act.data?.status === 'created' && <div className="pay-notice">{t('pay.unconfirmed')}</div>}
            {act.error && <ErrorNote error={act.error} />}
            <div className="pay-actions">
              <button type="button" className="btn btn-primary btn-block pay-confirm" disabled={act.isPending} onClick={() => act.mutate('pay')}>
                {act.isPending && act.variables === 'pay' ? t('pay.paying') : t('pay.confirm')}
              </button>
              <button type="button" className="btn btn-ghost btn-block" disabled={act.isPending} onClick={() => act.mutate('fail')}>
                {act.isPending && act.variables === 'fail' ? t('pay.cancelling') : t('pay.cancel')}
              </button>
            </div>
            <p className="pay-footnote">{t('pay.sandboxNote')}</p>
          </>
        ) : (
          <PayResult payment={p} />
        )}
      </main>
    </div>
  );
}

function PayResult({ payment: p }: { payment: Payment }) {
  const { t } = useTranslation();
  const ok = p.status === 'succeeded';
  const key = ok ? 'success' : p.status === 'failed' ? 'failed' : 'closed';
  return (
    <div className={`pay-result ${ok ? 'is-ok' : 'is-off'}`} role="status">
      <svg className="pay-result-icon" viewBox="0 0 48 48" width="64" height="64" aria-hidden="true">
        <circle cx="24" cy="24" r="24" />
        {ok ? <path d="M14 25 L21 32 L35 17" /> : <path d="M17 17 L31 31 M31 17 L17 31" />}
      </svg>
      <h1 className="pay-result-title">{t(`pay.${key}Title`)}</h1>
      <div className="pay-amount pay-amount-small">{formatFen(p.amountFen)}</div>
      {p.refundedFen > 0 && <div className="muted small">{t('pay.refunded', { amount: formatFen(p.refundedFen) })}</div>}
      <p className="pay-result-note">{t(`pay.${key}Note`)}</p>
      <div className="pay-actions">
        <Link to={`/shop/orders/${p.orderId}`} className="btn btn-primary btn-block" data-testid="view-order">
          {t('pay.viewOrder')}
        </Link>
        <Link to="/shop" className="btn btn-ghost btn-block">
          {t('pay.backToShop')}
        </Link>
      </div>
    </div>
  );
}
